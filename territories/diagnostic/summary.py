"""The indicators that aggregate SQL can give for any territory, from a commune to France.

They are the columns of the comparison with the parents, so they use only counts and sums (no distance).
Places are read through `Structure.objects.public()` and the directory's own opening verbs.
"""

import datetime as dt

from django.db.models import F, Q, Sum
from django.utils import timezone

from actors.enums import TermKind
from actors.models import Structure, WeeklySlot
from territories.diagnostic.areas import Area

FEES = ("gratuit", "gratuit-sous-condition", "payant")
FRESH_MONTHS = 12


def fresh_condition(*, now: dt.datetime) -> Q:
    """Verified by the coordination or updated by its source within the last 12 months."""
    since = now - dt.timedelta(days=365 * FRESH_MONTHS // 12)
    return Q(verified_at__gte=since) | Q(date_maj__gte=timezone.localtime(since).date())


def _ratio(part: float | None, whole: float | None) -> float | None:
    """A share in [0, 1], or None where the whole is zero: the page then says why instead of dividing."""
    return None if not whole else (part or 0) / whole


def _per_10k(count: float, population: int) -> float | None:
    return None if not population else count * 10_000 / population


def communes_with_a_place(area: Area):
    """Communes of `area` where a place stands (an arrondissement's place counts for its city) or that an
    itinerant place serves."""
    public = Structure.objects.public()
    return area.communes().filter(
        Q(code__in=public.values("commune_id"))
        | Q(code__in=public.filter(commune__parent__isnull=False).values("commune__parent_id"))
        | Q(code__in=Structure.service_area.through.objects.filter(structure__in=public).values("commune_id"))
    )


def summary(area: Area, *, now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    communes = area.communes().aggregate(population=Sum("population"))
    population = communes["population"] or 0
    places = area.places()
    count = places.count()
    covered = communes_with_a_place(area).aggregate(population=Sum("population"))["population"] or 0
    minutes = WeeklySlot.objects.filter(structure__in=places).aggregate(total=Sum(F("closes") - F("opens")))
    weekly_hours = (minutes["total"] or 0) / 60
    fee_counts = {code: places.with_term(TermKind.FRAIS, [code]).count() for code in FEES}
    fee_unknown = places.exclude(terms__kind=TermKind.FRAIS).count()
    counts = {
        "evening": places.open_evening().count(),
        "saturday": places.open_on(5).count(),
        "sunday": places.open_on(6).count(),
        "fresh": places.filter(fresh_condition(now=now)).count(),
        "no_hours": places.filter(horaires="").count(),
        "no_contact": places.filter(telephone="", courriels="", site_web="").count(),
        "approximate": places.filter(Q(location_is_approximate=True) | Q(location__isnull=True)).count(),
    }
    return {
        "kind": area.kind, "code": area.code, "name": area.name,
        "population": population, "places": count,
        "places_per_10k": _per_10k(count, population),
        "population_with_place": covered, "population_with_place_share": _ratio(covered, population),
        "weekly_hours": weekly_hours, "weekly_hours_per_10k": _per_10k(weekly_hours, population),
        **counts,
        **{f"{name}_share": _ratio(value, count) for name, value in counts.items()},
        "fees": fee_counts, "fee_unknown": fee_unknown,
        "fees_share": {code: _ratio(value, count) for code, value in fee_counts.items()},
        "fee_unknown_share": _ratio(fee_unknown, count),
    }
