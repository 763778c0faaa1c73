"""Reading partner files: encodings (UTF-8, BOM, Latin-1 / Windows-1252), CSV delimiters, JSON shapes.

Excel exports are read, not rejected: a BOM is dropped and a Windows-1252 file is decoded as such, each
with a note in the report. What cannot be read raises `FileProblem` with a French message.
"""

import csv
import io
import json
from dataclasses import dataclass, field

from django.utils.translation import gettext as _


class FileProblem(ValueError):
    """A problem with the whole file: nothing is imported from it."""


@dataclass
class Table:
    kind: str  # "csv" or "json"
    columns: list[str]
    records: list[dict]
    notes: list[str] = field(default_factory=list)
    delimiter: str = ","


def decode(data: bytes) -> tuple[str, list[str]]:
    notes = []
    if data.startswith(b"\xef\xbb\xbf"):
        notes.append(_("Fichier UTF-8 avec BOM (export Excel) : lu correctement."))
        data = data[3:]
    try:
        return data.decode("utf-8"), notes
    except UnicodeDecodeError:
        notes.append(_("Fichier encodé en Latin-1 / Windows-1252 (export Excel) : converti en UTF-8."))
        return data.decode("cp1252", errors="replace"), notes


def sniff_delimiter(header_line: str) -> str:
    counts = {sep: header_line.count(sep) for sep in (",", ";", "\t", "|")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


def read_table(data: bytes, filename: str) -> Table:
    text, notes = decode(data)
    if not text.strip():
        raise FileProblem(_("Le fichier est vide."))
    stripped = text.lstrip()
    if filename.lower().endswith(".json") or stripped[:1] in "[{":
        return _read_json(stripped, notes)
    return _read_csv(text, notes)


def _read_json(text: str, notes: list[str]) -> Table:
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as error:
        raise FileProblem(
            _("JSON illisible, ligne %(line)s colonne %(col)s : %(msg)s")
            % {"line": error.lineno, "col": error.colno, "msg": error.msg}
        ) from error
    if isinstance(payload, dict):
        # A few publishers wrap the list: {"data": [...]} or a GeoJSON FeatureCollection.
        if payload.get("type") == "FeatureCollection":
            payload = [feature.get("properties") or {} for feature in payload.get("features") or []]
        else:
            lists = [value for value in payload.values() if isinstance(value, list)]
            payload = lists[0] if len(lists) == 1 else None
    if not isinstance(payload, list) or not all(isinstance(item, dict) for item in payload):
        raise FileProblem(_("Le JSON doit contenir une liste d'objets (un objet par lieu)."))
    if not payload:
        raise FileProblem(_("Le fichier ne contient aucun lieu."))
    columns: list[str] = []
    for record in payload:
        columns.extend(key for key in record if key not in columns)
    return Table("json", columns, payload, notes)


def _read_csv(text: str, notes: list[str]) -> Table:
    first_line = text.splitlines()[0]
    delimiter = sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as error:
        raise FileProblem(_("CSV illisible : %(msg)s") % {"msg": error}) from error
    header = [name.strip() for name in rows[0]]
    if len(header) < 2:
        raise FileProblem(_("Une seule colonne trouvée : le séparateur n'est ni « , » ni « ; »."))
    if len(set(header)) != len(header):
        raise FileProblem(_("Colonnes en double dans l'en-tête."))
    records = []
    for values in rows[1:]:
        if not any(value.strip() for value in values):
            continue
        records.append(dict(zip(header, values + [""] * (len(header) - len(values)), strict=False)))
    if not records:
        raise FileProblem(_("Le fichier ne contient aucun lieu (en-tête seul)."))
    return Table("csv", header, records, notes, delimiter)
