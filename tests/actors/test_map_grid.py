"""The map's grid computed in memory gives the database's own grid, on the whole demo, and follows edits."""

import pytest
from django.contrib.gis.geos import Point
from django.db.models import Count, F, Max, Min
from django.db.models.functions import Floor
from django.http import QueryDict
from django.urls import reverse

from actors.core.geo import X, Y
from actors.directory.filters import StructureFilter
from actors.map import grid as mapgrid
from actors.map.data import parse_viewport
from actors.models import Structure
from actors.models.version import data_version

pytestmark = pytest.mark.usefixtures("demo_data", "db")

VIEWS = [("-5.5,41.2,9.9,51.2", 6), ("-2.0,43.0,3.0,47.5", 7), ("-1.0,44.5,1.5,46.5", 9), ("0.30,46.55,0.40,46.62", 12)]
FILTERS = ["", "besoin=demarches&frais=gratuit", "departement=86", "services=aide-aux-demarches-administratives"]


def database_grid(queryset, viewport) -> list[tuple]:
    """The oracle: FLOOR and the aggregates computed by the database itself, over the points in view."""
    lon_cell, lat_cell = viewport.cell_size()
    rows = (
        queryset.filter(location__isnull=False).annotate(x=X("location"), y=Y("location"))
        .filter(x__gte=viewport.west, x__lte=viewport.east, y__gte=viewport.south, y__lte=viewport.north)
        .annotate(gx=Floor((F("x") + 180.0) / lon_cell), gy=Floor((F("y") + 90.0) / lat_cell))
        .order_by().values("gx", "gy")
        .annotate(n=Count("pk"), first=Min("pk"), w=Min("x"), s=Min("y"), e=Max("x"), no=Max("y"))
    )
    return sorted((int(r["gx"]), int(r["gy"]), r["n"], r["first"], r["w"], r["s"], r["e"], r["no"]) for r in rows)


def memory_grid(places, viewport) -> list[tuple]:
    box = places.in_box(viewport.west, viewport.south, viewport.east, viewport.north)
    return [(c["gx"], c["gy"], c["n"], c["first"], c["w"], c["s"], c["e"], c["no"])
            for c in mapgrid.cells(box, *viewport.cell_size())]


@pytest.mark.parametrize("query", FILTERS)
def test_the_grid_in_memory_is_the_database_grid_for_every_view_and_filter_of_the_demo(query):
    filterset = StructureFilter(QueryDict(query), Structure.objects.public())
    places = mapgrid.selected_places(filterset, data_version())
    selection = filterset.queryset_without("")
    assert sorted(places.ids.tolist()) == sorted(selection.filter(location__isnull=False).values_list("pk", flat=True))
    seen = 0
    for bbox, zoom in VIEWS:
        viewport = parse_viewport(bbox, str(zoom))
        expected = database_grid(selection, viewport)
        seen += sum(row[2] for row in expected)
        assert memory_grid(places, viewport) == expected, (query, bbox, zoom)
    assert seen > 0


def test_panning_a_filtered_map_reads_no_position_again_and_a_moved_place_moves_at_once(
        client, django_assert_max_num_queries):
    url = reverse("actors:map_data")
    wide = {"bbox": "-2.0,43.0,3.0,47.5", "zoom": 7, "besoin": "demarches"}
    first = client.get(url, wide).json()
    # data version, filter vocabulary, the single places and their closures: never every point in view
    with django_assert_max_num_queries(4) as queries:
        panned = client.get(url, {**wide, "bbox": "-1.99,43.0,3.01,47.5"}).json()
    # positions are read for the single places sent, by id; never for every point in view
    positions = [query["sql"] for query in queries.captured_queries if "ST_X" in query["sql"].upper()]
    assert positions and all(" IN (" in sql for sql in positions)
    assert panned["t"] == first["t"] and abs(panned["n"] - first["n"]) < first["n"] / 10

    street = {"bbox": "0.30,46.55,0.40,46.62", "zoom": 17}
    before = client.get(url, street).json()
    moved = Structure.objects.public().filter(slug=before["p"][0][1]).get()
    moved.location = Point(2.35, 48.85, srid=4326)  # as the admin's map widget saves it
    moved.save()
    after = client.get(url, street).json()
    assert after["n"] == before["n"] - 1 and moved.slug not in [point[1] for point in after["p"]]
    assert after["t"] == before["t"]
