"""A territory's freshness over time: the share of its places « à jour » on each day, by the freshness rule of
their département (actors/freshness/rule.py, `FreshnessPolicy.objects.current()`: 12 months by default, the
months its coordinators set otherwise), split into those verified and those updated by their source.

`record()` stores today's figures (FreshnessSnapshot, one row per département and day; run daily by
`manage.py record_freshness`, cron or the worker). `backfill()` rebuilds the month ends of the past year that
have no row from the places' current dates: a place confirmed since then may have been confirmed before too,
which these dates no longer tell, so such rows are marked `estimated` and the dashboard says so. An EPCI's or a
commune's coordinator, without a record of their own, gets the same estimate from `from_dates()`.
Places are counted as the public counts them (`Structure.objects.public()`), and today's point is counted at
once from the places (`Structure.objects.public().fresh()`), so the dashboard's last point is the figure every
other page gives.
"""

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actors.freshness.rule import Policy
from actors.models import FreshnessPolicy, FreshnessSnapshot, Structure
from territories.models import Departement


def _end_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))


def _by_departement(policy: Policy, days_of: dict[str, int], part) -> Q:
    """`part(days)` for each département's own limit in `days_of`, the default limit elsewhere."""
    condition = Q()
    for code, days in days_of.items():
        condition |= Q(commune__departement_id=code) & part(days)
    if not days_of:
        return part(policy.default_days)
    return condition | (~Q(commune__departement_id__in=list(days_of)) & part(policy.default_days))


def _fresh_on(day: dt.date, *, now: dt.datetime | None = None) -> tuple[Q, Q]:
    """(verified within its département's limit before `day`, else updated by the source within it), as the
    places' dates tell. With `now` (today's point) exactly `Structure.objects.fresh(now)`; for a past day, at its
    end and without the dates that came after it."""
    policy = FreshnessPolicy.objects.current()
    at = now or _end_of(day)

    def verified_within(days: int) -> Q:
        condition = Q(verified_at__gte=at - dt.timedelta(days=days))
        return condition if now is not None else condition & Q(verified_at__lt=at)

    def updated_within(days: int) -> Q:
        condition = Q(date_maj__gte=timezone.localdate(at - dt.timedelta(days=days)))
        return condition if now is not None else condition & Q(date_maj__lte=day)

    verified = _by_departement(policy, policy.by_departement, verified_within)
    updated = _by_departement(policy, policy.by_departement, updated_within) & ~verified
    return verified, updated


def _public(places=None, *, day: dt.date | None = None, now: dt.datetime | None = None):
    """Places as the public counts them (`Structure.objects.public()`), in a commune. A past day leaves out the
    places its département's rule had taken off the public pages by then (as far as their dates tell)."""
    places = Structure.objects.all() if places is None else places
    if now is not None or day is None:
        return places.public().filter(commune__isnull=False)
    hidden = FreshnessPolicy.objects.current().hidden_condition(_end_of(day))
    places = places.published().filter(folded_into__isnull=True, commune__isnull=False)
    return places if hidden is None else places.exclude(hidden)


def _counts(day: dt.date, departements: list[str] | None = None, *,
            now: dt.datetime | None = None) -> dict[str, tuple[int, int, int]]:
    """{département: (places, verified within its limit on `day`, else updated by the source within it)}, as the
    places' current dates tell; one grouped query. With `now`: today's figures, those of every other page."""
    verified, updated = _fresh_on(day, now=now)
    places = _public(day=day, now=now)
    if departements is not None:
        places = places.filter(commune__departement_id__in=departements)
    rows = (places.order_by().values("commune__departement_id")
            .annotate(total=Count("pk"), verified=Count("pk", filter=verified), updated=Count("pk", filter=updated)))
    return {row["commune__departement_id"]: (row["total"], row["verified"], row["updated"]) for row in rows}


