"""Importing one file: read, recognise, convert (legacy), validate (standard), check, write in one transaction."""

import time
from pathlib import Path

from django.db import DatabaseError
from django.utils.translation import gettext as _

from actors.imports import bulk, extras, formats, hours_text
from actors.imports.common import Conversion, LegacyRow, hours_note
from actors.imports.plan import plan_rows
from actors.imports.reading import FileProblem, Table, check_size, read_table
from actors.imports.report import ImportReport
from actors.opening import hours
from actors.standard import formulas, missing_columns, parse_row, required_columns
from actors.vocabulary.enums import UNKNOWN_PIVOT

# data·inclusion's limit for a description; longer texts are refused (standard) or cut (older formats).
MAX_DESCRIPTION = 10_000


def read_bytes(fileobj_or_path) -> tuple[bytes, str]:
    """The file's bytes and name; raises FileProblem (in French) when it is missing, unreadable or too big."""
    if isinstance(fileobj_or_path, str | Path):
        path = Path(fileobj_or_path)
        try:
            check_size(path.stat().st_size)
            return path.read_bytes(), path.name
        except FileNotFoundError as error:
            raise FileProblem(_("Fichier introuvable : %(path)s") % {"path": path}) from error
        except IsADirectoryError as error:
            raise FileProblem(_("%(path)s est un dossier, pas un fichier.") % {"path": path}) from error
        except OSError as error:
            raise FileProblem(_("Fichier illisible (droits d'accès ?) : %(path)s") % {"path": path}) from error
    size = getattr(fileobj_or_path, "size", None)
    if size is not None:
        check_size(size)
    data = fileobj_or_path.read()
    return (data.encode("utf-8") if isinstance(data, str) else data), getattr(fileobj_or_path, "name", "")


def import_file(
    fileobj_or_path,
    filename: str | None = None,
    *,
    apply: bool,
    user=None,
    source: str | None = None,
    format: str = "auto",  # noqa: A002 - the command's option name
    confirm_identity_changes: bool = False,
    strict: bool = False,
    progress: bulk.Progress | None = None,
) -> ImportReport:
    """Import one file (a path or a file object); never raises for user input. See the package docstring.

    `user`: the coordinator importing (admin, or the command's `--as`); None for the operator (no limit).
    `strict`: all or nothing (one rejected or held row refuses the file); by default every row stands alone:
    a rejected row is reported with its reason and the others are written.
    """
    started = time.monotonic()
    report = ImportReport(Path(filename or str(fileobj_or_path)).name, applied=apply)
    try:
        data, default_name = read_bytes(fileobj_or_path)
        report.filename = Path(filename or default_name or "fichier").name
        table = read_table(data, report.filename)
        report.notes.extend(table.notes)
        report.rows = len(table.records)
        report.format = formats.detect(table, format)
        rows, standard = _convert(table, report, source)
    except FileProblem as problem:
        report.fatal = str(problem)
        report.seconds = time.monotonic() - started
        return report
    report.places = len(rows)
    _write(rows, report, strict=strict, standard=standard, user=user, confirm_identity_changes=confirm_identity_changes,
           progress=progress)
    report.seconds = time.monotonic() - started
    return report


def _convert(table: Table, report: ImportReport, source: str | None) -> tuple[list[LegacyRow], bool]:
    """Standard rows of the file, and whether the file is at the standard (its extension columns are read).

    The key's source is the producer the row names (its `source` column), else the one given for the file
    (`source`, the adapter's producer, or the file name): never the adapter of an aggregator.
    """
    conversion = Conversion()
    if report.format == formats.STANDARD:
        if table.kind == "csv" and table.delimiter != ",":
            raise FileProblem(
                _("Séparateur « %(found)s » trouvé : le standard impose la virgule « , » entre les colonnes "
                  "(enregistrez le fichier en « CSV séparateur virgule »).") % {"found": table.delimiter}
            )
        missing = missing_columns(table.columns)
        if missing:
            raise FileProblem(_("Colonnes obligatoires absentes : %(columns)s.") % {"columns": ", ".join(missing)})
        fallback = source or Path(report.filename).stem
        cell = formulas.restore if table.kind == "csv" else str  # our CSV export's quote before formulas
        rows = []
        for number, record in enumerate(table.records, start=1):
            row = {key: "" if value is None else cell(str(value)) for key, value in record.items()}
            extras.fill_from_extras(record, row, conversion)
            rows.append(LegacyRow(number, row))
        read, standard = extras.standard_read_columns(), True
    else:
        adapter = formats.ADAPTERS[report.format]
        fallback = source or adapter.SOURCE
        read: set[str] = set()
        table.records = [extras.ReadTracker(record, read) for record in table.records]
        rows, standard = adapter.convert(table, conversion), False
    for row in rows:
        # The producer the row names (the standard, v0.1 and data·inclusion do), else the file's.
        row.row["source"] = (row.row.get("source") or "").strip() or fallback
    report.sources = sorted({row.row["source"] for row in rows}) or [fallback]
    report.source = ", ".join(report.sources[:5]) + (" …" if len(report.sources) > 5 else "")
    report.ignored_columns = extras.ignored_columns(table.columns, table.records, read)
    report.notes.extend(conversion.file_notes)
    report.unmapped.update(conversion.unmapped_values)
    for note in conversion.notes:
        report.warn(note.row, note.column, note.message)
    return rows, standard


