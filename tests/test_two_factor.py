"""The admin's second step (inclusion/twofactor.py): enrol an app, then a code once per session; backup codes;
the reset of a lost phone. Codes are computed from each device's own key, as the phone computes them."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.fixtures.two_factor import current_code, enrolled_device

pytestmark = pytest.mark.usefixtures("real_two_factor")
PASSWORD = "un mot de passe assez long"


@pytest.fixture
def staff(db):
    return User.objects.create_user("camille", "camille@exemple.fr", PASSWORD, is_staff=True, is_superuser=True)


def time_passes(device, seconds=2):
    """The wait after wrong codes elapses (the failure is dated earlier instead of the test sleeping)."""
    device.refresh_from_db()
    device.throttling_failure_timestamp -= dt.timedelta(seconds=seconds)
    device.save(update_fields=["throttling_failure_timestamp"])


def sign_in(client, username="camille"):
    response = client.post(reverse("admin:login"), {"username": username, "password": PASSWORD,
                                                     "next": "/admin/actors/structure/"})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def test_a_password_alone_opens_no_admin_page_and_enrolment_comes_first(client, staff):
    sign_in(client)
    for path in ("/admin/", "/admin/actors/structure/", "/admin/auth/user/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("two_factor_enrol"))
    page = client.get(reverse("two_factor_enrol"), {"next": "/admin/actors/structure/"}).content.decode()
    assert 'src="data:image/svg+xml' in page and "Activer la double authentification" in page
    assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()


def test_enrolment_with_the_apps_code_confirms_the_device_and_gives_backup_codes_once(client, staff):
    sign_in(client)
    client.get(reverse("two_factor_enrol"))
    device = TOTPDevice.objects.get(user=staff)
    reloaded = client.get(reverse("two_factor_enrol")).content.decode()
    assert device.config_url.split("secret=")[1].split("&")[0][:8] in reloaded.replace(" ", "")  # same key shown

    wrong = client.post(reverse("two_factor_enrol"), {"code": "000000" if current_code(device) != "000000"
                                                      else "111111"})
    assert "Ce code ne correspond pas" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302
    time_passes(device)

    done = client.post(reverse("two_factor_enrol"), {"code": current_code(device),
                                                     "next": "/admin/actors/structure/"}).content.decode()
    shown = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done)
    assert len(shown) == 10 and set(shown) == set(StaticToken.objects.filter(device__user=staff)
                                                  .values_list("token", flat=True))
    assert 'href="/admin/actors/structure/"' in done
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/admin/actors/structure/").status_code == 200


def test_an_enrolled_account_gives_its_code_once_per_session(client, staff):
    device = enrolled_device(staff)
    sign_in(client)
    response = client.get("/admin/actors/structure/")
    assert response["Location"].startswith(reverse("two_factor_verify"))
    wrong = client.post(reverse("two_factor_verify"), {"code": "12345"})
    assert "Code incorrect" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302
    too_soon = client.post(reverse("two_factor_verify"), {"code": current_code(device)}).content.decode()
    assert "attendez 1 seconde" in too_soon  # a guesser waits 1, 2, 4… seconds between tries
    time_passes(device)
    right = client.post(reverse("two_factor_verify"), {"code": current_code(device),
                                                       "next": "/admin/actors/structure/"})
    assert right.status_code == 302 and right["Location"] == "/admin/actors/structure/"
    assert client.get("/admin/actors/structure/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 200  # the rest of the session


def test_a_code_is_not_accepted_twice_and_the_next_address_stays_on_the_site(client, staff):
    device = enrolled_device(staff)
    code = current_code(device)
    sign_in(client)
    away = client.post(reverse("two_factor_verify"), {"code": code, "next": "https://exemple.org/piege"})
    assert away["Location"] == "/admin/"
    client.post(reverse("admin:logout"))
    sign_in(client)
    again = client.post(reverse("two_factor_verify"), {"code": code})
    assert "Code incorrect" in again.content.decode()  # a code seen once (replayed) opens nothing


def test_a_backup_code_replaces_the_app_once(client, staff):
    client.force_login(staff)
    client.get(reverse("two_factor_enrol"))
    device = TOTPDevice.objects.get(user=staff)
    done = client.post(reverse("two_factor_enrol"), {"code": current_code(device)}).content.decode()
    backup = re.findall(r"<li><code>([a-z0-9]+)</code></li>", done)[0]
    client.post(reverse("admin:logout"))
    sign_in(client)
    assert client.post(reverse("two_factor_verify"), {"code": f" {backup.upper()} "}).status_code == 302
    assert client.get("/admin/").status_code == 200
    client.post(reverse("admin:logout"))
    sign_in(client)
    time_passes(TOTPDevice.objects.get(user=staff))  # the backup code was first tried as the app's code
    assert "Code incorrect" in client.post(reverse("two_factor_verify"), {"code": backup}).content.decode()
    assert StaticToken.objects.filter(device__user=staff).count() == 9


def test_reset_two_factor_sends_the_coordinator_back_to_enrolment(client, staff):
    enrolled_device(staff)
    call_command("reset_two_factor", "CAMILLE@exemple.fr")
    assert not TOTPDevice.objects.filter(user=staff).exists()
    sign_in(client)
    assert client.get("/admin/")["Location"].startswith(reverse("two_factor_enrol"))


def test_reset_two_factor_of_an_unknown_account_says_so(staff):
    with pytest.raises(CommandError, match="Aucun compte unique"):
        call_command("reset_two_factor", "personne@exemple.fr")


def test_with_the_setting_off_enrolment_is_optional_but_an_enrolled_device_is_still_asked(client, staff, settings):
    settings.ADMIN_TOTP_REQUIRED = False
    sign_in(client)
    assert client.get("/admin/").status_code == 200
    enrolled_device(staff)
    client.post(reverse("admin:logout"))
    sign_in(client)
    assert client.get("/admin/")["Location"].startswith(reverse("two_factor_verify"))


def test_public_pages_and_non_staff_accounts_are_not_asked_for_a_code(client, db):
    User.objects.create_user("pro", "pro@exemple.fr", PASSWORD)
    client.login(username="pro", password=PASSWORD)
    assert client.get("/").status_code == 200
    assert client.get("/admin/")["Location"].startswith(reverse("admin:login"))
