"""Positions and distances: the one home of how far two places are, and of a point's coordinates in SQL.

`metres_between` is the geodesic on the GRS80 ellipsoid (Vincenty's inverse formula, in
territories/projection.py so that territories and the pure rules below actors.core may use it too), for one
pair of points;
many distances at once (the territory diagnostic, QPV links) are measured on the territory's conformal
projection (territories/projection.py, corrected by its scale factor), which agrees with it within 0.02 %
up to 30 km. The far-point rule (a point more than 20 km beyond its commune's reach) lives here only.
"""

from django.contrib.gis.geos import Point
from django.db import models

from territories.models import Commune
from territories.projection import (  # noqa: F401  (re-exported: the one home of distances for actors)
    MIN_METRES_PER_DEGREE_LAT,
    ConformalProjection,
    degrees_around,
    lonlat_metres,
)

# A point farther than this beyond its commune's reach (`Commune.reach_m`: at least to its town hall, 0 for
# most communes) is a far point: the admin refuses it, an import replaces it by the centre
# (actors.core.honest_facts) and reports the disagreement (actors.core.locate).
FAR_POINT_M = 20_000


class X(models.Func):
    function = "ST_X"
    output_field = models.FloatField()


class Y(models.Func):
    function = "ST_Y"
    output_field = models.FloatField()


def metres_between(a: Point, b: Point) -> float:
    """Geodesic distance in metres between two (longitude, latitude) points, on the ellipsoid."""
    return lonlat_metres(a.x, a.y, b.x, b.y)


def km_between(a: Point, b: Point) -> float:
    """`metres_between` in kilometres."""
    return metres_between(a, b) / 1000


def far_limit_m(commune: Commune) -> int:
    """How far from its centre a point of this commune may lie: 20 km beyond the commune's own reach, so that
    the places of Kourou (29 km from its centre) or Camopi (63 km) keep their points."""
    return FAR_POINT_M + (commune.reach_m or 0)


def is_far_from(point: Point, commune: Commune) -> bool:
    """The far-point rule: more than `far_limit_m` from the commune's centre (never for a commune without one)."""
    return commune.centre is not None and metres_between(point, commune.centre) > far_limit_m(commune)


def box_around(point: Point, metres: float) -> tuple[float, float, float, float]:
    """(west, south, east, north) in degrees holding every point within `metres` of `point`."""
    dlon, dlat = degrees_around(metres, point.y)
    return point.x - dlon, point.y - dlat, point.x + dlon, point.y + dlat
