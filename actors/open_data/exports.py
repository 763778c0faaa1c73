"""Open-data exports of structures in the national standard: CSV, JSON and GeoJSON, streamed.

Rows are built by `actors.standard.row_from_values`, the same mapping as `structure_to_row`. Querysets
are read in keyset-paginated chunks of plain values (no model instances): three queries per chunk whatever
its size (structures, their Term links, the communes they serve), so a 100,000-row export holds one chunk
in memory at a time.
Nothing here reads contact persons: the standard has no column for personal data.
"""

import csv
import json
from collections.abc import Iterator

from actors.models import Structure, Term
from actors.standard import ROW_FIELDS, columns, extensions, formulas, row_from_values

CHUNK_SIZE = 2000
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "geojson": "application/geo+json; charset=utf-8",
}


def public_structures():
    """What open-data exports may contain: published structures only."""
    return Structure.objects.public()


def iter_rows(queryset, chunk_size: int = CHUNK_SIZE) -> Iterator[tuple[dict[str, str], object]]:
    """(row, point or None) for every structure of `queryset`, in primary-key order.

    The row is the standard's columns then this directory's two extension columns (slug, communes
    desservies: see actors/standard/extensions.py). The point is the exact location only (None when it
    is the commune centre), as in the row.
    """
    terms = {term.pk: term for term in Term.objects.all()}
    through = Structure.terms.through
    area_through = Structure.service_area.through
    queryset = queryset.order_by("pk")
    last_pk = 0
    while True:
        chunk = list(queryset.filter(pk__gt=last_pk).values(*ROW_FIELDS, "slug")[:chunk_size])
        if not chunk:
            return
        linked: dict[int, list[Term]] = {values["pk"]: [] for values in chunk}
        pairs = through.objects.filter(structure_id__in=list(linked)).values_list("structure_id", "term_id")
        for structure_id, term_id in pairs:
            linked[structure_id].append(terms[term_id])
        served: dict[int, list[str]] = {pk: [] for pk in linked}
        for structure_id, code in area_through.objects.filter(structure_id__in=list(linked)).values_list(
                "structure_id", "commune_id"):
            served[structure_id].append(code)
        for values in chunk:
            # The same point as the row's latitude and longitude (actors/standard/serialize.py).
            point = values["source_location"] if values["location_is_approximate"] else values["location"]
            row = row_from_values(values, linked[values["pk"]])
            row.update(extensions.extension_values(values["slug"], served[values["pk"]]))
            yield row, point
        last_pk = chunk[-1]["pk"]


class _Echo:
    """A file-like object whose write() returns the text, to stream csv.writer output."""

    def write(self, value: str) -> str:
        return value


def csv_chunks(queryset) -> Iterator[str]:
    """The standard CSV: UTF-8, comma, header line, fields quoted when needed, CRLF line ends; cells that a
    spreadsheet would run as formulas are neutralised (actors/standard/formulas.py)."""
    writer = csv.DictWriter(_Echo(), fieldnames=[*columns(), *extensions.EXTENSION_COLUMNS], lineterminator="\r\n")
    yield writer.writeheader()
    for row, _point in iter_rows(queryset):
        yield writer.writerow({column: formulas.neutralise(value) for column, value in row.items()})


def json_chunks(queryset) -> Iterator[str]:
    """A JSON list of objects with the standard's keys and string values (as in the CSV)."""
    yield "["
    separator = "\n"
    for row, _point in iter_rows(queryset):
        yield separator + json.dumps(row, ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"


def geojson_chunks(queryset) -> Iterator[str]:
    """A GeoJSON FeatureCollection whose properties are standard rows.

    A structure known only by its commune has a null geometry, as its latitude and longitude are empty.
    """
    yield '{"type": "FeatureCollection", "features": ['
    separator = "\n"
    for row, point in iter_rows(queryset):
        geometry = None if point is None else {"type": "Point", "coordinates": [point.x, point.y]}
        feature = {"type": "Feature", "id": row["id"], "geometry": geometry, "properties": row}
        yield separator + json.dumps(feature, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


WRITERS = {"csv": csv_chunks, "json": json_chunks, "geojson": geojson_chunks}


def export_chunks(queryset, fmt: str) -> Iterator[str]:
    """Text chunks of `queryset` in `fmt` ("csv", "json" or "geojson")."""
    return WRITERS[fmt](queryset)
