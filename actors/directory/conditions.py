"""Conditions of the directory filters, as boolean expressions.

Each function returns a `Q` (or `Exists`) rather than a filtered queryset, so that one query can count
"what if this filter were removed" with conditional aggregates (see facets.relax_counts).
Dependencies run one way: models ← queries ← filters. The conditions that read only the structure, its
terms and its commune are the model's own (StructureQuerySet verbs use them) and are re-exported here;
every other condition of the directory lives here and nowhere else.
"""

import datetime as dt
from typing import NamedTuple

from django.contrib.gis.geos import Point, Polygon
from django.contrib.gis.measure import D
from django.db.models import Exists, OuterRef, Q

from actors.core import spatial_index
from actors.core.geo import box_around
from actors.core.honest_facts import claim_evidence
from actors.models import AtelierSession, FreshnessPolicy, Structure, StructureQPV, TemporaryClosure, WeeklySlot
from actors.models import structure as structure_conditions
from actors.opening.status import is_public_holiday
from actors.opening.window import EVENING_MINUTE, Window
from actors.vocabulary.enums import TermKind

MAX_RADIUS_KM = 100


def open_during(window: Window, settled: list[int]) -> Q:
    """Places open during `window` (see actors.opening.window).

    In SQL, the weekly slots answer for the places whose typical week tells every date (hours_vary False)
    and that have no temporary closure in the window: one EXISTS over the slots of the window's weekdays,
    public holidays left out (a regular place is closed on them). The other places — hours that vary, or a
    closure somewhere in the window — are few: `uncertain` reads them and `Window.holds` settles each one
    with opening_hours; `settled` is the list of those found open.
    """
    regular_days = [day for day in window.days if not is_public_holiday(day)]
    condition = Q(pk__in=settled) if settled else Q(pk__isnull=True)  # pk__in=[] does not compile in aggregates
    if not regular_days:
        return condition
    slots = WeeklySlot.objects.filter(structure_id=OuterRef("pk"), weekday__in=[day.weekday() for day in regular_days])
    if window.at is not None:
        slots = slots.filter(opens__lte=window.at, closes__gt=window.at)
    if window.evening:
        if window.at is None:
            slots = slots.filter(closes__gt=EVENING_MINUTE)
        else:  # the evening opening must fall on the same date as the one at `at`
            slots = slots.filter(Exists(WeeklySlot.objects.filter(
                structure_id=OuterRef("structure_id"), weekday=OuterRef("weekday"), closes__gt=EVENING_MINUTE)))
    return condition | (Q(hours_vary=False) & ~closed_during(window) & Exists(slots))


def closed_during(window: Window) -> Exists:
    """A temporary closure covering at least one date of the window."""
    return closed_between(window.days[0], window.days[-1])


def closed_between(first: dt.date, last: dt.date) -> Exists:
    return Exists(TemporaryClosure.objects.filter(structure_id=OuterRef("pk"), starts_on__lte=last, ends_on__gte=first))


def uncertain(queryset, days: list[dt.date]) -> dict[int, tuple[str, list]]:
    """{pk: (horaires, closures)} of the places the weekly slots cannot settle on some of `days` (the coming
    week, which holds every window): hours that vary, or a closure then (one query; closures LEFT JOINed).

    Both kinds are read from where they are few, the partial index of varying hours and the closures of the
    week, never by testing every public place (which cost 0.3 to 0.6 s at 100,000 places on each request)."""
    varying = Structure.objects.filter(hours_vary=True).values("pk")
    closed = TemporaryClosure.objects.filter(starts_on__lte=days[-1], ends_on__gte=days[0]).values("structure_id")
    rows = (queryset.filter(Q(pk__in=varying) | Q(pk__in=closed)).exclude(horaires="")
            .values_list("pk", "horaires", "closures__starts_on", "closures__ends_on"))
    found: dict[int, tuple[str, list]] = {}
    for pk, horaires, starts_on, ends_on in rows:
        closures = found.setdefault(pk, (horaires, []))[1]
        if starts_on is not None:
            closures.append(DatedClosure(starts_on, ends_on))
    return found


