"""From a stored structure to a row of the standard (column -> string), in the schema's column order."""

from collections.abc import Iterable, Mapping

from actors.models import Structure, Term
from actors.standard.columns import TERM_COLUMNS, columns
from actors.standard.parse import TEXT_FIELDS

# Structure fields read to build a row: what `row_from_values` needs from `.values()` querysets.
ROW_FIELDS = ["pk", "location", "location_is_approximate", "source_location", "date_maj", *TEXT_FIELDS.values()]


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
    row["date_maj"] = values["date_maj"].isoformat() if values["date_maj"] else ""
    # An approximate position is the commune's centre, not the place's: the file gives the point the source
    # published when the directory set it aside (more than 20 km from its commune, actors/core/honest_facts.py),
    # else none.
    location = values.get("source_location") if values["location_is_approximate"] else values["location"]
    if location is not None:
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
