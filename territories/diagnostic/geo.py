"""Distances in metres on a local flat projection: exact enough (< 0.5 %) within a département's width,
and the same numbers on SpatiaLite and PostGIS because both engines only hand over coordinates."""

import math
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Point, Polygon


class LocalProjection:
    """Equirectangular projection centred on a latitude: (lon, lat) degrees → (x, y) metres.

    The lengths of a degree are those of the WGS84 ellipsoid at that latitude (series of the usual geodesy
    tables), so distances agree with the official Lambert-93 projection within about 0.1 %."""

    def __init__(self, *, latitude: float):
        phi = math.radians(latitude)
        self.kx = 111_412.84 * math.cos(phi) - 93.5 * math.cos(3 * phi) + 0.118 * math.cos(5 * phi)
        self.ky = 111_132.92 - 559.82 * math.cos(2 * phi) + 1.175 * math.cos(4 * phi) - 0.0023 * math.cos(6 * phi)

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        return lon * self.kx, lat * self.ky

    def geometry(self, geometry: GEOSGeometry) -> GEOSGeometry:
        """A polygon or multipolygon in projected metres (for GEOS distances)."""
        def ring(coords):
            return [self.xy(lon, lat) for lon, lat in coords]

        def polygon(rings):
            return Polygon(*[ring(r) for r in rings])

        if geometry.geom_type == "Polygon":
            return polygon(geometry.coords)
        return MultiPolygon(*[polygon(rings) for rings in geometry.coords])


class PointIndex:
    """Points on a square grid, for "nearest point within R metres" without reading every point."""

    def __init__(self, points: Iterable[tuple[float, float]], *, cell_m: float = 5_000.0):
        self.cell = cell_m
        self.cells: dict[tuple[int, int], list[tuple[float, float]]] = defaultdict(list)
        for x, y in points:
            self.cells[(int(x // cell_m), int(y // cell_m))].append((x, y))

    def __bool__(self) -> bool:
        return bool(self.cells)

    def candidates(self, x: float, y: float, radius_m: float) -> Iterable[tuple[float, float]]:
        reach = int(math.ceil(radius_m / self.cell))
        cx, cy = int(x // self.cell), int(y // self.cell)
        for i in range(cx - reach, cx + reach + 1):
            for j in range(cy - reach, cy + reach + 1):
                yield from self.cells.get((i, j), ())

    def nearest(self, x: float, y: float, *, within_m: float) -> float | None:
        """Distance in metres to the nearest point, or None if none lies within `within_m`."""
        best = None
        for px, py in self.candidates(x, y, within_m):
            d = math.hypot(px - x, py - y)
            if d <= within_m and (best is None or d < best):
                best = d
        return best

    def any_near_shape(self, shape: GEOSGeometry, *, within_m: float) -> bool:
        """Whether a point lies within `within_m` of a projected polygon (inside included).

        Stops at the first point found; the exact (GEOS) distance is only computed for points whose
        distance to the polygon's box is already within reach."""
        xmin, ymin, xmax, ymax = shape.extent
        reach = int(math.ceil(within_m / self.cell))
        for i in range(int(xmin // self.cell) - reach, int(xmax // self.cell) + reach + 1):
            for j in range(int(ymin // self.cell) - reach, int(ymax // self.cell) + reach + 1):
                for px, py in self.cells.get((i, j), ()):
                    dx = max(xmin - px, 0.0, px - xmax)
                    dy = max(ymin - py, 0.0, py - ymax)
                    if dx * dx + dy * dy > within_m * within_m:
                        continue
                    if shape.distance(Point(px, py)) <= within_m:
                        return True
        return False