@transaction.atomic
def record(*, day: dt.date | None = None) -> int:
    """Store (or replace) the figures of `day` (today) for every département with places; returns the rows."""
    now = timezone.now()
    day = day or timezone.localdate(now)
    counts = _counts(day, now=now if day == timezone.localdate(now) else None)
    FreshnessSnapshot.objects.filter(day=day).delete()
    FreshnessSnapshot.objects.bulk_create(
        FreshnessSnapshot(day=day, departement_id=code, total=total, verified=verified, source_updated=updated)
        for code, (total, verified, updated) in counts.items())
    return len(counts)


def month_ends(today: dt.date, months: int = 12) -> list[dt.date]:
    """The last day of each of the `months` months before today's, oldest first."""
    ends, year, month = [], today.year, today.month
    for _step in range(months):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        ends.append(dt.date(year, month, calendar.monthrange(year, month)[1]))
    return ends[::-1]


@transaction.atomic
def backfill(*, today: dt.date | None = None) -> int:
    """Estimated rows for the past 12 month ends that have none; returns how many rows were written."""
    today = today or timezone.localdate()
    written = 0
    for day in month_ends(today):
        known = set(FreshnessSnapshot.objects.filter(day=day).values_list("departement_id", flat=True))
        rows = [FreshnessSnapshot(day=day, departement_id=code, total=total, verified=verified,
                                  source_updated=updated, estimated=True)
                for code, (total, verified, updated) in _counts(day).items() if code not in known]
        FreshnessSnapshot.objects.bulk_create(rows)
        written += len(rows)
    return written


@dataclass(frozen=True)
class Month:
    day: dt.date
    total: int
    verified: int
    source_updated: int
    estimated: bool

    @property
    def fresh(self) -> int:
        return self.verified + self.source_updated

    def share(self, count: int) -> float:
        return 100 * count / self.total if self.total else 0.0

    @property
    def fresh_share(self) -> float:
        return self.share(self.fresh)

    @property
    def verified_share(self) -> float:
        return self.share(self.verified)


def monthly(departement: str, *, today: dt.date | None = None) -> list[Month]:
    """The latest row of each month of the past year, oldest first, then today's figures counted from the places
    (the same as `Structure.objects.public().fresh()`, whether or not today's row is recorded yet)."""
    now = timezone.now()
    today = today or timezone.localdate(now)
    since = month_ends(today)[0].replace(day=1)
    latest: dict[tuple[int, int], FreshnessSnapshot] = {}
    for row in FreshnessSnapshot.objects.filter(departement_id=departement, day__gte=since, day__lt=today
                                                ).order_by("day"):
        latest[(row.day.year, row.day.month)] = row
    months = [Month(row.day, row.total, row.verified, row.source_updated, row.estimated)
              for key, row in latest.items() if key != (today.year, today.month)]
    live = today == timezone.localdate(now)
    current = _counts(today, [departement], now=now if live else None).get(departement)
    if current is None:
        return months
    return [*months, Month(today, *current, estimated=False)]


def from_dates(places, *, today: dt.date | None = None) -> list[Month]:
    """The past 12 month ends and today for any set of places (an EPCI's, a commune's: the daily record is kept
    per département), from the places' current dates in one query. Past months are estimates, as backfill's;
    today's point is `places.public().fresh()`."""
    now = timezone.now()
    today = today or timezone.localdate(now)
    live = today == timezone.localdate(now)
    policy = FreshnessPolicy.objects.current()
    days = [*month_ends(today), today]
    aggregates = {}
    for index, day in enumerate(days):
        at = now if day == today and live else None
        hidden = policy.hidden_condition(at or _end_of(day))
        shown = Q() if hidden is None else ~hidden
        verified, updated = _fresh_on(day, now=at)
        aggregates[f"total_{index}"] = Count("pk", filter=shown)
        aggregates[f"verified_{index}"] = Count("pk", filter=shown & verified)
        aggregates[f"updated_{index}"] = Count("pk", filter=shown & updated)
    row = places.published().filter(folded_into__isnull=True, commune__isnull=False).aggregate(**aggregates)
    last = len(days) - 1
    if not row[f"total_{last}"]:
        return []
    return [Month(day, row[f"total_{index}"], row[f"verified_{index}"], row[f"updated_{index}"], day != today)
            for index, day in enumerate(days)]


