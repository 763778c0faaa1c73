"""Importing one file: read, recognise, convert (legacy), validate (standard), write in one transaction."""

import time
from collections.abc import Callable
from pathlib import Path

from django.db import DatabaseError
from django.utils.translation import gettext as _

from actors.importers import bulk, formats
from actors.importers.common import Conversion, LegacyRow
from actors.importers.reading import FileProblem, Table, read_table
from actors.importers.report import ImportReport
from actors.locate import find_commune
from actors.standard import formulas, missing_columns, parse_row, required_columns
from territories.models import Commune

OUT_OF_TERRITORY = "hors de votre territoire"


def read_bytes(fileobj_or_path) -> tuple[bytes, str]:
    if isinstance(fileobj_or_path, str | Path):
        path = Path(fileobj_or_path)
        return path.read_bytes(), path.name
    data = fileobj_or_path.read()
    return (data.encode("utf-8") if isinstance(data, str) else data), getattr(fileobj_or_path, "name", "")


def import_file(
    fileobj_or_path,
    filename: str | None = None,
    *,
    apply: bool,
    accept_commune: Callable[[Commune | None], bool] | None = None,
    source: str | None = None,
    format: str = "auto",  # noqa: A002 - the command's option name
    progress: bulk.Progress | None = None,
) -> ImportReport:
    started = time.monotonic()
    try:
        data, default_name = read_bytes(fileobj_or_path)
    except OSError as error:
        report = ImportReport(filename or str(fileobj_or_path))
        report.fatal = _("Fichier illisible : %(error)s") % {"error": error.strerror or error}
        return report
    report = ImportReport(Path(filename or default_name or "fichier").name, applied=apply)
    try:
        table = read_table(data, report.filename)
        report.notes.extend(table.notes)
        report.rows = len(table.records)
        report.format = formats.detect(table, format)
        rows, strict = _convert(table, report, source)
    except FileProblem as problem:
        report.fatal = str(problem)
        report.seconds = time.monotonic() - started
        return report
    report.places = len(rows)
    _write(rows, report, strict=strict, accept_commune=accept_commune, progress=progress)
    report.seconds = time.monotonic() - started
    return report


def _convert(table: Table, report: ImportReport, source: str | None) -> tuple[list[LegacyRow], bool]:
    """Standard rows of the file, and whether a row error rejects the whole file (the standard's case)."""
    if report.format == formats.STANDARD:
        if table.kind == "csv" and table.delimiter != ",":
            raise FileProblem(
                _("Séparateur « %(found)s » trouvé : le standard impose la virgule « , » entre les colonnes "
                  "(enregistrez le fichier en « CSV séparateur virgule »).") % {"found": table.delimiter}
            )
        missing = missing_columns(table.columns)
        if missing:
            raise FileProblem(_("Colonnes obligatoires absentes : %(columns)s.") % {"columns": ", ".join(missing)})
        report.source = source or Path(report.filename).stem
        cell = formulas.restore if table.kind == "csv" else str  # our CSV export's quote before formulas
        rows = [
            LegacyRow(number, {key: "" if value is None else cell(str(value)) for key, value in record.items()})
            for number, record in enumerate(table.records, start=1)
        ]
        return rows, True
    adapter = formats.ADAPTERS[report.format]
    report.source = source or adapter.SOURCE
    conversion = Conversion()
    rows = adapter.convert(table, conversion)
    for row in rows:
        # The v0.1 standard names each row's producer, as v1 does; other adapters carry no source column.
        row.row["source"] = row.row.get("source") or report.source
    report.notes.extend(conversion.file_notes)
    report.unmapped.update(conversion.unmapped_values)
    for note in conversion.notes:
        report.warn(note.row, note.column, note.message)
    return rows, False


def _lenient_parse(legacy: LegacyRow, report: ImportReport):
    """Parse a legacy row; a faulty optional value is dropped with a warning instead of rejecting the row."""
    parsed = parse_row(legacy.row, source_label=report.source)
    faulty = {column for column, _reason in parsed.errors}
    if not parsed.errors or faulty & set(required_columns()):
        return parsed
    for column, reason in parsed.errors:
        report.warn(legacy.number, column, _("%(reason)s Valeur ignorée.") % {"reason": reason.rstrip(".") + "."})
    for column in faulty:
        legacy.row[column] = ""
        if column == "latitude":
            legacy.row["longitude"] = ""
    return parse_row(legacy.row, source_label=report.source)


def _validated(
    rows: list[LegacyRow], report: ImportReport, accept_commune, strict: bool, *, lookups=None, progress=None
) -> list[tuple[LegacyRow, object]]:
    valid, seen = [], {}
    for position, legacy in enumerate(rows, start=1):
        if progress and position % 250 == 0:
            progress("validation", position, len(rows))
        if strict:
            parsed = parse_row(legacy.row, source_label=report.source)
        else:
            parsed = _lenient_parse(legacy, report)
        for column, reason in parsed.errors:
            report.reject(legacy.number, column, reason)
        key = (parsed.values.get("source"), parsed.values.get("source_id"))
        if parsed.ok and key in seen:
            report.reject(legacy.number, "id", _("Identifiant « %(id)s » déjà utilisé ligne %(row)s du fichier.")
                          % {"id": key[1], "row": seen[key]})
            continue
        seen[key] = legacy.number
        if not parsed.ok:
            continue
        if accept_commune is not None:
            values = parsed.values
            commune = find_commune(values["code_insee"], values["code_postal"], values["commune_nom"],
                                   values["location"], lookups=lookups)
            if not accept_commune(commune):
                report.reject(legacy.number, "commune", _("%(commune)s : hors de votre territoire.")
                              % {"commune": commune.name if commune else values["commune_nom"]})
                continue
        valid.append((legacy, parsed))
    report.rejected = len({problem.row for problem in report.problems if problem.rejected})
    return valid


def _write(rows: list[LegacyRow], report: ImportReport, *, strict: bool, accept_commune,
           progress: bulk.Progress | None = None) -> None:
    # Communes are read once for the file: validation (territory check) and writing share them.
    lookups = bulk.CommuneIndex(legacy.row for legacy in rows)
    valid = _validated(rows, report, accept_commune, strict, lookups=lookups, progress=progress)
    if strict and report.rejected:
        report.fatal = _("%(count)s ligne(s) invalide(s) sur %(rows)s : le fichier entier est refusé, rien n'est "
                         "écrit. Corrigez les lignes signalées puis relancez.") % {
            "count": report.rejected, "rows": report.rows}
        return
    try:
        bulk.write_all(bulk.items_from(valid, standard=strict), report, lookups=lookups, progress=progress)
    except bulk.RowError as error:
        report.reject(error.number, "", str(error))
        report.rejected += 1
        report.fatal = _("Écriture impossible d'une ligne : le fichier entier est refusé, rien n'est écrit.")
    except DatabaseError as error:
        report.fatal = _("Écriture impossible, rien n'est écrit : %(error)s") % {"error": error}
    if report.fatal:
        report.created = report.updated = report.unchanged = 0
