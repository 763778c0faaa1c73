"""Map data per viewport: a grid aggregation (clusters) or a compact point list when few enough.

The browser never receives the whole dataset: at most `MAX_COLUMNS × MAX_ROWS` clusters, or `POINT_LIMIT`
points, whatever the database size. The grid is computed in memory from the places' positions
(`actors.map.grid`), the same on SpatiaLite and PostGIS.
"""

import datetime as dt
import hashlib
import math
from dataclasses import dataclass

from django.contrib.gis.geos import Polygon
from django.utils import timezone
from django.utils.translation import gettext as _

from actors.core import spatial_index
from actors.core.geo import X, Y
from actors.directory.counts import filters_key
from actors.freshness import rule
from actors.map import grid as mapgrid
from actors.models import FreshnessPolicy, Structure, TemporaryClosure
from actors.opening.status import status_for_hours
from actors.vocabulary.enums import Verifier

# Below this many structures in the viewport, each one is sent as a point (the list names them all); those
# sharing a cell are also sent as a group, drawn as one cluster, so markers do not pile up at low zooms.
POINT_LIMIT = 300
# From this zoom on (street level), every place is its own marker, never grouped.
POINTS_FROM_ZOOM = 17
# Hard cap on points at street zooms, so that a stack of structures at one spot stays light.
POINT_CAP = 2000
# A cluster cell is about 64 screen pixels, 40 from zoom 13 (finer cells as places thin out before street
# level); the grid never has more cells than this across a viewport.
CELL_PIXELS = 64
FINE_CELL_PIXELS, FINE_FROM_ZOOM = 40, 13
# Few places: markers closer than this on screen are drawn as one group (coarse zooms, from FINE_FROM_ZOOM).
GROUP_PIXELS = (44, 32)
MAX_COLUMNS = 48
MAX_ROWS = 48
MIN_ZOOM, MAX_ZOOM = 0, 20
MAX_LAT = 85.05  # Web Mercator's limit
COORD_DIGITS = 5  # about one metre


class InvalidViewport(ValueError):
    """A bbox or zoom the endpoint cannot read; the message is shown to the user (French)."""


@dataclass(frozen=True)
class Viewport:
    west: float
    south: float
    east: float
    north: float
    zoom: int

    @property
    def polygon(self) -> Polygon:
        return Polygon.from_bbox((self.west, self.south, self.east, self.north))

    def cell_size(self) -> tuple[float, float]:
        """Grid cell (degrees of longitude, latitude): ~CELL_PIXELS at this zoom, never too many cells."""
        pixels = FINE_CELL_PIXELS if self.zoom >= FINE_FROM_ZOOM else CELL_PIXELS
        lon_cell = 360 / (2**self.zoom) * pixels / 256
        # Web Mercator stretches latitude: a degree of latitude is taller on screen than one of longitude.
        middle = math.radians((self.south + self.north) / 2)
        lat_cell = lon_cell * math.cos(middle)
        lon_cell = max(lon_cell, (self.east - self.west) / MAX_COLUMNS)
        lat_cell = max(lat_cell, (self.north - self.south) / MAX_ROWS)
        return lon_cell, lat_cell

    def key(self) -> str:
        return f"{self.west:.4f},{self.south:.4f},{self.east:.4f},{self.north:.4f},{self.zoom}"


def parse_viewport(bbox: str | None, zoom: str | None) -> Viewport:
    """Read `bbox=minlon,minlat,maxlon,maxlat` and `zoom`; out-of-range values are clamped."""
    if not bbox:
        raise InvalidViewport(_("Paramètre « bbox » manquant : minlon,minlat,maxlon,maxlat."))
    parts = bbox.split(",")
    unreadable = _("Paramètre « bbox » illisible : quatre nombres attendus (minlon,minlat,maxlon,maxlat).")
    try:
        west, south, east, north = (float(part) for part in parts)
    except ValueError:
        raise InvalidViewport(unreadable) from None
    if not all(math.isfinite(value) for value in (west, south, east, north)):
        raise InvalidViewport(unreadable)
    west, east = (max(-180.0, min(180.0, value)) for value in (west, east))
    south, north = (max(-MAX_LAT, min(MAX_LAT, value)) for value in (south, north))
    if west >= east or south >= north:
        raise InvalidViewport(_("Paramètre « bbox » vide : le minimum doit être inférieur au maximum."))
    try:
        level = int(zoom) if zoom not in (None, "") else 6
    except ValueError:
        raise InvalidViewport(_("Paramètre « zoom » illisible : un nombre entier est attendu.")) from None
    return Viewport(west, south, east, north, max(MIN_ZOOM, min(MAX_ZOOM, level)))


