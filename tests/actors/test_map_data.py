import datetime as dt
import gzip
import json
import zoneinfo

import pytest
from django.contrib.gis.db.models import Extent
from django.contrib.gis.geos import Point
from django.urls import reverse

from actors.core.writes import structure_upsert
from actors.map import data as mapdata
from actors.map.data import InvalidViewport, Viewport, map_data, parse_viewport
from actors.models import Structure, TemporaryClosure
from tests.fixtures.map import grid_places, place_values

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
FRANCE = "-5.5,41.0,10.0,51.5"
POITIERS_STREET = "0.3380,46.5790,0.3600,46.5920"


def get_data(client, bbox, zoom, **filters):
    response = client.get(reverse("actors:map_data"), {"bbox": bbox, "zoom": zoom, **filters})
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.django_db
def test_a_street_viewport_sends_each_place_as_a_compact_point(client, poitiers_places):
    data = get_data(client, POITIERS_STREET, 16)
    assert data["n"] == 3 and data["c"] == []
    names = [point[2] for point in data["p"]]
    assert names == ["CCAS de Poitiers", "Espace numérique des Couronneries", "Médiathèque François-Mitterrand"]
    ccas = data["p"][0]
    assert ccas[1] == "ccas-de-poitiers-poitiers"
    assert ccas[3:5] == [46.5822, 0.3417]
    assert ccas[6] == "24 rue Arthur-Ranc, 86000 Poitiers"


@pytest.mark.django_db
def test_the_open_flag_follows_the_weekly_hours_and_says_when_hours_are_unknown(poitiers_places):
    viewport = parse_viewport(POITIERS_STREET, "16")
    tuesday_afternoon = dt.datetime(2026, 11, 24, 15, 0, tzinfo=PARIS)
    monday_morning = dt.datetime(2026, 11, 23, 10, 0, tzinfo=PARIS)
    sunday = dt.datetime(2026, 11, 22, 10, 0, tzinfo=PARIS)

    def flags(now):
        return {point[2]: point[5] for point in map_data(Structure.objects.published(), viewport, now)["p"]}

    assert flags(tuesday_afternoon) == {"CCAS de Poitiers": None, "Espace numérique des Couronneries": 1,
                                        "Médiathèque François-Mitterrand": 1}
    assert flags(monday_morning)["Espace numérique des Couronneries"] == 0
    assert flags(sunday)["Médiathèque François-Mitterrand"] == 0


@pytest.mark.django_db
def test_a_temporary_closure_and_a_public_holiday_close_a_place_as_on_its_detail_page(poitiers_places):
    viewport = parse_viewport(POITIERS_STREET, "16")
    mediatheque = Structure.objects.get(nom="Médiathèque François-Mitterrand")
    TemporaryClosure.objects.create(structure=mediatheque, starts_on=dt.date(2026, 11, 20),
                                    ends_on=dt.date(2026, 11, 30), reason="Travaux")
    tuesday_afternoon = dt.datetime(2026, 11, 24, 15, 0, tzinfo=PARIS)
    points = {point[2]: point for point in map_data(Structure.objects.all(), viewport, tuesday_afternoon)["p"]}
    assert points["Médiathèque François-Mitterrand"][5] == 0
    assert "Travaux" in points["Médiathèque François-Mitterrand"][7]
    armistice = dt.datetime(2026, 11, 11, 15, 0, tzinfo=PARIS)  # a Wednesday, public holiday
    points = {point[2]: point for point in map_data(Structure.objects.all(), viewport, armistice)["p"]}
    assert points["Espace numérique des Couronneries"][5] == 0


@pytest.mark.django_db
def test_places_outside_the_viewport_or_unpublished_are_not_sent(client, poitiers_places):
    Structure.objects.filter(nom="CCAS de Poitiers").update(state="draft")
    assert get_data(client, POITIERS_STREET, 16)["n"] == 2
    assert get_data(client, "2.0,48.0,3.0,49.0", 10) == {"t": 2, "n": 0, "p": [], "c": []}


