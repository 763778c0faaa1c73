"""Spatial index on both engines: a box condition the index answers, and SpatiaLite's R*Trees kept working.

PostGIS: `&&` (bboverlaps) on the GiST index Django creates. SpatiaLite: Django's lookups (MbrWithin,
Intersects...) never read the R*Tree, so a box is answered by the R*Tree table itself
(`idx_<table>_<column>`, one row per geometry: pkid, xmin, xmax, ymin, ymax). SQLite rebuilds a table for
many schema changes, and the rebuild drops SpatiaLite's index triggers and marks the index disabled (the
R*Tree stays, empty and stale); `ensure_spatial_indexes` runs after every `migrate` and re-creates and fills
the disabled ones, so the R*Tree always holds every row.
"""

from django.contrib.gis.geos import Polygon
from django.db import connections
from django.db.models import Q
from django.db.models.expressions import RawSQL


def box(west: float, south: float, east: float, north: float) -> Polygon:
    polygon = Polygon.from_bbox((west, south, east, north))
    polygon.srid = 4326
    return polygon


def in_box(west: float, south: float, east: float, north: float, *, field: str = "location",
           table: str = "actors_structure", using: str = "default") -> Q:
    """Rows whose geometry's bounding box meets the box (for points: inside it), read from the spatial index."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        return Q(**{f"{field}__bboverlaps": box(west, south, east, north)})
    # R*Tree coordinates are 32-bit floats rounded outwards: a point on the edge may be kept; callers that
    # need an exact edge add the precise lookup after this one (it then runs on few rows only).
    sql = (f'SELECT pkid FROM "idx_{table}_{field}" '
           "WHERE xmax >= %s AND xmin <= %s AND ymax >= %s AND ymin <= %s")
    return Q(pk__in=RawSQL(sql, [float(west), float(east), float(south), float(north)]))


def ensure_spatial_indexes(using: str = "default") -> list[str]:
    """SpatiaLite: re-create and fill every disabled spatial index; returns the "table.column" repaired."""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return []
    repaired = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'geometry_columns'")
        if cursor.fetchone() is None:
            return []
        cursor.execute("SELECT f_table_name, f_geometry_column FROM geometry_columns WHERE spatial_index_enabled = 0")
        for table, column in cursor.fetchall():
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = %s", [table])
            if cursor.fetchone() is None:
                continue
            # Names come from SpatiaLite's own catalogue (Django table names), never from user input.
            cursor.execute(f'DROP TABLE IF EXISTS "idx_{table}_{column}"')
            cursor.execute("SELECT CreateSpatialIndex(%s, %s)", [table, column])
            repaired.append(f"{table}.{column}")
    return repaired


def repair_after_migrate(sender, using="default", **kwargs) -> None:
    ensure_spatial_indexes(using)
