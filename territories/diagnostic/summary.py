"""The indicators that aggregate SQL can give for any territory, from a commune to France.

They are the columns of the comparison with the parents, so they use only counts and sums (no distance).
Places are read through `Structure.objects.public()` and the directory's own opening verbs.
"""

import datetime as dt

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.utils import timezone

from actors import queries
from actors.enums import TermKind
from actors.models import Structure, WeeklySlot
from territories.diagnostic.areas import Area
from territories.models import Commune

FEES = ("gratuit", "gratuit-sous-condition", "payant")


def _ratio(part: float | None, whole: float | None) -> float | None:
    """A share in [0, 1], or None where the whole is zero: the page then says why instead of dividing."""
    return None if not whole else (part or 0) / whole


def _per_10k(count: float, population: int) -> float | None:
    return None if not population else count * 10_000 / population


def communes_with_a_place(area: Area):
    """Communes of `area` where a place stands (an arrondissement's place counts for its city) or that an
    itinerant place serves. Each condition is led by the commune or by the small sets (45 arrondissements,
    a few hundred service-area links), never by a scan of the places."""
    public = Structure.objects.public()
    arrondissements = (Commune.objects.filter(kind=Commune.Kind.ARRONDISSEMENT)
                       .filter(Exists(public.filter(commune_id=OuterRef("code")))).values("parent_id"))
    served = (Structure.service_area.through.objects.filter(commune_id__in=area.communes().values("code"))
              .filter(Exists(public.filter(pk=OuterRef("structure_id")))).values("commune_id"))
    return area.communes().filter(
        Q(Exists(public.filter(commune_id=OuterRef("code")))) | Q(code__in=arrondissements) | Q(code__in=served)
    )


def summary(area: Area, *, now: dt.datetime | None = None) -> dict:
    """Four queries whatever the territory: population, covered population, one pass over the places
    with conditional counts (each condition an indexed probe per place), and the weekly hours."""
    now = now or timezone.now()
    population = area.communes().aggregate(population=Sum("population"))["population"] or 0
    places = area.places()
    covered = communes_with_a_place(area).aggregate(population=Sum("population"))["population"] or 0
    minutes = WeeklySlot.objects.filter(structure__in=places).aggregate(total=Sum(F("closes") - F("opens")))
    weekly_hours = (minutes["total"] or 0) / 60
    conditions = {
        # The typical week's coverage: "le soir" is an opening ending after 18:00 on any day.
        "evening": Q(queries.opens_in_typical_week(evening=True)),
        "saturday": Q(queries.opens_in_typical_week(weekday=5)),
        "sunday": Q(queries.opens_in_typical_week(weekday=6)),
        "fresh": ~queries.stale(now),  # the one freshness rule (actors/freshness.py)
        "no_hours": queries.hours_unknown(),
        "no_contact": Q(telephone="", courriels="", site_web=""),
        "approximate": Q(location_is_approximate=True) | Q(location__isnull=True),
        "fee_unknown": Q(queries.fees_unknown()),
        **{f"fee:{code}": queries.with_any_term(TermKind.FRAIS, [code]) for code in FEES},
    }
    totals = places.aggregate(count=Count("pk"), **{
        name.replace(":", "__").replace("-", "_"): Count("pk", filter=condition)
        for name, condition in conditions.items()})
    count = totals.pop("count")
    counts = {name: totals[name.replace(":", "__").replace("-", "_")] for name in conditions}
    fee_counts = {code: counts.pop(f"fee:{code}") for code in FEES}
    fee_unknown = counts.pop("fee_unknown")
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