class DatedClosure(NamedTuple):
    starts_on: dt.date
    ends_on: dt.date


def opens_in_typical_week(*, weekday: int | None = None, evening: bool = False) -> Exists:
    """Coverage of the typical week (a territory's diagnostic), not an answer for real dates: an opening on
    `weekday`, and/or one ending after 18:00. Referral answers use `open_during`, which knows the dates."""
    return Exists(WeeklySlot.objects.filter(typical_week_slot(weekday=weekday, evening=evening),
                                            structure_id=OuterRef("pk")))


def typical_week_slot(*, weekday: int | None = None, evening: bool = False) -> Q:
    """The weekly slots that make a place count in `opens_in_typical_week`: aggregates over the slot table
    (the diagnostic's counts per territory) count the distinct places that have one."""
    condition = Q()
    if weekday is not None:
        condition &= Q(weekday=weekday)
    if evening:
        condition &= Q(closes__gt=EVENING_MINUTE)
    return condition


def hours_unknown() -> Q:
    """No published hours: never counted as open, counted apart so the list can say how many."""
    return Q(horaires="")


def fees_unknown() -> Exists:
    return ~Exists(Structure.terms.through.objects.filter(structure_id=OuterRef("pk"), term__kind=TermKind.FRAIS))


def stale(now: dt.datetime) -> Q:
    """« À vérifier », the rule of actors.freshness.rule (the same as Structure.objects.stale())."""
    return FreshnessPolicy.objects.current().stale_condition(now)


def with_any_term(kind: str, codes: list[str]) -> Q:
    """The model's term condition, where blanket claims (see actors/core/honest_facts.py) are no evidence."""
    return claim_evidence(kind) & structure_conditions.with_any_term(kind, codes)


# The model's own conditions (they need no other table than its terms and its commune), one home each.
in_departement = structure_conditions.in_departement
in_epci = structure_conditions.in_epci
in_commune = structure_conditions.in_commune


def with_term_ids(ids: list[int]) -> Exists:
    """A place carries one of these terms. The ids come from the vocabulary the filter set already read, so
    the database probes the (structure, term) index alone, without joining the term table."""

    return Exists(Structure.terms.through.objects.filter(structure_id=OuterRef("pk"), term_id__in=ids))


def in_qpv(*, code: str | None, within_m: int) -> Exists:
    """Inside (0) or within `within_m` metres of a QPV (that QPV when `code` is given), as measured by
    territories.qpv_distance when the place was written."""
    links = StructureQPV.objects.filter(structure_id=OuterRef("pk"), distance_m__lte=within_m)
    if code is not None:
        links = links.filter(qpv_id=code)
    return Exists(links)


def bounding_box(point: Point, km: float) -> Polygon:
    """A lat/lon box around `point` that holds the circle; lets both databases use the spatial index.

    The bounds of a degree's length on the ellipsoid (actors.core.geo.box_around, measured at the circle's
    latitude furthest from the equator) make sure no place of the circle lies outside it
    (actors/directory/nearest.py counts on it).
    """
    box = Polygon.from_bbox(box_around(point, km * 1000))
    box.srid = 4326
    return box


def near(point: Point, km: float) -> Q:
    return near_box(point, km) & within(point, km)


def near_box(point: Point, km: float) -> Q:
    """The box around the circle, read from the spatial index: `near` without measuring."""

    west, south, east, north = bounding_box(point, min(max(km, 0.1), MAX_RADIUS_KM)).extent
    return spatial_index.in_box(west, south, east, north)


def within(point: Point, km: float) -> Q:
    """The exact circle (a distance per row: after the box)."""
    return Q(location__distance_lte=(point, D(km=min(max(km, 0.1), MAX_RADIUS_KM)), "spheroid"))


def with_sessions_this_week(now: dt.datetime) -> Exists:
    """Places with a session not cancelled from now to Sunday night (the places are already public ones)."""
    return Exists(AtelierSession.objects.not_cancelled().this_week(now).filter(series__structure_id=OuterRef("pk")))
