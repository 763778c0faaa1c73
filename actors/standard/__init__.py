"""The national standard « Lieux de médiation numérique » v1.0.x, both ways.

    parsed = parse_row(row, source_label="Fichier X")      # strict validation, French errors
    if parsed.ok:
        structure_upsert(parsed.values, parsed.terms)        # the one write path
    structure_to_row(structure) == row                       # same values back (multi-valued as sets)

`columns()` lists the standard's columns in order; `missing_columns(header)` and `unknown_columns(header)`
check a file's header before its rows.
"""

from actors.standard.checks import coordinates_error, in_france, pivot_error, siret_ok
from actors.standard.columns import (
    TERM_COLUMNS,
    columns,
    exported_values,
    missing_columns,
    required_columns,
    unknown_columns,
    vocabulary,
)
from actors.standard.parse import ParsedRow, parse_row
from actors.standard.serialize import ROW_FIELDS, fallback_id, row_from_values, structure_to_row

__all__ = [
    "ROW_FIELDS",
    "TERM_COLUMNS",
    "ParsedRow",
    "columns",
    "coordinates_error",
    "exported_values",
    "fallback_id",
    "in_france",
    "missing_columns",
    "parse_row",
    "pivot_error",
    "required_columns",
    "row_from_values",
    "siret_ok",
    "structure_to_row",
    "unknown_columns",
    "vocabulary",
]
