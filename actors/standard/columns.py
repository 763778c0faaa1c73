"""The columns and vocabularies of the national standard « Lieux de médiation numérique » (v1.0.x).

Everything is read from the two reference files shipped in actors/data/ (schema.json, enums.json), so that
a new patch version of the standard is a file update, not a code change.
"""

import json
from functools import cache
from pathlib import Path

from actors.vocabulary.enums import TermKind
from actors.vocabulary.terms import term_rows

SCHEMA = Path(__file__).resolve().parent.parent / "data" / "schema.json"

# The enumerated columns, each stored as Term rows of the same kind (TermKind values are column names).
TERM_COLUMNS: list[str] = [kind.value for kind in TermKind]

# Spellings found in the standard itself that differ from enums.json: accepted on import, never exported.
# The schema's pattern for formations_labels lacks the space of the enums value (« numériques(La Poste) »).
ALIASES: dict[tuple[str, str], str] = {
    ("formations_labels", "Étapes numériques(La Poste)"): "Étapes numériques (La Poste)",
}


@cache
def schema_fields() -> list[dict]:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))["fields"]


@cache
def columns() -> list[str]:
    """The standard's column names, in the schema's order (the order of every export)."""
    return [field["name"] for field in schema_fields()]


@cache
def required_columns() -> list[str]:
    return [field["name"] for field in schema_fields() if field.get("constraints", {}).get("required")]


def missing_columns(header: list[str]) -> list[str]:
    """Required columns absent from a file's header (the importer rejects such a file as a whole)."""
    present = {name.strip() for name in header}
    return [name for name in required_columns() if name not in present]


def unknown_columns(header: list[str]) -> list[str]:
    """Header names that are not columns of the standard (ignored by parse_row; worth a warning)."""
    known = set(columns())
    return [name for name in header if name.strip() not in known]


@cache
def vocabulary() -> dict[str, dict[str, tuple[str, int]]]:
    """{column: {exported value: (Term code, position)}} for every enumerated column, from enums.json."""
    result: dict[str, dict[str, tuple[str, int]]] = {kind: {} for kind in TERM_COLUMNS}
    for row in term_rows():
        result[row["kind"]][row["schema_value"]] = (row["code"], row["position"])
    for (kind, alias), value in ALIASES.items():
        result[kind][alias] = result[kind][value]
    return result


@cache
def exported_values() -> dict[str, list[str]]:
    """{column: [every allowed value, in enums.json order]}, aliases excluded."""
    result: dict[str, list[str]] = {kind: [] for kind in TERM_COLUMNS}
    for row in term_rows():
        result[row["kind"]].append(row["schema_value"])
    return result
