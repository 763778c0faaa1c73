"""/ateliers/, /ateliers.ics and the place's page after an import: the same sessions everywhere, filtered by
territory, « près de », theme, public, week, fees and seats; a cancelled session nowhere; bad input never a 500."""

import datetime as dt

import icalendar
import pytest
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.measure import D
from django.urls import reverse
from django.utils import timezone

from actors.ateliers.filters import end_of_week
from actors.ateliers.importing import import_agenda
from actors.models import AtelierSeries, AtelierSession, Structure
from tests.fixtures.ateliers import SMARTPHONE, agenda_ics, agenda_openagenda, at, next_monday

pytestmark = pytest.mark.django_db

LIST = reverse("actors:ateliers")
ICS = reverse("actors:ateliers_ics")


@pytest.fixture
def imported(atelier_places):
    monday = next_monday()
    import_agenda(data=agenda_ics(monday), structure=atelier_places["mediatheque"], apply=True)
    centre = {"name": "Centre social de Buxerolles", "address": "2 rue de la Mairie", "postalCode": "86180",
              "city": "Buxerolles"}
    import_agenda(data=agenda_openagenda(monday, location=centre), structure=None, apply=True)
    return {**atelier_places, "monday": monday}


def listed(response) -> list[tuple[str, dt.datetime]]:
    return [(s.series.title, s.starts_at) for s in response.context["paginator"].object_list]


def stored(**where) -> list[tuple[str, dt.datetime]]:
    """The oracle: the sessions in the database, not cancelled, to come, read without the FilterSet."""
    rows = AtelierSession.objects.filter(cancelled=False, ends_at__gte=timezone.now(), **where)
    return sorted(((s.series.title, s.starts_at) for s in rows.select_related("series")), key=lambda r: r[1])


def test_the_list_shows_every_session_to_come_and_no_cancelled_one(client, imported):
    response = client.get(LIST)
    assert response.status_code == 200
    assert sorted(listed(response), key=lambda r: r[1]) == stored()
    assert "Découvrir la tablette" not in response.content.decode()
    assert len(stored()) == 5 + 1 + 3 + 1  # ics: 5 Tuesdays and a Thursday; OpenAgenda: 3 Tuesdays, a Thursday


def test_a_commune_and_a_departement_keep_their_places_sessions(client, imported):
    poitiers = listed(client.get(LIST, {"commune": "86194"}))
    assert sorted(poitiers, key=lambda r: r[1]) == stored(series__structure=imported["mediatheque"])
    assert len(listed(client.get(LIST, {"departement": "86"}))) == len(stored())
    assert listed(client.get(LIST, {"departement": "33"})) == []


def test_a_theme_and_a_public_narrow_to_the_series_tagged_so(client, imported):
    smartphone = listed(client.get(LIST, {"theme": SMARTPHONE}))
    assert {title for title, _ in smartphone} == {"Smartphone pour débutants"}
    assert len(smartphone) == len(stored(series__themes__code=SMARTPHONE))
    assert {t for t, _ in listed(client.get(LIST, {"public": "seniors", "commune": "86041"}))} == {
        "Smartphone pour débutants"}


def test_pres_de_keeps_the_places_the_database_measures_within_the_radius(client, imported, vienne):
    centre = vienne["buxerolles"].centre
    within = set(Structure.objects.annotate(d=Distance("location", centre, spheroid=True))
                 .filter(location__distance_lte=(centre, D(km=2))).values_list("pk", flat=True))
    assert within == {imported["centre"].pk}  # the médiathèque is about 2.4 km away
    shown = listed(client.get(LIST, {"pres_de": "Buxerolles", "rayon": "2"}))
    assert sorted(shown, key=lambda r: r[1]) == stored(series__structure__in=within)


def test_this_week_free_and_seats_left(client, imported):
    now = timezone.now()
    week = listed(client.get(LIST, {"semaine": "1"}))
    assert all(start < end_of_week(now) for _, start in week)
    assert sorted(week, key=lambda r: r[1]) == [r for r in stored() if r[1] < end_of_week(now)]
    free = listed(client.get(LIST, {"gratuit": "1"}))
    assert free and {title for title, _ in free} == {"Smartphone pour débutants"}
    AtelierSeries.objects.filter(source="ical", title__startswith="Smartphone").update(seats=12)
    session = AtelierSession.objects.filter(series__source="ical", series__seats=12).first()
    AtelierSession.objects.filter(series__seats=12).update(seats_left=0)
    AtelierSession.objects.filter(pk=session.pk).update(seats_left=3)
    assert [start for _, start in listed(client.get(LIST, {"places": "1"}))] == [session.starts_at]
    assert "3 places restantes" in client.get(LIST, {"commune": "86194"}).content.decode()


