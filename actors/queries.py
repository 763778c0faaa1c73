"""Conditions of the directory filters, as boolean expressions.

Each function returns a `Q` (or `Exists`) rather than a filtered queryset, so that one query can count
"what if this filter were removed" with conditional aggregates (see facets.relax_counts). The
StructureQuerySet verbs (open_on, open_now, near, search...) are thin wrappers over these.
"""

import datetime as dt
import math

from django.contrib.gis.geos import Point, Polygon
from django.contrib.gis.measure import D
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from actors.models.related import StructureQPV, WeeklySlot

EVENING_MINUTE = 18 * 60  # "open in the evening" = closes after 18:00
WEEKEND = (5, 6)
MAX_RADIUS_KM = 100


def _slots(**lookups) -> Exists:
    return Exists(WeeklySlot.objects.filter(structure_id=OuterRef("pk"), **lookups))


def open_on(weekday: int) -> Exists:
    return _slots(weekday=weekday)


def open_at(weekday: int, minute: int) -> Exists:
    return _slots(weekday=weekday, opens__lte=minute, closes__gt=minute)


def open_now(now: dt.datetime | None = None) -> Exists:
    local = timezone.localtime(now or timezone.now())
    return open_at(local.weekday(), local.hour * 60 + local.minute)


def open_evening() -> Exists:
    return _slots(closes__gt=EVENING_MINUTE)


def open_weekend() -> Exists:
    return _slots(weekday__in=WEEKEND)


def with_term(kind: str, code: str) -> Exists:
    from actors.models import Structure

    return Exists(
        Structure.terms.through.objects.filter(structure_id=OuterRef("pk"), term__kind=kind, term__code=code)
    )


def with_all_terms(kind: str, codes: list[str]) -> Q:
    """A place must carry every code ticked (AND): the facet counts then say exactly what ticking gives."""
    condition = Q()
    for code in codes:
        condition &= with_term(kind, code)
    return condition


def with_any_term(kind: str, codes: list[str]) -> Exists:
    from actors.models import Structure

    return Exists(
        Structure.terms.through.objects.filter(
            structure_id=OuterRef("pk"), term__kind=kind, term__code__in=codes
        )
    )


def with_term_ids(ids: list[int]) -> Exists:
    """A place carries one of these terms. The ids come from the vocabulary the filter set already read, so
    the database probes the (structure, term) index alone, without joining the term table."""
    from actors.models import Structure

    return Exists(Structure.terms.through.objects.filter(structure_id=OuterRef("pk"), term_id__in=ids))


def in_qpv(which: str) -> Exists:
    """`which`: "dans" (inside), "proche" (inside or within QPV_NEARBY_METERS) or a QPV code."""
    links = StructureQPV.objects.filter(structure_id=OuterRef("pk"))
    if which == "dans":
        links = links.filter(distance_m=0)
    elif which != "proche":
        links = links.filter(qpv_id=which)
    return Exists(links)


def in_departement(code: str) -> Q:
    return Q(commune__departement_id=code)


def in_epci(siren: str) -> Q:
    return Q(commune__epci_id=siren)


def in_commune(code: str) -> Q:
    # An arrondissement belongs to its city: "Paris" includes its 20 arrondissements.
    return Q(commune_id=code) | Q(commune__parent_id=code)


def bounding_box(point: Point, km: float) -> Polygon:
    """A lat/lon box around `point` that holds the circle; lets both databases use the spatial index."""
    dlat = km / 111.32
    dlon = km / (111.32 * max(math.cos(math.radians(point.y)), 0.01))
    box = Polygon.from_bbox((point.x - dlon, point.y - dlat, point.x + dlon, point.y + dlat))
    box.srid = 4326
    return box


def near(point: Point, km: float) -> Q:
    from actors import spatial

    km = min(max(km, 0.1), MAX_RADIUS_KM)
    west, south, east, north = bounding_box(point, km).extent
    return spatial.in_box(west, south, east, north) & Q(location__distance_lte=(point, D(km=km)))
