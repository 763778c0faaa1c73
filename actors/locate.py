"""Where a structure is: its commune (from the published codes, else its point) and nearby QPV."""

import math

from django.conf import settings
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point

from territories.models import QPV, Commune
from territories.text import fold

# Degrees of latitude per metre, for a bounding-box prefilter that works on both databases.
DEGREES_PER_METRE = 1 / 111_320


class CommuneLookups:
    """The three reads `find_commune` makes, one query each; `actors.importers.bulk.CommuneIndex` answers
    the same from communes loaded once for a whole file."""

    def by_code(self, code: str) -> Commune | None:
        return Commune.objects.filter(pk=code).first()

    def by_postcode(self, code_postal: str) -> list[Commune]:
        return list(Commune.objects.filter(postal_codes__contains=code_postal))

    def nearest(self, point: Point) -> Commune | None:
        return nearest_commune(point)


def find_commune(
    code_insee: str, code_postal: str, commune_nom: str, point: Point | None, *, lookups: CommuneLookups | None = None
) -> Commune | None:
    lookups = lookups or CommuneLookups()
    if code_insee:
        commune = lookups.by_code(code_insee)
        if commune:
            return commune
    if code_postal:
        candidates = lookups.by_postcode(code_postal)
        candidates = [c for c in candidates if code_postal in c.postal_code_list]
        wanted = fold(commune_nom)
        for candidate in candidates:
            if wanted and fold(candidate.name) == wanted:
                return candidate
        if len(candidates) == 1:
            return candidates[0]
        if candidates and point is not None:
            return min(candidates, key=lambda c: c.centre.distance(point) if c.centre else math.inf)
    if point is not None:
        return lookups.nearest(point)
    return None


def nearest_commune(point: Point) -> Commune | None:
    box = point.buffer(0.3)
    return (
        Commune.objects.filter(centre__intersects=box, kind=Commune.Kind.COMMUNE)
        .annotate(distance=Distance("centre", point))
        .order_by("distance")
        .first()
    )


def metres_between(geometry, point: Point) -> float:
    """Distance in metres, through Web Mercator corrected by the latitude's scale factor."""
    scale = math.cos(math.radians(point.y))
    return geometry.transform(3857, clone=True).distance(point.transform(3857, clone=True)) * scale


def nearby_qpvs(point: Point, within_m: int | None = None) -> list[tuple[QPV, int]]:
    """QPV that contain the point (distance 0) or lie within `within_m` metres of it."""
    within_m = settings.QPV_NEARBY_METERS if within_m is None else within_m
    margin = within_m * DEGREES_PER_METRE / max(math.cos(math.radians(point.y)), 0.2)
    found = []
    for qpv in QPV.objects.filter(perimeter__intersects=point.buffer(margin)):
        distance = 0 if qpv.perimeter.contains(point) else round(metres_between(qpv.perimeter, point))
        if distance <= within_m:
            found.append((qpv, distance))
    return found
