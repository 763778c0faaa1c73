"""A territory's freshness over time: the share of its places verified, or updated by their source, in the
12 months before each day.

`record()` stores today's figures (FreshnessSnapshot, one row per département and day; run daily by
`manage.py record_freshness`, cron or the worker). `backfill()` rebuilds the month ends of the past year that
have no row from the places' current dates: a place confirmed since then may have been confirmed before too,
which these dates no longer tell, so such rows are marked `estimated` and the dashboard says so. An EPCI's or a
commune's coordinator, without a record of their own, gets the same estimate from `from_dates()`.
Places are counted as the public counts them: published, one per folded group of duplicates.
"""

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from actors.models import FreshnessSnapshot, Structure
from actors.vocabulary.enums import PublicationState

WINDOW_DAYS = 365


def _fresh_on(day: dt.date) -> tuple[Q, Q]:
    """(verified in the 12 months to `day`, else updated by the source in them), as a place's dates tell."""
    end = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()))
    verified = Q(verified_at__gte=end - dt.timedelta(days=WINDOW_DAYS), verified_at__lt=end)
    updated = Q(date_maj__gt=day - dt.timedelta(days=WINDOW_DAYS), date_maj__lte=day) & ~verified
    return verified, updated


def _public(places=None):
    """Places as the public counts them: published, one per folded group of duplicates, in a commune."""
    places = Structure.objects.all() if places is None else places
    return places.filter(state=PublicationState.PUBLISHED, folded_into__isnull=True, commune__isnull=False)


def _counts(day: dt.date, departements: list[str] | None = None) -> dict[str, tuple[int, int, int]]:
    """{département: (places, verified in the 12 months to `day`, else updated by the source in them)}, as the
    places' current dates tell; one grouped query."""
    verified, updated = _fresh_on(day)
    places = _public()
    if departements is not None:
        places = places.filter(commune__departement_id__in=departements)
    rows = (places.order_by().values("commune__departement_id")
            .annotate(total=Count("pk"), verified=Count("pk", filter=verified), updated=Count("pk", filter=updated)))
    return {row["commune__departement_id"]: (row["total"], row["verified"], row["updated"]) for row in rows}


@transaction.atomic
def record(*, day: dt.date | None = None) -> int:
    """Store (or replace) the figures of `day` (today) for every département with places; returns the rows."""
    day = day or timezone.localdate()
    counts = _counts(day)
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
    """The latest row of each month of the past year and of this month, oldest first."""
    today = today or timezone.localdate()
    since = month_ends(today)[0].replace(day=1)
    latest: dict[tuple[int, int], FreshnessSnapshot] = {}
    for row in FreshnessSnapshot.objects.filter(departement_id=departement, day__gte=since).order_by("day"):
        latest[(row.day.year, row.day.month)] = row
    return [Month(row.day, row.total, row.verified, row.source_updated, row.estimated) for row in latest.values()]


def from_dates(places, *, today: dt.date | None = None) -> list[Month]:
    """The past 12 month ends and today for any set of places (an EPCI's, a commune's: the daily record is kept
    per département), from the places' current dates in one query. Past months are estimates, as backfill's."""
    today = today or timezone.localdate()
    days = [*month_ends(today), today]
    aggregates = {"total": Count("pk")}
    for index, day in enumerate(days):
        verified, updated = _fresh_on(day)
        aggregates[f"verified_{index}"] = Count("pk", filter=verified)
        aggregates[f"updated_{index}"] = Count("pk", filter=updated)
    row = _public(places).aggregate(**aggregates)
    if not row["total"]:
        return []
    return [Month(day, row["total"], row[f"verified_{index}"], row[f"updated_{index}"], day != today)
            for index, day in enumerate(days)]


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
