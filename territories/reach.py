"""How far a commune reaches from its centre, from the reference data's town-hall points (builder only).

Neither an area nor a perimeter of communes is in the reference data; their centres are area-weighted
centroids, which in a large commune may lie 60 km from the town where its places are (Saint-Laurent-du-Maroni,
Camopi). The town hall is in the commune, so the commune reaches at least that far from its centre. The
directory's town-hall points are geocoded and some are plainly wrong (Chelles's lies 56 km away), so one is
trusted only when its commune's centre is among the `RANK` commune centres nearest to it, and never beyond
`MAX_REACH_M` (Maripasoula, the largest commune, reaches about 81 km).
"""

import math
from collections import defaultdict

from territories.projection import lonlat_metres

RANK = 3
MAX_REACH_M = 100_000
CELL_DEG = 0.25


def _rough_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    # Equirectangular: enough to rank neighbours, cheaper than the geodesic for thousands of pairs.
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6371.0 * math.hypot(x, math.radians(lat2 - lat1))


def reaches(rows: list[dict[str, str]]) -> dict[str, int]:
    """{INSEE code: metres from the centre to the town hall when trusted, else 0} for every row."""
    centres = {r["code_insee"]: (float(r["lat"]), float(r["lon"])) for r in rows if r["lat"] and r["lon"]}
    grid: dict[tuple[int, int], list[tuple[float, float]]] = defaultdict(list)
    for lat, lon in centres.values():
        grid[(math.floor(lat / CELL_DEG), math.floor(lon / CELL_DEG))].append((lat, lon))
    result = {}
    for row in rows:
        code = row["code_insee"]
        result[code] = 0
        if code not in centres or not (row["mairie_lat"] and row["mairie_lon"]):
            continue
        (lat, lon), hall = centres[code], (float(row["mairie_lat"]), float(row["mairie_lon"]))
        metres = lonlat_metres(lon, lat, hall[1], hall[0])
        if math.isnan(metres) or metres > MAX_REACH_M:  # NaN: the two points are one
            continue
        own_km = _rough_km(*hall, lat, lon)
        span = math.ceil(own_km / (111 * CELL_DEG * max(0.2, math.cos(math.radians(hall[0]))))) + 1
        cell_lat, cell_lon = math.floor(hall[0] / CELL_DEG), math.floor(hall[1] / CELL_DEG)
        nearer = sum(1 for i in range(-span, span + 1) for j in range(-span, span + 1)
                     for other in grid.get((cell_lat + i, cell_lon + j), ())
                     if _rough_km(*hall, *other) < own_km)
        if nearer < RANK:
            result[code] = round(metres)
    return result
