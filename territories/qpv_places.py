"""Places inside a QPV, within 300 m and within 1 km of its perimeter.

Distances come from the diagnostic's local projection (territories/diagnostic/geo.py), so a QPV page and
the diagnostic count the same places at the same distances on both databases."""

from dataclasses import dataclass, field

from django.contrib.gis.geos import Point

from actors import spatial
from actors.models import Structure
from territories.diagnostic.geo import LocalProjection
from territories.models import QPV

NEAR_M = 300
WITHIN_M = 1_000
# Degrees per metre, generous at French latitudes (a degree of longitude is ≥ 60 km below 57°N).
LAT_DEGREES_PER_M = 1 / 110_000
LON_DEGREES_PER_M = 1 / 60_000


@dataclass
class PlacesAround:
    inside: list[tuple[Structure, int]] = field(default_factory=list)
    near: list[tuple[Structure, int]] = field(default_factory=list)  # 0 < d ≤ 300 m
    within: list[tuple[Structure, int]] = field(default_factory=list)  # 300 m < d ≤ 1 km

    @property
    def within_300(self) -> int:
        return len(self.inside) + len(self.near)

    @property
    def within_1km(self) -> int:
        return self.within_300 + len(self.within)


def places_around(qpv: QPV) -> PlacesAround:
    """Public places by distance to the perimeter (0 inside), nearest first, from one bounded read."""
    west, south, east, north = qpv.perimeter.extent
    box = (west - WITHIN_M * LON_DEGREES_PER_M, south - WITHIN_M * LAT_DEGREES_PER_M,
           east + WITHIN_M * LON_DEGREES_PER_M, north + WITHIN_M * LAT_DEGREES_PER_M)
    candidates = Structure.objects.public().filter(spatial.in_box(*box), location__isnull=False)
    projection = LocalProjection(latitude=(south + north) / 2)
    shape = projection.geometry(qpv.perimeter)
    found = PlacesAround()
    measured = []
    for structure in candidates.select_related("commune").order_by("nom", "pk"):
        x, y = projection.xy(structure.location.x, structure.location.y)
        distance = shape.distance(Point(x, y))
        if distance <= WITHIN_M:
            measured.append((round(distance), structure))
    for distance, structure in sorted(measured, key=lambda pair: (pair[0], pair[1].nom)):
        band = found.inside if distance == 0 else found.near if distance <= NEAR_M else found.within
        band.append((structure, distance))
    return found
