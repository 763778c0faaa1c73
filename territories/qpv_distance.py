"""How far a place is from a QPV: the one rule behind the list's QPV filter, the QPV pages and the diagnostic.

A place's distance to a QPV is measured from the perimeter, in metres on the ground: on the territory's
conformal projection (territories/projection.py), divided by its scale factor at the QPV. It is 0 when
the perimeter contains the point and at least 1 m otherwise, so "inside" never depends on rounding. Places
within `REACH_M` of a QPV are linked to it (actors.StructureQPV) when they are written; every reader counts those links.
"""

import math
from collections import defaultdict
from collections.abc import Iterable

from django.contrib.gis.geos import GEOSGeometry, Point

from territories.projection import ConformalProjection, degrees_around

INSIDE_M, NEAR_M, WITHIN_M = 0, 300, 1_000
RINGS_M = (INSIDE_M, NEAR_M, WITHIN_M)
REACH_M = WITHIN_M


def reach_box(extent: tuple[float, float, float, float], metres: float = REACH_M) -> tuple[float, float, float, float]:
    """(west, south, east, north) widened by at least `metres` on every side (boxes only pre-select, the
    projection decides)."""
    west, south, east, north = extent
    dlon, dlat = degrees_around(metres, max(abs(south), abs(north)))
    return west - dlon, south - dlat, east + dlon, north + dlat


class QPVShape:
    """One perimeter, projected once, measuring many points."""

    def __init__(self, code: str, perimeter: GEOSGeometry):
        west, south, east, north = perimeter.extent
        self.code = code
        self.box = reach_box(perimeter.extent)
        # Conformal: containment is the same as in degrees (edges a few hundred metres long bend by
        # millimetres); lengths are the ground's times the scale factor, constant within 0.01 % at 1 km.
        self.projection = ConformalProjection(longitude=(west + east) / 2, latitude=(south + north) / 2)
        self.scale = self.projection.scale()
        self.shape = self.projection.geometry(perimeter)
        self.prepared = self.shape.prepared

    def distance_m(self, lon: float, lat: float) -> int | None:
        """Metres from the perimeter (0 inside), or None beyond `REACH_M`."""
        west, south, east, north = self.box
        if not (west <= lon <= east and south <= lat <= north):
            return None
        point = Point(*self.projection.xy(lon, lat))
        if self.prepared.contains(point):
            return 0
        metres = max(1, round(self.shape.distance(point) / self.scale))
        return metres if metres <= REACH_M else None


class ShapeGrid:
    """Many perimeters in a grid of their reach boxes: the QPV within reach of a point without a query."""

    CELL = 0.1  # degrees

    def __init__(self, perimeters: Iterable[tuple[str, GEOSGeometry]]):
        self.cells: dict[tuple[int, int], list[QPVShape]] = defaultdict(list)
        for code, perimeter in perimeters:
            shape = QPVShape(code, perimeter)
            west, south, east, north = shape.box
            for i in range(math.floor(west / self.CELL), math.floor(east / self.CELL) + 1):
                for j in range(math.floor(south / self.CELL), math.floor(north / self.CELL) + 1):
                    self.cells[(i, j)].append(shape)

    def links(self, lon: float, lat: float) -> list[tuple[str, int]]:
        """(QPV code, metres) of every QPV within reach of a point."""
        found = []
        for shape in self.cells.get((math.floor(lon / self.CELL), math.floor(lat / self.CELL)), ()):
            metres = shape.distance_m(lon, lat)
            if metres is not None:
                found.append((shape.code, metres))
        return found
