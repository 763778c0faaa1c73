"""/carte/communes/: the commune names the map draws when its tile server is down."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actors.map.communes import COMMUNE_CAP
from territories.models import Commune

# Around Poitiers: a few dozen communes of the Vienne.
POITIERS_AREA = (0.20, 46.50, 0.50, 46.66)
BOTH_DEPARTEMENTS = "-1.5,45.0,2.5,47.5"


def get(client, bbox, zoom="11"):
    return client.get(reverse("actors:map_communes"), {"bbox": bbox, "zoom": zoom})


def centres_inside(west, south, east, north):
    """The oracle: every commune whose centre lies in the box, read from GEOS, not from the endpoint's SQL."""
    return {c.code for c in Commune.objects.filter(kind=Commune.Kind.COMMUNE, centre__isnull=False)
            if west <= c.centre.x <= east and south <= c.centre.y <= north}


@pytest.mark.django_db
def test_a_town_viewport_gives_every_commune_whose_centre_is_inside_it(client, territories_vienne_haute_vienne):
    cache.clear()
    response = get(client, ",".join(map(str, POITIERS_AREA)))
    assert response.status_code == 200
    data = response.json()
    expected = centres_inside(*POITIERS_AREA)
    assert 5 < len(expected) < COMMUNE_CAP
    assert {f["properties"]["code"] for f in data["features"]} == expected
    assert data["tronque"] is False
    poitiers = next(f for f in data["features"] if f["properties"]["code"] == "86194")
    assert poitiers["properties"]["nom"] == "Poitiers"
    centre = territories_vienne_haute_vienne["poitiers"].centre
    assert poitiers["geometry"]["coordinates"] == [round(centre.x, 5), round(centre.y, 5)]


@pytest.mark.django_db
def test_a_wide_viewport_is_capped_to_its_most_populated_communes(client, territories_vienne_haute_vienne):
    cache.clear()
    data = get(client, BOTH_DEPARTEMENTS, "7").json()
    inside = centres_inside(-1.5, 45.0, 2.5, 47.5)
    assert len(inside) > COMMUNE_CAP
    assert len(data["features"]) == COMMUNE_CAP and data["tronque"] is True
    populations = {c.code: c.population or 0 for c in Commune.objects.filter(code__in=inside)}
    threshold = sorted(populations.values(), reverse=True)[COMMUNE_CAP - 1]
    sent = [f["properties"]["code"] for f in data["features"]]
    assert set(sent) <= inside
    assert all(populations[code] >= threshold for code in sent)
    assert {"86194", "87085"} <= set(sent)  # Poitiers and Limoges, the largest, always named
    assert len(get(client, BOTH_DEPARTEMENTS, "7").content) < 20_000


@pytest.mark.django_db
def test_a_viewport_at_sea_gives_no_commune(client, territories_vienne_haute_vienne):
    data = get(client, "-20,40,-15,44", "8").json()
    assert data["features"] == [] and data["tronque"] is False


@pytest.mark.django_db
def test_the_answer_is_kept_in_the_cache_per_data_version(client, territories_vienne_haute_vienne):
    cache.clear()
    first = get(client, ",".join(map(str, POITIERS_AREA)))
    with CaptureQueriesContext(connection) as queries:
        again = get(client, ",".join(map(str, POITIERS_AREA)))
    assert again.content == first.content
    assert not [q for q in queries.captured_queries if "territories_commune" in q["sql"]]
    assert "max-age" in again["Cache-Control"]


@pytest.mark.django_db
@pytest.mark.parametrize("bbox,zoom,words", [
    (None, "8", "manquant"),
    ("abc", "8", "illisible"),
    ("1,2,3", "8", "illisible"),
    ("nan,1,2,3", "8", "illisible"),
    ("2,46,1,47", "8", "vide"),
    ("0,46,1,47", "x", "zoom"),
    ("1e999,46,2,47", "8", "illisible"),
])
def test_a_bad_viewport_is_a_400_with_a_french_message(client, bbox, zoom, words):
    params = {"zoom": zoom} if bbox is None else {"bbox": bbox, "zoom": zoom}
    response = client.get(reverse("actors:map_communes"), params)
    assert response.status_code == 400
    assert words in response.json()["erreur"]
