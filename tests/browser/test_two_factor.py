"""A coordinator's first sign-in in Chromium: password, then the QR code page, the app's code, the backup codes,
then the admin; a later session asks for the code. Desktop and phone, no axe violation on either step."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.fixtures.browser import SCREENSHOTS
from tests.fixtures.coordination import PASSWORD
from tests.fixtures.two_factor import current_code

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser,
              pytest.mark.usefixtures("real_two_factor")]


def password_step(page, base: str) -> None:
    page.context.clear_cookies()
    page.goto(base + reverse("admin:login"))
    page.fill("#id_username", "coord86@example.org")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_first_sign_in_enrols_the_app_then_each_session_asks_for_its_code(viewport, request, live_server,
                                                                            two_territories):
    page = request.getfixturevalue(viewport)
    coordinator = two_territories["coordinator"]
    password_step(page, live_server.url)
    page.wait_for_selector("img[alt^='Code QR']")
    assert page.evaluate("document.querySelector('img[alt^=\"Code QR\"]').naturalWidth") > 100  # the SVG drew
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"two-factor-enrol-{viewport}.png"), full_page=True)
    assert [v["id"] for v in Axe().run(page).response["violations"]] == []

    device = TOTPDevice.objects.get(user=coordinator, confirmed=False)
    page.fill("#id_code", current_code(device))
    page.click("input[type=submit]")
    page.wait_for_selector(".two-factor__codes")
    assert page.locator(".two-factor__codes li").count() == 10
    assert [v["id"] for v in Axe().run(page).response["violations"]] == []
    page.click("text=Continuer vers l'espace des coordinateurs")
    page.wait_for_selector("#coord-dashboard-title")

    password_step(page, live_server.url)
    page.wait_for_selector("#id_code")
    page.screenshot(path=str(SCREENSHOTS / f"two-factor-verify-{viewport}.png"), full_page=True)
    assert [v["id"] for v in Axe().run(page).response["violations"]] == []
    device.refresh_from_db()
    device.last_t = -1  # the enrolment's code may still be the current one: the app would show it again
    device.save(update_fields=["last_t"])
    page.fill("#id_code", current_code(device))
    page.click("input[type=submit]")
    page.wait_for_selector("#coord-dashboard-title")
