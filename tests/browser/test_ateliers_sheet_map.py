"""Issue 26, second part: a social worker picks a session on /ateliers/ and prints the place's referral sheet
with it; a resident ticks « un atelier cette semaine » on the map and keeps the one place holding one; the
diagnostic names the communes without a session within the chosen distance. Desktop and phone screenshots."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from actors.ateliers.importing import import_agenda
from actors.models import AtelierSeries, AtelierSession
from tests.fixtures.ateliers import agenda_ics, next_monday
from tests.fixtures.browser import SCREENSHOTS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def sessions(atelier_places):
    import_agenda(data=agenda_ics(next_monday()), structure=atelier_places["mediatheque"], apply=True)
    now = timezone.now()
    series = AtelierSeries.objects.create(structure=atelier_places["mediatheque"], source="lieu", source_id="now",
                                          title="Atelier en cours")
    AtelierSession.objects.create(series=series, starts_at=now - dt.timedelta(minutes=30),
                                  ends_at=now + dt.timedelta(hours=2))
    return atelier_places


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_a_session_goes_on_the_sheet_and_the_map_keeps_the_places_with_one_this_week(
        request, live_server, sessions, viewport):
    page = request.getfixturevalue(viewport)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(live_server.url + reverse("actors:ateliers"))
    card = page.locator(".atelier", has_text="Smartphone pour débutants").first
    card.get_by_role("link", name="Fiche d'orientation avec cet atelier").click()
    expect(page.locator(".referral-sheet__atelier")).to_contain_text("Smartphone pour débutants")
    expect(page.locator("#referral-message")).to_have_value(
        re.compile(r"^Voici le lieu .*\n\nAtelier « Smartphone pour débutants » : mardi"))
    page.screenshot(path=str(SCREENSHOTS / f"ateliers-sheet-{viewport}.png"), full_page=True)

    page.goto(live_server.url + reverse("actors:map") + "?departement=86")
    expect(page.locator(".map-app[data-state=ready][data-total='2']")).to_have_count(1)
    page.get_by_label("un atelier cette semaine").check()
    expect(page.locator(".map-app[data-state=ready][data-total='1']")).to_have_count(1)
    expect(page.locator("#map-list .map-item")).to_have_count(1)
    expect(page.locator("#map-list .map-item__name")).to_have_text(sessions["mediatheque"].nom)
    page.screenshot(path=str(SCREENSHOTS / f"ateliers-map-{viewport}.png"), full_page=False)

    page.goto(live_server.url + "/territoires/departements/86/diagnostic/?distance=2")
    section = page.locator("#ateliers-title").locator("xpath=..")
    expect(section).to_contain_text("Communes sans atelier à moins de 2 km")
    section.get_by_text("Voir ces communes").click()
    expect(section).to_contain_text("Buxerolles")
    section.screenshot(path=str(SCREENSHOTS / f"ateliers-diagnostic-{viewport}.png"))
