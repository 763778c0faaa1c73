"""Places inside a QPV, within 300 m and within 1 km of its perimeter.

Read from the place ↔ QPV links that territories.qpv_distance measured when each place was written, so a QPV
page, the list's QPV filter and the diagnostic count the same places at the same distances on both databases.
"""

from dataclasses import dataclass, field

from actors.models import Structure, StructureQPV
from territories.models import QPV
from territories.qpv_distance import NEAR_M, WITHIN_M

__all__ = ["NEAR_M", "WITHIN_M", "PlacesAround", "places_around"]


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
    """Public places by distance to the perimeter (0 inside), nearest first: one query."""
    links = (StructureQPV.objects.filter(qpv=qpv, structure__in=Structure.objects.public())
             .select_related("structure__commune").order_by("distance_m", "structure__nom", "structure_id"))
    found = PlacesAround()
    for link in links:
        band = found.inside if link.distance_m == 0 else found.near if link.distance_m <= NEAR_M else found.within
        band.append((link.structure, link.distance_m))
    return found
