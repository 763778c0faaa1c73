"""Reading partner files: encodings (UTF-8, BOM, Latin-1 / Windows-1252), CSV delimiters, JSON shapes.

Excel exports are read, not rejected: a BOM is dropped and a Windows-1252 file is decoded as such, each
with a note in the report. What cannot be read raises `FileProblem` with a French message.
"""

import csv
import io
import json
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

# Limits of what a partner file may be: 20 MB (the admin upload's limit too) and 1 MB per line (a CSV
# record); beyond, the file is refused with a French message before anything is parsed.
MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_LINE_BYTES = 1024 * 1024
# The csv module refuses cells over 128 KB by default; lines are already capped at 1 MB above.
csv.field_size_limit(MAX_LINE_BYTES + 1)


class FileProblem(ValueError):
    """A problem with the whole file: nothing is imported from it."""


def megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}".replace(".", ",")


def check_size(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise FileProblem(_("Fichier trop volumineux : %(size)s Mo, %(limit)s Mo au plus. Découpez-le en "
                            "plusieurs fichiers.") % {"size": megabytes(size), "limit": megabytes(MAX_FILE_BYTES)})


def check_lines(data: bytes) -> None:
    """Refuse a CSV file with a line over 1 MB (JSON files often hold everything on one line: their values
    are checked one by one instead, see `_read_json`)."""
    start, number = 0, 1
    while start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end == -1 else end
        if end - start > MAX_LINE_BYTES:
            raise FileProblem(_("Ligne %(line)s trop longue : %(size)s Mo, %(limit)s Mo au plus par ligne.") % {
                "line": number, "size": megabytes(end - start), "limit": megabytes(MAX_LINE_BYTES)})
        start, number = end + 1, number + 1


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


# The first bytes of the binary files people pick by mistake, and what to call them.
BINARY_KINDS = [
    (b"\x89PNG", "une image PNG"), (b"\xff\xd8\xff", "une image JPEG"), (b"GIF8", "une image GIF"),
    (b"%PDF", "un document PDF"), (b"PK\x03\x04", "une archive ZIP ou un classeur Excel (.xlsx), .ods ou .docx"),
    (b"\xd0\xcf\x11\xe0", "un ancien classeur Excel (.xls) ou document Word"), (b"\x1f\x8b", "une archive gzip"),
]


def check_text(data: bytes) -> None:
    """Refuse a binary file by what it is, before any separator or JSON message that would not apply."""
    head = data[:4096]
    kind = next((name for magic, name in BINARY_KINDS if head.startswith(magic)), None)
    if kind is None and b"\x00" in head:
        kind = "un fichier binaire"
    if kind:
        raise FileProblem(_("Ce fichier est %(kind)s, pas un fichier texte : enregistrez les lieux en CSV "
                            "(UTF-8) ou en JSON puis déposez ce fichier.") % {"kind": kind})


def read_table(data: bytes, filename: str) -> Table:
    check_size(len(data))
    check_text(data)
    text, notes = decode(data)
    if not text.strip():
        raise FileProblem(_("Le fichier est vide."))
    stripped = text.lstrip()
    if filename.lower().endswith(".json") or stripped[:1] in "[{":
        return _read_json(stripped, notes)
    check_lines(data)
    return _read_csv(text, notes)


def _read_json(text: str, notes: list[str]) -> Table:
    try:
        payload = json.loads(text)
    except json.JSONDecodeError as error:
        raise FileProblem(
            _("JSON illisible, ligne %(line)s colonne %(col)s : syntaxe invalide (virgule, guillemet, crochet ou "
              "accolade manquant ?).") % {"line": error.lineno, "col": error.colno}
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
    for number, record in enumerate(payload, start=1):
        columns.extend(key for key in record if key not in columns)
        for key, value in record.items():
            if len(str(value)) > MAX_LINE_BYTES:
                raise FileProblem(_("Lieu %(row)s, colonne « %(column)s » : valeur trop longue (%(size)s Mo, "
                                    "%(limit)s Mo au plus).") % {"row": number, "column": key,
                                                                 "size": megabytes(len(str(value))),
                                                                 "limit": megabytes(MAX_LINE_BYTES)})
    return Table("json", columns, payload, notes)


def _read_csv(text: str, notes: list[str]) -> Table:
    first_line = text.splitlines()[0]
    delimiter = sniff_delimiter(first_line)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = list(reader)
    except csv.Error as error:
        # The csv module's messages are English: say it in French, with the line.
        raise FileProblem(_("CSV illisible vers la ligne %(line)s : guillemets mal fermés ou cellule trop longue.")
                          % {"line": reader.line_num}) from error
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