@pytest.mark.django_db
def test_a_national_viewport_over_thousands_of_places_is_clustered_and_light(client):
    grid_places(5000)
    response = client.get(reverse("actors:map_data"), {"bbox": FRANCE, "zoom": 6}, HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    raw = gzip.decompress(response.content)
    data = json.loads(raw)
    assert data["n"] == 5000
    assert 20 < len(data["c"]) <= mapdata.MAX_COLUMNS * mapdata.MAX_ROWS
    assert sum(cluster[0] for cluster in data["c"]) + len(data["p"]) == 5000
    count, lat, lon, south, west, north, east = data["c"][0]
    assert south <= lat <= north and west <= lon <= east
    assert len(response.content) < 20_000


@pytest.mark.django_db
def test_an_absurd_viewport_still_gives_a_bounded_number_of_clusters(client):
    grid_places(5000)
    data = get_data(client, "-180,-90,180,90", 20)
    # Zoom 20 would mean points, but the whole world cannot be sent as points: capped.
    assert len(data["p"]) <= mapdata.POINT_CAP
    data = get_data(client, "-180,-90,180,90", 12)
    assert len(data["c"]) <= mapdata.MAX_COLUMNS * mapdata.MAX_ROWS
    assert data["n"] == 5000


@pytest.mark.django_db
def test_clusters_split_into_points_when_zooming_in(client):
    grid_places(2000)
    wide = get_data(client, FRANCE, 6)
    assert wide["c"] and wide["n"] == 2000
    # A box around a single grid node holds few places: they come as points.
    count, lat, lon, south, west, north, east = wide["c"][0]
    narrow = get_data(client, f"{west - 0.01},{south - 0.01},{east + 0.01},{north + 0.01}", 9)
    assert narrow["c"] == [] and len(narrow["p"]) == narrow["n"] >= count


@pytest.mark.parametrize(
    "bbox, zoom, message",
    [
        (None, "6", "manquant"),
        ("1,2,3", "6", "illisible"),
        ("a,b,c,d", "6", "illisible"),
        ("nan,1,2,3", "6", "illisible"),
        ("3,46,1,47", "6", "vide"),
        ("0,46,1,47", "six", "zoom"),
    ],
)
@pytest.mark.django_db
def test_a_bad_viewport_gets_a_clear_400_in_french(client, bbox, zoom, message):
    params = {"zoom": zoom} | ({"bbox": bbox} if bbox else {})
    response = client.get(reverse("actors:map_data"), params)
    assert response.status_code == 400
    assert message in response.json()["erreur"]


def test_out_of_range_values_are_clamped_rather_than_refused():
    viewport = parse_viewport("-400,-100,400,100", "99")
    assert viewport == Viewport(-180.0, -85.05, 180.0, 85.05, 20)
    assert parse_viewport("0,45,1,46", "-3").zoom == 0
    with pytest.raises(InvalidViewport):
        parse_viewport("200,45,300,46", "5")


@pytest.mark.django_db
def test_responses_are_cacheable_for_the_configured_time(client, poitiers_places, settings):
    settings.MAP_CACHE_SECONDS = 42
    response = client.get(reverse("actors:map_data"), {"bbox": POITIERS_STREET, "zoom": 16})
    assert "max-age=42" in response["Cache-Control"] and "public" in response["Cache-Control"]


@pytest.mark.django_db
def test_a_cached_response_costs_one_query_of_two_index_lookups_and_an_edit_is_seen_at_once(
    client, poitiers_places, django_assert_num_queries, django_assert_max_num_queries
):
    # version, filter vocabulary, total count, grid, points, their temporary closures
    with django_assert_max_num_queries(6):
        get_data(client, POITIERS_STREET, 16)
    with django_assert_num_queries(1):  # the data version only
        get_data(client, POITIERS_STREET, 16)
    ccas = Structure.objects.get(source_id="carte-2")
    structure_upsert(place_values(2, "Centre communal d'action sociale", ccas.adresse, ccas.location, ""))
    names = [point[2] for point in get_data(client, POITIERS_STREET, 16)["p"]]
    assert "Centre communal d'action sociale" in names and "CCAS de Poitiers" not in names


@pytest.mark.django_db
def test_the_cache_key_ignores_parameter_order_but_not_filters_or_viewport():
    viewport = parse_viewport("0,45,1,46", "8")
    same = mapdata.cache_key({"services": ["b", "a"], "zoom": ["8"]}, viewport, "v1")
    assert same == mapdata.cache_key({"services": ["a", "b"], "bbox": ["x"]}, viewport, "v1")
    assert same != mapdata.cache_key({"services": ["a"]}, viewport, "v1")
    assert same != mapdata.cache_key({"services": ["a", "b"]}, viewport, "v2")
    assert same != mapdata.cache_key({"services": ["a", "b"]}, parse_viewport("0,45,1,46", "9"), "v1")


@pytest.mark.django_db
def test_two_places_30_m_apart_are_grouped_until_street_zoom_then_two_features(client, vienne, terms):
    # 30 m east-west at 46.58°N: 30 / (111,320 × cos 46.58°) degrees of longitude.
    west, east = 0.3440, 0.3440 + 30 / (111_320 * 0.6873)
    for index, lon in enumerate((west, east)):
        structure_upsert(place_values(index, f"Lieu {index}", "1 rue du Test", Point(lon, 46.5836), ""), {})
    bbox = "0.3300,46.5750,0.3600,46.5900"
    for zoom in (9, 13, 16):
        data = get_data(client, bbox, zoom)
        # The list still names both places; the map draws one group holding them.
        assert len(data["p"]) == 2 and len(data["c"]) == 1, zoom
        assert data["c"][0][0] == 2 and sorted(data["c"][0][7]) == sorted(p[0] for p in data["p"])
    for zoom in (mapdata.POINTS_FROM_ZOOM, mapdata.MAX_ZOOM):
        data = get_data(client, bbox, zoom)
        assert len(data["p"]) == 2 and data["c"] == [], zoom


def drawn(data: dict) -> int:
    """Markers the map draws: clusters, and points that are no cluster's members."""
    members = {pk for cluster in data["c"] for pk in (cluster[7] if len(cluster) > 7 else [])}
    return len(data["c"]) + sum(1 for point in data["p"] if point[0] not in members)


@pytest.mark.django_db
def test_at_departement_zoom_the_demo_draws_far_fewer_markers_than_places(client, demo_86_87):
    from territories.models import Departement

    west, south, east, north = Departement.objects.get(pk="87").communes.aggregate(
        e=Extent("centre"))["e"]
    data = get_data(client, f"{west},{south},{east},{north}", 9)
    assert 100 < data["n"] <= mapdata.POINT_LIMIT
    assert len(data["p"]) == data["n"]  # every place is in the list
    assert drawn(data) < data["n"] / 3
    # Every place is drawn once: on its own, or inside exactly one group.
    members = [pk for cluster in data["c"] for pk in cluster[7]]
    assert len(members) == len(set(members))
    assert sum(c[0] for c in data["c"]) == len(members)
    street = get_data(client, "1.2500,45.8250,1.2700,45.8400", mapdata.POINTS_FROM_ZOOM)  # Limoges centre
    assert street["c"] == [] and drawn(street) == street["n"] > 0
