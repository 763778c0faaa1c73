"""Importing one file: read, recognise, convert (legacy), validate (standard), write in one transaction."""

import time
from collections.abc import Callable
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from actors import hours
from actors.importers import formats
from actors.importers.common import Conversion, LegacyRow
from actors.importers.reading import FileProblem, Table, read_table
from actors.importers.report import ImportReport
from actors.locate import find_commune
from actors.services import structure_upsert
from actors.standard import missing_columns, parse_row, required_columns
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
    _write(rows, report, strict=strict, accept_commune=accept_commune)
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
        rows = [
            LegacyRow(number, {key: "" if value is None else str(value) for key, value in record.items()})
            for number, record in enumerate(table.records, start=1)
        ]
        return rows, True
    adapter = formats.ADAPTERS[report.format]
    report.source = source or adapter.SOURCE
    conversion = Conversion()
    rows = adapter.convert(table, conversion)
    for row in rows:
        row.row["source"] = report.source
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
    rows: list[LegacyRow], report: ImportReport, accept_commune, strict: bool
) -> list[tuple[LegacyRow, object]]:
    valid, seen = [], {}
    for legacy in rows:
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
                                   values["location"])
            if not accept_commune(commune):
                report.reject(legacy.number, "commune", _("%(commune)s : hors de votre territoire.")
                              % {"commune": commune.name if commune else values["commune_nom"]})
                continue
        valid.append((legacy, parsed))
    report.rejected = len({problem.row for problem in report.problems if problem.rejected})
    return valid


def _write(rows: list[LegacyRow], report: ImportReport, *, strict: bool, accept_commune) -> None:
    from actors import folding, honesty
    from actors.duplicates import record_duplicates

    valid = _validated(rows, report, accept_commune, strict)
    if strict and report.rejected:
        report.fatal = _("%(count)s ligne(s) invalide(s) sur %(rows)s : le fichier entier est refusé, rien n'est "
                         "écrit. Corrigez les lignes signalées puis relancez.") % {
            "count": report.rejected, "rows": report.rows}
        return
    known_communes = set(Commune.objects.values_list("pk", flat=True)) if any(r.service_area for r in rows) else set()
    touched = []
    with transaction.atomic():
        for legacy, parsed in valid:
            area = [code for code in legacy.service_area if code in known_communes] if legacy.service_area else None
            try:
                result = structure_upsert(parsed.values, parsed.terms, area)  # a savepoint of its own
            except (ValueError, hours.InvalidHours) as error:
                report.reject(legacy.number, "", str(error))
                report.rejected += 1
                continue
            setattr(report, result.action, getattr(report, result.action) + 1)
            touched.append(result.structure.pk)
        if strict and report.rejected:
            report.fatal = _("Écriture impossible d'une ligne : le fichier entier est refusé, rien n'est écrit.")
            report.created = report.updated = report.unchanged = 0
            transaction.set_rollback(True)
            return
        report.duplicates = record_duplicates(touched)
        honesty.refresh_blanket_claims(pks=touched)
        folding.refresh(pks=touched)  # one card per place: sure duplicates fold (actors/folding.py)
        if not report.applied:
            transaction.set_rollback(True)
