"""« Ateliers cette semaine » on the map: the data endpoint, the list page and the API keep the places with a
session not cancelled between now and Sunday night, checked against sessions written here and a week end
computed here; a cached answer is asked again the next minute, since a session can end."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse
from django.utils import timezone

from actors.ateliers.importing import import_agenda
from actors.core.writes import structure_upsert
from actors.directory.counts import filters_key
from actors.models import AtelierSeries, AtelierSession, Structure
from tests.fixtures.ateliers import SMARTPHONE, agenda_openagenda, next_monday

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")
BBOX = {"bbox": "0.2,46.5,0.5,46.7", "zoom": "12"}


@pytest.fixture
def week(atelier_places):
    """The médiathèque has a session going on now; the centre only next week (its agenda starts next Monday);
    a third place has a session now, cancelled."""
    now = timezone.now()
    centre = {"name": "Centre social de Buxerolles", "address": "2 rue de la Mairie", "postalCode": "86180",
              "city": "Buxerolles"}
    import_agenda(data=agenda_openagenda(next_monday(), location=centre), structure=None, apply=True)
    bib = structure_upsert({
        "source": "Fixture ateliers", "source_id": "bib", "nom": "Bibliothèque des Couronneries",
        "adresse": "37 rue Pierre de Coubertin", "code_postal": "86000", "commune_nom": "Poitiers",
        "code_insee": "86194", "date_maj": dt.date(2026, 10, 1), "location": Point(0.3560, 46.5890),
        "horaires": "Mo-Fr 09:00-18:00", "verified_at": now - dt.timedelta(days=30),
    }, {"services": [SMARTPHONE]}).structure
    for place, cancelled in ((atelier_places["mediatheque"], False), (bib, True)):
        series = AtelierSeries.objects.create(structure=place, source="lieu", source_id=f"now-{place.pk}",
                                              title="Atelier en cours")
        AtelierSession.objects.create(series=series, starts_at=now - dt.timedelta(minutes=30),
                                      ends_at=now + dt.timedelta(minutes=30), cancelled=cancelled)
    return {**atelier_places, "bib": bib}


def this_week_by_hand(now: dt.datetime) -> set[str]:
    """The oracle: Sunday night computed here, sessions read straight from the table."""
    local = now.astimezone(PARIS)
    monday = (local + dt.timedelta(days=7 - local.weekday())).date()
    end = dt.datetime(monday.year, monday.month, monday.day, tzinfo=PARIS)
    return {s.series.structure.slug for s in AtelierSession.objects.select_related("series__structure")
            if not s.cancelled and s.ends_at >= now and s.starts_at < end}


def map_slugs(client, **filters) -> set[str]:
    response = client.get(reverse("actors:map_data"), {**BBOX, **filters})
    assert response.status_code == 200
    return {point[1] for point in response.json()["p"]}


def test_the_map_keeps_the_places_with_a_session_this_week(client, week):
    expected = this_week_by_hand(timezone.now())
    assert expected == {week["mediatheque"].slug}
    assert map_slugs(client) == {week["mediatheque"].slug, week["centre"].slug, week["bib"].slug}
    assert map_slugs(client, ateliers="semaine") == expected


def test_the_list_page_and_the_api_keep_the_same_places(client, week):
    expected = this_week_by_hand(timezone.now())
    listed = client.get(reverse("actors:list"), {"ateliers": "semaine"})
    assert {row.slug for row in listed.context["directory"]["rows"]} == expected
    api = client.get("/api/v1/lieux", {"ateliers": "semaine"}).json()
    assert {item["slug"] for item in api["items"]} == expected and api["count"] == len(expected)


def test_a_session_this_week_at_a_place_taken_offline_is_not_on_the_map(client, week):
    Structure.objects.filter(pk=week["mediatheque"].pk).update(state="draft")
    assert map_slugs(client, ateliers="semaine") == set()


def test_the_map_page_shows_the_choice_checked_and_the_data_url_carries_it(client, week):
    page = client.get(reverse("actors:map"), {"ateliers": "semaine"}).content.decode()
    assert 'name="ateliers" value="semaine" checked' in page
    assert 'name="ateliers" value="semaine">' in client.get(reverse("actors:map")).content.decode()


def test_an_unknown_value_is_ignored_and_said(client, week):
    response = client.get(reverse("actors:map"), {"ateliers": "demain"})
    assert response.status_code == 200 and "Filtre ignoré" in response.content.decode()
    assert map_slugs(client, ateliers="demain") == {week["mediatheque"].slug, week["centre"].slug, week["bib"].slug}


def test_a_cached_answer_is_asked_again_the_next_minute():
    moment = dt.datetime(2026, 12, 8, 10, 0, tzinfo=PARIS)
    key = filters_key({"ateliers": ["semaine"]}, now=moment)
    assert key != filters_key({"ateliers": ["semaine"]}, now=moment + dt.timedelta(minutes=1))
    assert key == filters_key({"ateliers": ["semaine"]}, now=moment + dt.timedelta(seconds=30))
