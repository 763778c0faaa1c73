"""The standard's vocabularies, loaded into the Term table (by migration, and again by tests that flush)."""

import json
from pathlib import Path

ENUMS = Path(__file__).resolve().parent.parent / "data" / "enums.json"


def term_rows() -> list[dict]:
    enums = json.loads(ENUMS.read_text(encoding="utf-8"))
    rows = []
    for kind, values in enums.items():
        if kind.startswith("_"):
            continue
        for position, value in enumerate(values):
            schema_value = value["code"] if kind == "typologie" else value["schema_value"]
            rows.append(
                {"kind": kind, "code": value["code"], "label": value["label"], "schema_value": schema_value,
                 "position": position}
            )
    return rows


def load_terms(term_model) -> None:
    term_model.objects.bulk_create([term_model(**row) for row in term_rows()], ignore_conflicts=True)