def _tidy(legacy: LegacyRow, report: ImportReport, strict: bool) -> None:
    """Hours read day by day, descriptions within the limit; what is dropped is counted and kept as text."""
    row = legacy.row
    if row.get("horaires"):
        # A standard file keeps its strictness (an unreadable rule rejects the file); only its empty ranges
        # ("00:00-00:00": no hours given, read as 24 h/24 by the OSM library) become unknown days.
        readable = hours_text.ZERO_RANGE.search(row["horaires"]) and _readable(row["horaires"])
        kept, dropped = hours_text.degrade_osm(row["horaires"]) if readable or not strict else (row["horaires"], [])
        for piece in dropped:
            report.unmapped[("horaires", piece)] += 1
            report.warn(legacy.number, "horaires", _("Horaires « %(value)s » non repris (illisibles, ou "
                                                     "00:00-00:00 qui ne dit pas l'heure) : gardés en texte dans "
                                                     "la présentation.") % {"value": piece})
        if dropped:
            row["horaires"] = kept
            note = hours_note(" ; ".join(dropped))
            row["presentation_detail"] = "\n".join(filter(None, [row.get("presentation_detail", ""), note]))
    detail = row.get("presentation_detail") or ""
    if len(detail) > MAX_DESCRIPTION:
        if strict:
            report.reject(legacy.number, "presentation_detail", _(
                "La présentation détaillée fait %(length)s caractères : %(limit)s au maximum.") % {
                "length": len(detail), "limit": MAX_DESCRIPTION})
        else:
            row["presentation_detail"] = detail[:MAX_DESCRIPTION - 1] + "…"
            report.warn(legacy.number, "presentation_detail", _(
                "Présentation de %(length)s caractères coupée à %(limit)s.") % {
                "length": len(detail), "limit": MAX_DESCRIPTION})


def _readable(horaires: str) -> bool:
    try:
        hours.parse(horaires)
    except hours.InvalidHours:
        return False
    return True


def _lenient_parse(legacy: LegacyRow, report: ImportReport):
    """Parse a legacy row; a faulty optional value is dropped with a warning instead of rejecting the row."""
    parsed = parse_row(legacy.row)
    faulty = {column for column, _reason in parsed.errors}
    # The SIRET is required but has a stand-in: an invalid one becomes « unknown » instead of rejecting the row.
    if not parsed.errors or faulty & (set(required_columns()) - {"pivot"}):
        return parsed
    for column, reason in parsed.errors:
        report.warn(legacy.number, column, _("%(reason)s Valeur ignorée.") % {"reason": reason.rstrip(".") + "."})
    for column in faulty:
        # An invalid SIRET is stored as unknown (the standard requires the column), any other value dropped.
        legacy.row[column] = UNKNOWN_PIVOT if column == "pivot" else ""
        if column == "latitude":
            legacy.row["longitude"] = ""
    return parse_row(legacy.row)


def _validated(rows: list[LegacyRow], report: ImportReport, strict: bool, *,
               progress: bulk.Progress | None = None) -> list[tuple[LegacyRow, object]]:
    valid, seen = [], {}
    for position, legacy in enumerate(rows, start=1):
        if progress and position % 250 == 0:
            progress("validation", position, len(rows))
        rejected_before = len(report.problems)
        _tidy(legacy, report, strict)
        if any(p.rejected for p in report.problems[rejected_before:]):
            continue
        parsed = parse_row(legacy.row) if strict else _lenient_parse(legacy, report)
        for column, reason in parsed.errors:
            report.reject(legacy.number, column, reason)
        key = (parsed.values.get("source"), parsed.values.get("source_id"))
        if parsed.ok and key in seen:
            report.reject(legacy.number, "id", _("Identifiant « %(id)s » de la source « %(source)s » déjà utilisé "
                                                 "ligne %(row)s du fichier.")
                          % {"id": key[1], "source": key[0], "row": seen[key]})
            continue
        seen[key] = legacy.number
        if parsed.ok:
            valid.append((legacy, parsed))
    return valid


def _count_rejected(report: ImportReport) -> None:
    report.rejected = len({problem.row for problem in report.problems if problem.rejected})


def _write(rows: list[LegacyRow], report: ImportReport, *, strict: bool, standard: bool, user,
           confirm_identity_changes: bool, progress: bulk.Progress | None = None) -> None:
    # Communes are read once for the file: the place and territory checks and the writing share them.
    lookups = bulk.CommuneIndex(legacy.row for legacy in rows)
    # Hours and descriptions of a standard file keep the standard's exactness only when asked (--strict).
    valid = _validated(rows, report, strict and standard, progress=progress)
    allowed = plan_rows(valid, report, user=user, confirm_identity_changes=confirm_identity_changes,
                        lookups=lookups)
    _count_rejected(report)
    if strict and (report.rejected or report.held):
        report.fatal = _("%(count)s ligne(s) refusée(s) ou en attente sur %(rows)s : en « tout ou rien » (--strict), "
                         "le fichier entier est refusé, rien n'est écrit. Corrigez les lignes signalées puis "
                         "relancez.") % {
            "count": report.rejected + len(report.held), "rows": report.rows}
        report.created = report.updated = report.unchanged = 0
        return
    items = bulk.items_from(allowed, standard=standard)
    while True:
        try:
            bulk.write_all(items, report, lookups=lookups, progress=progress)
            break
        except bulk.RowError as error:
            # A row the database cannot hold (unknown vocabulary): rejected alone, unless all or nothing.
            report.reject(error.number, "", str(error))
            _count_rejected(report)  # plan() raises before counting anything
            if strict:
                report.fatal = _("Écriture impossible d'une ligne : le fichier entier est refusé, rien n'est "
                                 "écrit.")
                break
            items = [item for item in items if item.number != error.number]
        except DatabaseError as error:
            report.fatal = _("Écriture impossible, rien n'est écrit : %(error)s") % {"error": error}
            break
    if report.fatal:
        report.created = report.updated = report.unchanged = 0
        report.changes = []
