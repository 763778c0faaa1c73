"""A nearest-first page read from a smaller circle is the page read from the whole radius, on the whole demo.

The oracle: every place of the radius's box, measured and ordered by the database in one query.
"""

import datetime as dt

import pytest
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point
from django.db.models import Count

from actors.core.writes import structure_upsert
from actors.directory import conditions
from actors.directory.nearest import nearest_ids
from actors.models import Structure
from territories.models import Commune

pytestmark = pytest.mark.usefixtures("demo_data", "db")
ORDER = ["distance", "-quality", "nom", "pk"]  # the list's nearest-first order (actors/directory/filters.py)


def whole_radius(point, km: float, top: int, among=None) -> list[int]:
    places = Structure.objects.public() if among is None else among
    return list(places.filter(conditions.near_box(point, km))
                .annotate(distance=Distance("location", point, spheroid=True)).order_by(*ORDER)
                .values_list("pk", flat=True)[:top])


def place(source: str, nom: str, *, lon: float, lat: float) -> Structure:
    values = {"source": source, "source_id": nom, "nom": nom, "date_maj": dt.date(2026, 10, 1),
              "adresse": "1 rue A", "code_postal": "48000", "commune_nom": "Mende", "code_insee": "48095",
              "location": Point(lon, lat, srid=4326), "pivot": "00000000000000"}
    return structure_upsert(values).structure


def busiest_communes(count: int) -> list[Commune]:
    codes = (Structure.objects.public().values("commune_id").annotate(n=Count("pk")).order_by("-n", "commune_id")
             .values_list("commune_id", flat=True)[:count])
    return list(Commune.objects.filter(code__in=list(codes)).order_by("code"))


@pytest.mark.parametrize("km", [2, 5, 10, 30])
@pytest.mark.parametrize("overstated", [1, 40])  # ×40: the first circle is too small, and must be seen to be
def test_the_first_places_are_those_of_the_whole_radius(km, overstated):
    smaller = 0
    for commune in busiest_communes(8):
        point = commune.centre
        count = Structure.objects.public().filter(conditions.near(point, km)).count()
        for top in (20, 40, 100):
            ids, radius = nearest_ids(Structure.objects.public(), order=ORDER, point=point, km=km, top=top,
                                      count=count * overstated)
            assert ids == whole_radius(point, km, top), (commune.name, km, top, radius)
            smaller += radius < km
    if km >= 10 and overstated == 1:
        assert smaller, "the dense communes of the demo are read from a smaller circle"


def test_a_radius_with_few_places_is_read_whole():
    commune = busiest_communes(1)[0]
    ids, radius = nearest_ids(Structure.objects.public(), order=ORDER, point=commune.centre, km=10, top=20,
                              count=30)
    assert radius == 10 and ids == whole_radius(commune.centre, 10, 20)


def test_a_place_in_the_corner_of_the_smaller_box_is_not_taken_for_the_nearest():
    # Around Mende, no demo place. The first circle (1 km: 10 km × √(4 × 1 / 400)) has its box; C lies in the
    # box's corner at 1.34 km, B just north of the box at 1.06 km. B is the nearest: C, beyond 1 km, shows
    # that the first circle did not hold the answer, and the whole radius is read.
    centre = Point(3.5, 44.518, srid=4326)
    b = place("b", "B-nord-hors-boite", lon=3.5, lat=44.518 + 0.0095)
    c = place("c", "C-coin-de-boite", lon=3.5 + 0.0120, lat=44.518 + 0.0085)
    both = Structure.objects.public().filter(pk__in=[b.pk, c.pk])
    ids, radius = nearest_ids(both, order=ORDER, point=centre, km=10, top=1, count=400)
    assert radius == 10
    assert ids == whole_radius(centre, 10, 1, among=both) == [b.pk]
