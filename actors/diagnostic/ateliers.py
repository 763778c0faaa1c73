"""Ateliers in a territory's diagnostic: sessions to come in the next 90 days, per theme and per 10,000
inhabitants. One GROUP BY on the shown sessions (the public rule, AtelierSessionQuerySet.shown) of the area's
places; not kept with the cached figures, since it moves with the days as well as with the data."""

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from actors.diagnostic.areas import Area
from actors.models import AtelierSession, Structure

DAYS = 90


def sessions_by_theme(area: Area, *, population: int, now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    sessions = (AtelierSession.objects.shown().between(now, now + dt.timedelta(days=DAYS))
                .filter(series__structure__in=Structure.objects.filter(area.place_filter).values("pk")))
    rows = (sessions.order_by().values("series__themes__code")
            .annotate(count=Count("pk", distinct=True)).order_by("-count", "series__themes__code"))

    def per_10k(count: int) -> float | None:
        return count * 10_000 / population if population else None

    themes = [{"code": row["series__themes__code"] or "", "count": row["count"], "per_10k": per_10k(row["count"])}
              for row in rows]
    total = sessions.count()
    return {"days": DAYS, "total": total, "per_10k": per_10k(total), "themes": themes}
