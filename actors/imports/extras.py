"""Columns of a standard file beside the standard's own: mapped when the standard can hold them, else listed.

Files made in 2021-2023 (or by tools that kept the v0.1 columns) carry `courriel`, `accessibilite`,
`labels_nationaux` and `publics_accueillis` next to the v1 columns. Their values fill the v1 column when it
is empty; a value that cannot be mapped is counted as unmapped. Any other column is « ignorée », listed in
the report with the number of rows that fill it, never dropped without a word.
"""

import re

from actors.imports import common, vocabulary
from actors.imports.common import Conversion
from actors.standard import columns as standard_columns
from actors.standard import exported_values, extensions
from territories.text import fold

# Extra column -> the standard column it fills.
MAPPED = {
    "courriel": "courriels",
    "accessibilite": "fiche_acces_libre",
    "labels_nationaux": "dispositif_programmes_nationaux",
    "publics_accueillis": "publics_specifiquement_adresses",
}


def _items(value: str) -> list[str]:
    return [item.strip() for item in re.split(r"[;|]", value or "") if item.strip()]


def fill_from_extras(record: dict, row: dict[str, str], conversion: Conversion) -> None:
    """Fill empty standard columns of `row` from the extra columns of `record` (a standard file's row)."""
    if not row.get("courriels") and record.get("courriel"):
        row["courriels"] = common.emails(record["courriel"])
    if not row.get("fiche_acces_libre") and record.get("accessibilite"):
        row["fiche_acces_libre"] = common.website(record["accessibilite"]).split("|")[0]
    if record.get("labels_nationaux"):
        _labels(record["labels_nationaux"], row, conversion)
    if record.get("publics_accueillis") and not (
        row.get("publics_specifiquement_adresses") or row.get("prise_en_charge_specifique")
    ):
        _publics(record["publics_accueillis"], row, conversion)


def _labels(value: str, row: dict[str, str], conversion: Conversion) -> None:
    allowed = exported_values()
    found: dict[str, list[str]] = {"dispositif_programmes_nationaux": [], "formations_labels": []}
    for item in _items(value):
        target = next((column for column in found if item in allowed[column]), None)
        if target:
            found[target].append(item)
        elif fold(item) in vocabulary.LABELS_V0:
            found["dispositif_programmes_nationaux"].extend(vocabulary.LABELS_V0[fold(item)])
        else:
            conversion.unmapped("labels_nationaux", item)
    for column, values in found.items():
        if values and not row.get(column):
            row[column] = common.joined(values)


def _publics(value: str, row: dict[str, str], conversion: Conversion) -> None:
    allowed = exported_values()
    pairs: list[tuple[str, str]] = []
    for item in _items(value):
        direct = [(column, item) for column in ("publics_specifiquement_adresses", "prise_en_charge_specifique")
                  if item in allowed[column]]
        mapped = direct or list(vocabulary.PUBLICS_V0.get(fold(item), ()) or ())
        if not mapped and fold(item) not in vocabulary.PUBLICS_V0:
            conversion.unmapped("publics_accueillis", item)
        pairs.extend(mapped)
    for column in ("publics_specifiquement_adresses", "prise_en_charge_specifique"):
        row[column] = common.joined(v for c, v in pairs if c == column)


def ignored_columns(header: list[str], records: list[dict], read: set[str]) -> dict[str, int]:
    """{column: rows where it is filled} for the columns of the file nobody read."""
    ignored = [name for name in header if name not in read]
    return {
        name: sum(1 for record in records if str(record.get(name) if record.get(name) is not None else "").strip())
        for name in ignored
    }


def standard_read_columns() -> set[str]:
    # The extension columns (slug, communes_desservies) are read by the writer: never « ignorée ».
    return set(standard_columns()) | set(MAPPED) | set(extensions.EXTENSION_COLUMNS)


class ReadTracker(dict):
    """A record that notes which of its columns an adapter read (into the shared set `read`)."""

    def __init__(self, record: dict, read: set[str]):
        super().__init__(record)
        self.read = read

    def get(self, key, default=None):
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)
