"""/api/v1/ateliers: the sessions of /ateliers/ (one filter set), walked by cursor, a cancelled one never given;
checked against the sessions stored in the database, read without the filter set."""

import datetime as dt
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from actors.core.writes import structures_set_state
from actors.models import AtelierSession
from actors.vocabulary.enums import PublicationState
from tests.fixtures.ateliers import SMARTPHONE

pytestmark = pytest.mark.django_db

URL = "/api/v1/ateliers"


def stored(**where) -> list[int]:
    """The oracle: sessions to come, not cancelled, in date order, read straight from the table."""
    rows = AtelierSession.objects.filter(cancelled=False, ends_at__gte=timezone.now(), **where)
    return list(rows.order_by("starts_at", "pk").values_list("pk", flat=True))


def walk(client, params: dict) -> list[dict]:
    items, url, pages = [], URL, 0
    response = client.get(url, params)
    while True:
        assert response.status_code == 200, response.content
        body = response.json()
        items += body["items"]
        pages += 1
        if not body["next"]:
            return items
        assert len(body["items"]) == int(params.get("limite", 20))
        response = client.get(body["next"])


def test_the_list_walked_by_cursor_gives_every_session_to_come_once_and_no_cancelled_one(client, imported):
    items = walk(client, {"limite": 3})
    assert [item["id"] for item in items] == stored()
    assert len(items) == 10
    assert AtelierSession.objects.filter(cancelled=True).exists()
    assert "Découvrir la tablette" not in {item["titre"] for item in items}
    assert client.get(URL).json()["count"] == 10


def test_each_session_gives_its_place_its_dates_its_seats_and_how_to_register(client, imported):
    items = client.get(URL, {"limite": 100}).json()["items"]
    for item in items:
        session = AtelierSession.objects.select_related("series__structure").get(pk=item["id"])
        assert dt.datetime.fromisoformat(item["debut"]) == session.starts_at
        assert dt.datetime.fromisoformat(item["fin"]) == session.ends_at
        place = session.series.structure
        assert item["lieu"]["slug"] == place.slug
        assert item["lieu"]["url"] == reverse("actors:detail", args=[place.slug])
        assert item["places_restantes"] == session.seats_left and item["places"] == session.series.seats
    by_title = {item["titre"]: item for item in items if item["lieu"]["slug"] == imported["mediatheque"].slug}
    assert by_title["Smartphone pour débutants"]["inscription"]["lien"] == "https://mediatheque.example/inscription"
    assert SMARTPHONE in by_title["Smartphone pour débutants"]["themes"]


def test_the_filters_are_those_of_the_ateliers_page(client, imported):
    for params, where in [
        ({"commune": "86194"}, {"series__structure": imported["mediatheque"]}),
        ({"commune": "86041"}, {"series__structure": imported["centre"]}),
        ({"theme": SMARTPHONE}, {"series__themes__code": SMARTPHONE}),
        ({"departement": "33"}, {"pk": -1}),
    ]:
        api = [item["id"] for item in walk(client, {**params, "limite": 2})]
        page = client.get(reverse("actors:ateliers"), params).context["paginator"].object_list
        assert api == stored(**where) == [session.pk for session in page], params


def test_a_place_taken_offline_takes_its_sessions_out_of_the_api(client, imported):
    place = imported["centre"]
    before = {item["lieu"]["slug"] for item in walk(client, {"limite": 100})}
    assert place.slug in before
    structures_set_state([place], PublicationState.ARCHIVED)
    after = {item["lieu"]["slug"] for item in walk(client, {"limite": 100})}
    assert place.slug not in after and imported["mediatheque"].slug in after


@pytest.mark.parametrize("params", [{"inconnu": "1"}, {"theme": "pas-un-theme"}, {"commune": "abc"},
                                    {"limite": "0"}, {"curseur": "forge"}, {"pres_de": "Atlantide"}])
def test_bad_input_is_a_400_in_french(client, imported, params):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert response.json()["detail"]


def test_a_cursor_of_another_search_is_refused(client, imported):
    following = client.get(URL, {"limite": 2}).json()["next"]
    token = parse_qs(urlparse(following).query)["curseur"][0]
    response = client.get(URL, {"limite": 2, "commune": "86194", "curseur": token})
    assert response.status_code == 400 and "autre recherche" in response.json()["detail"]
