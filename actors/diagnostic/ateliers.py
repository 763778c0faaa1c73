"""Ateliers in a territory's diagnostic: sessions to come in the next 90 days, per theme and per 10,000
inhabitants, and the communes without any session within a chosen distance. Both read the shown sessions (the
public rule, AtelierSessionQuerySet.shown); not kept with the cached figures, since they move with the days.

The communes without a session are found by the diagnostic's own machinery for « communes lacking a service
within N km » (actors.diagnostic.compute and nearby): commune centres and the places holding a session,
projected on the territory's conformal projection, a place across the border counting too, and a commune where
such a place stands (or that an itinerant one serves) at distance 0.
"""

import datetime as dt

import numpy as np
from django.db.models import Count
from django.db.models.functions import Coalesce
from django.utils import timezone

from actors.core import spatial_index
from actors.diagnostic.areas import Area
from actors.diagnostic.compute import _bbox
from actors.diagnostic.nearby import Places
from actors.map.data import X, Y
from actors.models import AtelierSession, Structure
from territories.projection import ConformalProjection

DAYS = 90


def _sessions(now: dt.datetime):
    return AtelierSession.objects.shown().between(now, now + dt.timedelta(days=DAYS))


def sessions_by_theme(area: Area, *, population: int, now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    sessions = _sessions(now).filter(series__structure__in=Structure.objects.filter(area.place_filter).values("pk"))
    rows = (sessions.order_by().values("series__themes__code")
            .annotate(count=Count("pk", distinct=True)).order_by("-count", "series__themes__code"))

    def per_10k(count: int) -> float | None:
        return count * 10_000 / population if population else None

    themes = [{"code": row["series__themes__code"] or "", "count": row["count"], "per_10k": per_10k(row["count"])}
              for row in rows]
    total = sessions.count()
    return {"days": DAYS, "total": total, "per_10k": per_10k(total), "themes": themes}


def communes_without_sessions(area: Area, *, service_km: int, now: dt.datetime | None = None) -> dict:
    """The communes of `area` whose centre is farther than `service_km` from every place holding a session in
    the coming 90 days (0 when such a place stands in the commune or serves it), most populated first."""
    now = now or timezone.now()
    hosts = Structure.objects.public().filter(pk__in=_sessions(now).values("series__structure_id"))
    communes = list(area.communes().annotate(x=X("centre"), y=Y("centre"))
                    .values("code", "name", "population", "x", "y"))
    at_home = set(hosts.order_by().values_list(Coalesce("commune__parent_id", "commune_id"), flat=True))
    at_home |= set(Structure.service_area.through.objects.filter(structure__in=hosts.order_by().values("pk"))
                   .values_list("commune_id", flat=True))
    bbox = _bbox([(c["x"], c["y"]) for c in communes if c["x"] is not None], [], margin_km=service_km)
    places = Places(np.zeros((0, 2)), np.zeros(0, dtype=np.int64))
    projection = None
    if bbox is not None:
        projection = ConformalProjection(longitude=(bbox[0] + bbox[2]) / 2, latitude=(bbox[1] + bbox[3]) / 2)
        inside = hosts.filter(spatial_index.in_box(*bbox)).filter(location__intersects=spatial_index.box(*bbox))
        points = list(inside.order_by().annotate(x=X("location"), y=Y("location")).values_list("x", "y"))
        places = Places(projection.project(np.array(points, dtype=float).reshape(-1, 2)),
                        np.ones(len(points), dtype=np.int64))
    service_m = service_km * 1000
    lacking = []
    for commune in communes:
        if commune["code"] in at_home:
            continue
        offered = 0
        if commune["x"] is not None and projection is not None:
            _nearest, offered = places.from_point(*projection.xy(commune["x"], commune["y"]), within_m=service_m,
                                                  service_m=service_m,
                                                  scale=projection.scale(commune["x"], commune["y"]))
        if not offered:
            lacking.append({"code": commune["code"], "name": commune["name"], "population": commune["population"]})
    lacking.sort(key=lambda c: (-(c["population"] or 0), c["name"]))
    return {"km": service_km, "communes": len(communes), "communes_without": lacking,
            "population_without": sum(c["population"] or 0 for c in lacking)}
