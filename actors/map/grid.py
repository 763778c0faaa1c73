"""The map's cells computed in memory from the positions of the places, kept per data version.

Grouping every point of a wide viewport in SQL cost 250–300 ms for the whole of France at 100,000 places on
either engine (each row's geometry read, the filters evaluated again, at every pan). Positions only change
with the data, so the (id, longitude, latitude) of every public place is read once per data version into
three numpy arrays (kept by each process, and in the shared cache for the other servers), and the ids a
filter set selects once per filter set and data version (and per day, or minute, for the opening filters,
as the list's counts). A viewport is then a few array operations: the same grid as in SQL (same cell size
per zoom, `Viewport.cell_size`), the same cell for each point, the same counts and bounds.
"""

import hashlib
import secrets
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.core.cache import cache

from actors.core.geo import X, Y
from actors.directory import indexed
from actors.directory.counts import summary_key
from actors.directory.filters import StructureFilter
from actors.models import Structure


@dataclass(frozen=True)
class Places:
    """Parallel arrays sorted by id: what the grid needs of each place, nothing else."""

    ids: np.ndarray  # int64
    x: np.ndarray  # longitude, float64
    y: np.ndarray  # latitude, float64

    def __len__(self) -> int:
        return len(self.ids)

    def subset(self, keep: np.ndarray) -> "Places":
        return Places(self.ids[keep], self.x[keep], self.y[keep])

    def in_box(self, west: float, south: float, east: float, north: float) -> "Places":
        """Edges included, as the spatial index answers (a point on the border is in view)."""
        x, y = self.x, self.y
        return self.subset((x >= west) & (x <= east) & (y >= south) & (y <= north))


def read_places(queryset) -> Places:
    """The located places of `queryset`, one query, no ordering by the database (numpy sorts)."""

    rows = (queryset.filter(location__isnull=False).annotate(x=X("location"), y=Y("location"))
            .order_by().values_list("pk", "x", "y"))
    table = np.array(list(rows), dtype=np.float64).reshape(-1, 3)
    ids = table[:, 0].astype(np.int64)
    order = np.argsort(ids, kind="stable")
    return Places(ids[order], table[order, 1].copy(), table[order, 2].copy())


# This process's copy of the current version's places, checked against a stamp in the shared cache (one
# small read) so that a cleared or replaced entry is never outlived here.
_local: dict[str, object] = {}


def public_places(version: str) -> Places:
    """Every public located place of this data version: from this process, the shared cache, or one query."""
    key = "mapplaces:" + hashlib.sha256(version.encode()).hexdigest()
    stamp = cache.get(key + ":stamp")
    if stamp is not None and _local.get("stamp") == stamp:
        return _local["places"]
    stored = cache.get(key) if stamp is not None else None
    if stored is None:

        places, stamp = read_places(Structure.objects.public()), secrets.token_hex(8)
        cache.set_many({key: (places.ids.tobytes(), places.x.tobytes(), places.y.tobytes()), key + ":stamp": stamp},
                       settings.MAP_PLACES_SECONDS)
    else:
        ids, x, y = stored
        places = Places(np.frombuffer(ids, np.int64), np.frombuffer(x, np.float64), np.frombuffer(y, np.float64))
    _local.update(stamp=stamp, places=places)
    return places


def selected_places(filterset: StructureFilter, version: str) -> Places:
    """The public places the filters keep (all of them without a filter); their ids cached per filter set.

    Keyed as the list's counts are (normalised filters, the moment for opening filters, data version).
    """

    places = public_places(version)
    if not filterset.active:
        return places
    key = "mapselection:" + summary_key("carte", filterset, version)
    stored = cache.get(key)
    if stored is None:
        answer = indexed.answer(filterset)  # the place index when it holds the filters, else their SQL
        ids = answer.id_array() if answer is not None else np.fromiter(
            filterset.queryset_without("").filter(location__isnull=False).order_by().values_list("pk", flat=True),
            dtype=np.int64)
        stored = np.sort(ids).tobytes()
        cache.set(key, stored, settings.MAP_PLACES_SECONDS)
    return places.subset(np.isin(places.ids, np.frombuffer(stored, np.int64), assume_unique=True))


def cells(places: Places, lon_cell: float, lat_cell: float) -> list[dict]:
    """One row per occupied cell, ordered by column then row, as the SQL grid gave them.

    Cell of a point: floor((lon + 180) / lon_cell), floor((lat + 90) / lat_cell), the same double
    arithmetic as the database did. Row: n, cx/cy (mean position), w/s/e/no (bounds), first (lowest id).
    """
    if not len(places):
        return []
    gx = np.floor((places.x + 180.0) / lon_cell).astype(np.int64)
    gy = np.floor((places.y + 90.0) / lat_cell).astype(np.int64)
    # One bin per cell of the box spanned (at most about 49 × 49 for a viewport: cells are at least 1/48 of
    # it), numbered column by column: bincount and ufunc.at are linear, no sort (3 to 4 times faster).
    x0, y0, rows = gx.min(), gy.min(), int(gy.max() - gy.min() + 1)
    flat = (gx - x0) * rows + (gy - y0)
    keys, bins = None, int(flat.max() + 1)
    if bins > 4 * len(flat) + 4096:  # a sparse grid (not a viewport's): number the occupied cells only
        keys, flat = np.unique(flat, return_inverse=True)
        bins = len(keys)
    x, y = places.x, places.y
    counts = np.bincount(flat, minlength=bins)
    bounds = {name: np.full(bins, start) for name, start in
              (("w", np.inf), ("s", np.inf), ("e", -np.inf), ("no", -np.inf))}
    np.minimum.at(bounds["w"], flat, x)
    np.minimum.at(bounds["s"], flat, y)
    np.maximum.at(bounds["e"], flat, x)
    np.maximum.at(bounds["no"], flat, y)
    first = np.full(bins, np.iinfo(np.int64).max)
    np.minimum.at(first, flat, places.ids)
    occupied = np.flatnonzero(counts)
    cell = occupied if keys is None else keys[occupied]
    n = counts[occupied]
    columns = {
        "gx": cell // rows + x0, "gy": cell % rows + y0, "n": n,
        "cx": np.bincount(flat, x, bins)[occupied] / n, "cy": np.bincount(flat, y, bins)[occupied] / n,
        **{name: values[occupied] for name, values in bounds.items()},
        "first": first[occupied],
    }
    lists = {name: values.tolist() for name, values in columns.items()}
    return [dict(zip(lists, row, strict=True)) for row in zip(*lists.values(), strict=True)]