def departements_of(places) -> list[str]:
    """The départements where `places` stand (one probe per département)."""
    return list(Departement.objects.filter(Exists(places.filter(commune__departement_id=OuterRef("code"))))
                .order_by("code").values_list("code", flat=True))


def limit_months(places=None, *, departements: Iterable[str] | None = None) -> int | None:
    """The months of the freshness rule of these places (or départements); None when they mix départements with
    different limits."""
    policy = FreshnessPolicy.objects.current()
    if policy.is_uniform():
        return policy.months_for(None)
    codes = list(departements) if departements is not None else departements_of(places)
    months = {policy.months_for(code) for code in codes} or {policy.months_for(None)}
    return months.pop() if len(months) == 1 else None


def fresh_label(months: int | None) -> str:
    """« À jour (6 derniers mois) », or « À jour (selon la règle de chaque département) »."""
    if months is None:
        return _("À jour (selon la règle de chaque département)")
    return ngettext("À jour (%(months)s dernier mois)", "À jour (%(months)s derniers mois)", months) % {
        "months": months}


def stale_label(months: int | None) -> str:
    """« À vérifier (plus de 6 mois) », or « À vérifier (selon la règle de chaque département) »."""
    if months is None:
        return _("À vérifier (selon la règle de chaque département)")
    return ngettext("À vérifier (plus de %(months)s mois)", "À vérifier (plus de %(months)s mois)", months) % {
        "months": months}


def window_text(months: int | None) -> str:
    """How the history counts, in the dashboard's words."""
    if months is None:
        return _("Part des lieux publics vérifiés (par le lieu ou la coordination), ou mis à jour par la source, "
                 "dans le délai fixé par la règle de fraîcheur de leur département, avant chaque fin de mois.")
    return ngettext("Part des lieux publics vérifiés (par le lieu ou la coordination), ou mis à jour par la source, "
                    "dans le %(months)s mois précédant chaque fin de mois.",
                    "Part des lieux publics vérifiés (par le lieu ou la coordination), ou mis à jour par la source, "
                    "dans les %(months)s mois précédant chaque fin de mois.", months) % {"months": months}


def line_chart(months: list[Month], *, width: int = 560, height: int = 180) -> dict:
    """Coordinates of an SVG line chart (0–100 %) drawn by the template, without any script."""
    left, right, top, bottom = 40, 22, 10, 30
    inner_w, inner_h = width - left - right, height - top - bottom
    step = inner_w / max(len(months) - 1, 1)

    # Coordinates as text: the template would print floats in the page's locale (« 150,0 » in French).
    def x(index: int) -> str:
        return f"{left + index * step:.1f}"

    def y(share: float) -> str:
        return f"{top + inner_h * (1 - share / 100):.1f}"

    def line(values: list[float]) -> str:
        return " ".join(f"{x(i)},{y(v)}" for i, v in enumerate(values))

    return {
        "width": width, "height": height, "left": left, "label_x": left - 4, "right": width - right,
        "label_y": top + inner_h + 16,
        "fresh": line([m.fresh_share for m in months]), "verified": line([m.verified_share for m in months]),
        "grid": [{"y": y(share), "label": f"{share} %"} for share in (0, 50, 100)],
        "ticks": [{"x": x(i), "label": m.day.strftime("%m/%y")} for i, m in enumerate(months)],
        "points": [{"x": x(i), "y": y(m.fresh_share), "estimated": m.estimated} for i, m in enumerate(months)],
    }