def _round(value: float) -> float:
    return round(value, COORD_DIGITS)


def _points(queryset, now: dt.datetime, limit: int) -> list[list]:
    """[id, slug, name, lat, lon, open (1/0/null), address, status line, freshness line, approximate (1/0)].

    As on the detail page; "approximate" marks a position placed at the commune or street, not the door.
    """
    rows = list(
        queryset.annotate(x=X("location"), y=Y("location"))
        .order_by("nom", "pk")
        .values_list("pk", "slug", "nom", "y", "x", "horaires", "adresse", "code_postal", "commune_nom", "date_maj",
                     "verified_at", "location_is_approximate", "commune_id", "verified_by")[:limit]
    )
    closures: dict[int, list[TemporaryClosure]] = {}
    if rows:
        today = timezone.localtime(now).date()
        for closure in TemporaryClosure.objects.filter(structure_id__in=[row[0] for row in rows], ends_on__gte=today):
            closures.setdefault(closure.structure_id, []).append(closure)
    # A name that is only digits is shown as "<typologie> — <commune>" (rare rows: one more query then).
    numbered = [row[0] for row in rows if Structure(nom=row[2]).has_number_name]
    named = Structure.objects.filter(pk__in=numbered).select_related("commune").prefetch_related("terms")
    names = {s.pk: s.display_name for s in named} if numbered else {}
    points = []
    policy = FreshnessPolicy.objects.current()
    for (pk, slug, nom, lat, lon, horaires, adresse, code_postal, commune, date_maj, verified_at, approximate,
         commune_code, verified_by) in rows:
        nom = names.get(pk, nom)
        status = status_for_hours(horaires, now, closures.get(pk, ()))
        fresh = rule.of(policy=policy, source_date=date_maj, verified_at=verified_at,
                        departement=rule.departement_of(commune_code), now=now,
                        verified_by_place=verified_by == Verifier.PLACE)
        fresh_line = (_("À vérifier") + " · " + fresh.label) if fresh.stale else fresh.label
        is_open = None if status.is_open is None else int(status.is_open)
        address = f"{adresse}, {code_postal} {commune}".strip(", ")
        points.append([pk, slug, nom, _round(lat), _round(lon), is_open, address, status.label, fresh_line,
                       int(approximate)])
    return points


# Up to this many places in view, points are read by id; beyond (a street zoom over a huge box), by box.
IDS_PER_QUERY = 5000


