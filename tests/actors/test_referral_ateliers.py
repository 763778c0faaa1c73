"""A session picked on /ateliers/ or on the place's page goes onto the place's referral sheet: printed, in the
e-mail text and in the SMS; a session that is cancelled, past, of another place or not a number is left out and
said, never a 500."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from actors.models import AtelierSession

pytestmark = pytest.mark.django_db

DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
          "novembre", "décembre"]
NOTICE = "Cet atelier n&#x27;est pas ou plus proposé par ce lieu"


def french_day(moment: dt.datetime) -> str:
    local = moment.astimezone(ZoneInfo("Europe/Paris"))
    return f"{DAYS[local.weekday()]} {local.day} {MONTHS[local.month - 1]} {local.year}"


def sheet(client, place, **query):
    return client.get(reverse("actors:referral_sheet", args=[place.slug]), query)


def test_a_picked_session_is_on_the_sheet_in_the_e_mail_and_in_the_sms(client, imported):
    place = imported["mediatheque"]
    session = (AtelierSession.objects.filter(series__structure=place, cancelled=False,
                                             series__title="Smartphone pour débutants").order_by("starts_at").first())
    response = sheet(client, place, atelier=session.pk)
    assert response.status_code == 200
    page = response.content.decode()
    start = session.starts_at.astimezone(ZoneInfo("Europe/Paris"))
    assert "Atelier conseillé" in page and french_day(start) in page
    line = (f"Atelier « Smartphone pour débutants » : {french_day(start)}, de {start:%H:%M} à "
            f"{session.ends_at.astimezone(ZoneInfo('Europe/Paris')):%H:%M} – inscription en ligne : "
            "https://mediatheque.example/inscription")
    assert response.context["message"].split("\n\n")[1].startswith(line + "\n" + place.display_name)
    # The SMS in the 7-bit alphabet: French quotes and the dash written as plain signs, the rest unchanged.
    sms_line = line.replace("« ", '"').replace(" »", '"').replace("–", "-")
    assert response.context["sms_text"].startswith(sms_line + "\nMédiathèque Francois-Mitterrand\n")
    assert NOTICE not in page


def test_without_a_pick_the_sheet_is_as_before(client, imported):
    page = sheet(client, imported["mediatheque"]).content.decode()
    assert "Atelier conseillé" not in page and NOTICE not in page


@pytest.mark.parametrize("case", ["cancelled", "other_place", "past", "abc", "huge"])
def test_a_session_the_place_does_not_offer_is_left_out_and_said(client, imported, case):
    place = imported["mediatheque"]
    ours = AtelierSession.objects.filter(series__structure=place)
    value = {
        "cancelled": lambda: ours.filter(cancelled=True).first().pk,
        "other_place": lambda: AtelierSession.objects.filter(series__structure=imported["centre"],
                                                             cancelled=False).first().pk,
        "past": lambda: ours.filter(cancelled=False).first().pk,
        "abc": lambda: "abc",
        "huge": lambda: "9" * 40,
    }[case]()
    if case == "past":
        AtelierSession.objects.filter(pk=value).update(starts_at=timezone.now() - dt.timedelta(days=3),
                                                       ends_at=timezone.now() - dt.timedelta(days=3, hours=-1))
    response = sheet(client, place, atelier=value)
    assert response.status_code == 200
    page = response.content.decode()
    assert NOTICE in page and "Atelier conseillé" not in page
    assert "Atelier" not in response.context["message"].split("\n\n")[1].splitlines()[0]


def test_every_session_listed_links_to_its_place_s_sheet_with_it(client, imported):
    page = client.get(reverse("actors:ateliers")).content.decode()
    shown = AtelierSession.objects.filter(cancelled=False, ends_at__gte=timezone.now()).select_related(
        "series__structure")
    assert shown.count() == 10
    for session in shown:
        link = reverse("actors:referral_sheet", args=[session.series.structure.slug]) + f"?atelier={session.pk}"
        assert f'href="{link}"' in page
    detail = client.get(imported["mediatheque"].get_absolute_url()).content.decode()
    first = shown.filter(series__structure=imported["mediatheque"]).order_by("starts_at").first()
    assert reverse("actors:referral_sheet", args=[imported["mediatheque"].slug]) + f"?atelier={first.pk}" in detail


def test_english_visitors_read_the_picked_session_and_the_map_choice_in_english(client, imported, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    place = imported["mediatheque"]
    session = AtelierSession.objects.filter(series__structure=place, cancelled=False).order_by("starts_at").first()
    page = sheet(client, place, atelier=session.pk).content.decode()
    assert "Recommended workshop" in page and "Atelier conseillé" not in page
    assert "a workshop this week" in client.get(reverse("actors:map")).content.decode()
    assert "Referral sheet with this workshop" in client.get(reverse("actors:ateliers")).content.decode()
