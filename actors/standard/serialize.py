"""From a stored structure to a row of the standard (column -> string), in the schema's column order."""

from collections.abc import Iterable, Mapping

from actors.models import Structure, Term
from actors.standard.columns import TERM_COLUMNS, columns
from actors.standard.parse import TEXT_FIELDS

# Structure fields read to build a row: what `row_from_values` needs from `.values()` querysets.
ROW_FIELDS = ["pk", "location", "location_is_approximate", "date_maj", "commune_id", *TEXT_FIELDS.values()]


def fallback_id(pk: int) -> str:
    """The exported id of a structure created here (no id in any source): stable as long as the row lives."""
    return f"lieu-{pk}"


def format_coordinate(value: float) -> str:
    # repr() is the shortest text that reads back as the same float: 43.52609 stays "43.52609".
    return repr(round(value, 7))


def row_from_values(values: Mapping, terms: Iterable[Term]) -> dict[str, str]:
    """The standard row of a structure given as field values (see ROW_FIELDS) and its Term rows.

    The single place where the export mapping lives: `structure_to_row` and the streaming exports use it.
    Multi-valued cells follow enums.json order (Term.position), whatever order they were linked in.
    """
    row = dict.fromkeys(columns(), "")
    for column, name in TEXT_FIELDS.items():
        row[column] = values[name] or ""
    if not row["id"]:
        row["id"] = fallback_id(values["pk"])
    if not row["code_insee"] and values.get("commune_id"):
        # The commune this directory found for the place: without it, a place published with neither INSEE
        # code nor precise position could not be placed again from the export.
        row["code_insee"] = values["commune_id"]
    row["date_maj"] = values["date_maj"].isoformat() if values["date_maj"] else ""
    location = values["location"]
    if location is not None and not values["location_is_approximate"]:
        row["latitude"], row["longitude"] = format_coordinate(location.y), format_coordinate(location.x)
    by_kind: dict[str, list[Term]] = {kind: [] for kind in TERM_COLUMNS}
    for term in terms:
        by_kind[term.kind].append(term)
    for kind, linked in by_kind.items():
        row[kind] = "|".join(term.schema_value for term in sorted(linked, key=lambda term: term.position))
    return row


def structure_to_row(structure: Structure) -> dict[str, str]:
    """The standard row of one structure (prefetch `terms` when converting many)."""
    values = {name: getattr(structure, name) for name in ROW_FIELDS}
    return row_from_values(values, structure.terms.all())