def _groups(points: list[list], viewport: Viewport) -> list[list]:
    """Points closer on screen than GROUP_PIXELS (their markers would overlap), as clusters that also name
    their members: [count, lat, lon, south, west, north, east, [ids]]. The points stay in "p" for the list.

    Few points (≤ POINT_LIMIT): each joins the group whose first point is nearest on screen within reach,
    else starts a group. A group's anchor never moves, so anchors stay at least the reach apart and a dense
    city cannot absorb its whole département by moving centres (a département's 252 places had become one
    group). Groups are kept in a grid of reach-sized cells, so each point looks at its 9 neighbouring cells.
    """
    scale = 256 * 2**viewport.zoom / 360  # pixels per degree of longitude at this zoom
    radius = GROUP_PIXELS[viewport.zoom >= FINE_FROM_ZOOM]
    reach = radius * radius
    grid: dict[tuple[int, int], list[list]] = {}

    def cell(x: float, y: float) -> tuple[int, int]:
        return math.floor(x / radius), math.floor(y / radius)

    def around(x: float, y: float):
        cx, cy = cell(x, y)
        for i in (cx - 1, cx, cx + 1):
            for j in (cy - 1, cy, cy + 1):
                yield from grid.get((i, j), ())

    def distance(group: list, x: float, y: float) -> float:
        return (group[0] - x) ** 2 + (group[1] - y) ** 2

    groups: list[list] = []  # [x, y, members]: the anchor in screen pixels (Web Mercator)
    for point in points:
        x = point[4] * scale
        y = math.degrees(math.log(math.tan(math.pi / 4 + math.radians(point[3]) / 2))) * scale
        near = min(around(x, y), key=lambda group: distance(group, x, y), default=None)
        if near is not None and distance(near, x, y) <= reach:
            near[2].append(point)
        else:
            group = [x, y, [point]]
            groups.append(group)
            grid.setdefault(cell(x, y), []).append(group)
    clusters = []
    for _x, _y, members in groups:
        if len(members) < 2:
            continue
        lats, lons = [m[3] for m in members], [m[4] for m in members]
        clusters.append([len(members), _round(sum(lats) / len(lats)), _round(sum(lons) / len(lons)),
                         min(lats), min(lons), max(lats), max(lons), sorted(m[0] for m in members)])
    return sorted(clusters, key=lambda cluster: (cluster[1], cluster[2]))


def map_data(queryset, viewport: Viewport, now: dt.datetime | None = None, matching: int | None = None,
             places: mapgrid.Places | None = None) -> dict:
    """The viewport's structures of `queryset` (already filtered), as clusters or points.

    `places`: the same selection's positions in memory (`mapgrid.selected_places`), which spares reading
    every point of a wide view; without it the places in view are read through the spatial index.
    "t": structures matching the filters anywhere, "n": in the viewport; when few enough
    {"t", "n", "p": [[id, slug, name, lat, lon, open, address, status, freshness, approximate], ...],
     "c": [[count, lat, lon, south, west, north, east, [ids of its points]], ...] (below street zoom)}, else
    {"t": …, "n": …, "c": [[count, lat, lon, south, west, north, east], ...], "p": [single structures]}.
    """
    now = now or timezone.now()
    box = (viewport.west, viewport.south, viewport.east, viewport.north)
    by_box = queryset.filter(spatial_index.in_box(*box), location__isnull=False)
    if places is None:
        in_view = mapgrid.read_places(by_box)
        if matching is None:
            matching = queryset.filter(location__isnull=False).count()
    else:
        in_view = places.in_box(*box)
        matching = len(places) if matching is None else matching
    total = len(in_view)
    if total <= POINT_LIMIT or viewport.zoom >= POINTS_FROM_ZOOM:
        if not total:
            return {"t": matching, "n": 0, "p": [], "c": []}
        chosen = Structure.objects.filter(pk__in=in_view.ids.tolist()) if total <= IDS_PER_QUERY else by_box
        points = _points(chosen, now, POINT_CAP)
        groups = _groups(points, viewport) if viewport.zoom < POINTS_FROM_ZOOM else []
        return {"t": matching, "n": total, "p": points, "c": groups}
    cells = mapgrid.cells(in_view, *viewport.cell_size())
    singles = [cell["first"] for cell in cells if cell["n"] == 1]
    clusters = [
        [cell["n"], _round(cell["cy"]), _round(cell["cx"]), _round(cell["s"]), _round(cell["w"]),
         _round(cell["no"]), _round(cell["e"])]
        for cell in cells
        if cell["n"] > 1
    ]
    points = _points(Structure.objects.filter(pk__in=singles), now, len(singles)) if singles else []
    return {"t": matching, "n": total, "c": clusters, "p": points}


def cache_key(query, viewport: Viewport, version: str, language: str = "fr") -> str:
    """Filters (the query string, normalised as the directory's counts are: actors.directory.counts.filters_key;
    read without building the filter set, which costs a query) + viewport + data version.

    The language is part of it because points carry their opening status as a sentence.
    """
    filters = filters_key(query)
    digest = hashlib.sha256(f"{filters}|{viewport.key()}|{version}|{language}".encode()).hexdigest()
    return f"mapdata:{digest}"