@pytest.mark.parametrize("query", [
    {"departement": "<script>"}, {"theme": "inconnu"}, {"page": "abc"}, {"page": "99999"}, {"rayon": "-4"},
    {"pres_de": "Atlantide"}, {"semaine": "2"},
])
def test_bad_filter_values_never_give_an_error_page(client, imported, query):
    response = client.get(LIST, query)
    assert response.status_code == 200
    assert client.get(ICS, query).status_code == 200


def test_the_ics_feed_holds_the_same_sessions_as_the_list(client, imported):
    for query in ({}, {"commune": "86194"}, {"theme": SMARTPHONE}):
        response = client.get(ICS, query)
        assert response["Content-Type"].startswith("text/calendar")
        feed = icalendar.Calendar.from_ical(response.content)
        events = sorted(((str(e["summary"]), e.decoded("dtstart")) for e in feed.walk("VEVENT")), key=lambda r: r[1])
        assert events == sorted(listed(client.get(LIST, query)), key=lambda r: r[1])
    assert b"tablette" not in client.get(ICS).content


def test_the_place_page_lists_its_next_sessions_in_french(client, imported):
    response = client.get(imported["mediatheque"].get_absolute_url())
    page = response.content.decode()
    assert "Prochains ateliers" in page and "Smartphone pour débutants" in page
    tuesday = imported["monday"] + dt.timedelta(days=1)
    assert [s.starts_at for s in response.context["sessions"]][:1] == [at(tuesday, 14)]
    months = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
              "novembre", "décembre"]
    assert f"mardi {tuesday.day} {months[tuesday.month - 1]} {tuesday.year}" in page
    assert "de 14:00 à 16:00" in page
    assert "Découvrir la tablette" not in page


def test_a_place_without_sessions_has_no_section_and_the_list_explains_how_to_add_an_agenda(client, atelier_places):
    assert "Prochains ateliers" not in client.get(atelier_places["centre"].get_absolute_url()).content.decode()
    page = client.get(LIST).content.decode()
    assert "Aucun atelier à venir" in page and "import_ateliers" in page


def test_english_visitors_read_the_page_in_english(client, imported, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(LIST).content.decode()
    assert "Digital workshops" in page and "Ateliers numériques" not in page
    detail = client.get(imported["mediatheque"].get_absolute_url()).content.decode()
    assert "Upcoming workshops" in detail


def test_a_hostile_agenda_never_reaches_the_page_as_markup_or_a_script_link(client, atelier_places):
    tuesday = next_monday() + dt.timedelta(days=1)
    data = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:x\r\nDTSTAMP:20260101T000000Z\r\n"
            "SUMMARY:<img src=x onerror=alert(1)>\r\nURL:javascript:alert(1)\r\n"
            f"DTSTART;TZID=Europe/Paris:{tuesday:%Y%m%d}T140000\r\nDURATION:PT1H\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    import_agenda(data=data.encode(), structure=atelier_places["mediatheque"], apply=True)
    for url in (LIST, atelier_places["mediatheque"].get_absolute_url()):
        page = client.get(url).content.decode()
        assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img src=x" not in page
        assert "javascript:" not in page


def test_the_list_takes_at_most_8_queries(client, imported, django_assert_max_num_queries):
    client.get(LIST)  # the freshness policy and the vocabulary's labels are then kept
    with django_assert_max_num_queries(8):
        assert client.get(LIST, {"departement": "86", "theme": SMARTPHONE, "semaine": "1"}).status_code == 200


def test_an_ignored_filter_is_said_once(client, imported):
    response = client.get(LIST, {"theme": "inconnu", "pres_de": "Atlantide"})
    assert response.context["notices"] == ["Filtre ignoré : Thème (valeur non reconnue).",
                                           "Lieu introuvable : « Atlantide » (essayez un nom de commune ou un code "
                                           "postal)."]
