"""Conditions of the directory filters, as boolean expressions.

Each function returns a `Q` (or `Exists`) rather than a filtered queryset, so that one query can count
"what if this filter were removed" with conditional aggregates (see facets.relax_counts).
Dependencies run one way: models ← queries ← filters. The conditions that read only the structure, its
terms and its commune are the model's own (StructureQuerySet verbs use them) and are re-exported here;
every other condition of the directory lives here and nowhere else.
"""

import datetime as dt
import math

from django.contrib.gis.geos import Point, Polygon
from django.contrib.gis.measure import D
from django.db.models import Case, DateField, Exists, OuterRef, Q, Value, When

from actors import freshness
from actors.enums import TermKind
from actors.models import Structure, StructureQPV, TemporaryClosure, WeeklySlot
from actors.models import structure as structure_conditions
from actors.opening import is_public_holiday
from actors.when import EVENING_MINUTE, Window

MAX_RADIUS_KM = 100


def open_during(window: Window, checked: dict[int, list[dt.date]]) -> Q:
    """Places open during `window` (see actors.when): the weekly slots of places whose hours never vary,
    minus public holidays and temporary closures; `checked` holds, for the places whose hours vary, the
    dates on which opening_hours found them open (closures are removed here, in SQL, for both)."""
    regular_days = [day for day in window.days if not is_public_holiday(day)]
    condition = Q(pk__isnull=True)  # never true, and unlike pk__in=[] it compiles inside aggregates
    if regular_days:
        slots = WeeklySlot.objects.filter(structure_id=OuterRef("pk"),
                                          weekday__in=[day.weekday() for day in regular_days])
        if window.at is not None:
            slots = slots.filter(opens__lte=window.at, closes__gt=window.at)
        if window.evening:
            # The evening opening must fall on the same date as the rest of the question.
            slots = slots.filter(Exists(WeeklySlot.objects.filter(
                structure_id=OuterRef("structure_id"), weekday=OuterRef("weekday"), closes__gt=EVENING_MINUTE)))
        slots = slots.annotate(day=Case(*[When(weekday=day.weekday(), then=Value(day)) for day in regular_days],
                                        output_field=DateField()))
        slots = slots.filter(~Exists(TemporaryClosure.objects.filter(
            structure_id=OuterRef("structure_id"), starts_on__lte=OuterRef("day"), ends_on__gte=OuterRef("day"))))
        condition = Q(hours_vary=False) & Exists(slots)
    by_day: dict[dt.date, list[int]] = {}
    for pk, days in checked.items():
        for day in days:
            by_day.setdefault(day, []).append(pk)
    for day, pks in sorted(by_day.items()):
        condition |= Q(pk__in=pks) & ~closed_on(day)
    return condition


def closed_on(day: dt.date) -> Exists:
    return Exists(TemporaryClosure.objects.filter(structure_id=OuterRef("pk"), starts_on__lte=day, ends_on__gte=day))


def varying_hours(queryset) -> list[tuple[int, str]]:
    """(pk, horaires) of the places of `queryset` whose hours the weekly slots cannot tell (one query)."""
    return list(queryset.filter(hours_vary=True).exclude(horaires="").values_list("pk", "horaires"))


def hours_unknown() -> Q:
    """No published hours: never counted as open, counted apart so the list can say how many."""
    return Q(horaires="")


def fees_unknown() -> Exists:
    return ~Exists(Structure.terms.through.objects.filter(structure_id=OuterRef("pk"), term__kind=TermKind.FRAIS))


def stale(now: dt.datetime) -> Q:
    """« À vérifier », the rule of actors.freshness (the same as Structure.objects.stale())."""
    return freshness.policy().stale_condition(now)


def with_all_terms(kind: str, codes: list[str]) -> Q:
    """A place must carry every code ticked (AND): the facet counts then say exactly what ticking gives."""
    condition = Q()
    for code in codes:
        condition &= with_any_term(kind, [code])
    return condition


# The model's own conditions (they need no other table than its terms and its commune), one home each.
with_any_term = structure_conditions.with_any_term
in_departement = structure_conditions.in_departement
in_epci = structure_conditions.in_epci
in_commune = structure_conditions.in_commune


def in_qpv(which: str) -> Exists:
    """`which`: "dans" (inside), "proche" (inside or within QPV_NEARBY_METERS) or a QPV code."""
    links = StructureQPV.objects.filter(structure_id=OuterRef("pk"))
    if which == "dans":
        links = links.filter(distance_m=0)
    elif which != "proche":
        links = links.filter(qpv_id=which)
    return Exists(links)


def bounding_box(point: Point, km: float) -> Polygon:
    """A lat/lon box around `point` that holds the circle; lets both databases use the spatial index."""
    dlat = km / 111.32
    dlon = km / (111.32 * max(math.cos(math.radians(point.y)), 0.01))
    box = Polygon.from_bbox((point.x - dlon, point.y - dlat, point.x + dlon, point.y + dlat))
    box.srid = 4326
    return box


def near(point: Point, km: float) -> Q:
    km = min(max(km, 0.1), MAX_RADIUS_KM)
    return Q(location__intersects=bounding_box(point, km)) & Q(location__distance_lte=(point, D(km=km)))
