"""Large admin imports run as background tasks (django-tasks): an `ImportJob` row holds the progress, which
the admin page shows while the task runs, and the report, which it shows when the task is done.

    job = start_job(user=request.user, stored_path=path, filename="lieux.csv", source="", apply=False)
    # the worker (`manage.py db_worker`, started by `make run`) runs `run_import_job(job.pk)`

Files of more than `BACKGROUND_ROWS` rows go this way; smaller ones are imported within the request.
"""

from collections import Counter
from datetime import timedelta

from django.core.files.storage import default_storage
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from actors.core.field_changes import FieldChange
from actors.imports.folding_report import FoldLine
from actors.imports.reading import FileProblem, read_table
from actors.imports.report import DuplicatePair, HeldUpdate, ImportReport, RowChange, RowProblem
from actors.imports.run import import_file
from actors.models import ImportJob

BACKGROUND_ROWS = 500
UPLOADS = "imports"
# A dry run's upload waits this long for its confirmation; then it is deleted (`sweep_uploads`).
UPLOAD_LIFETIME = timedelta(hours=24)
PHASES = {
    "validation": _("vérification des lignes"),
    "preparation": _("préparation"),
    "ecriture": _("écriture"),
}


def row_count(stored_path: str) -> int:
    """Records in the stored file (0 when it cannot be read: the import itself then says why)."""
    with default_storage.open(stored_path, "rb") as stored:
        try:
            return len(read_table(stored.read(), stored_path).records)
        except FileProblem:
            return 0


def report_to_dict(report: ImportReport) -> dict:
    return {
        "filename": report.filename, "format": report.format, "source": report.source, "applied": report.applied,
        "rows": report.rows, "places": report.places, "created": report.created, "updated": report.updated,
        "unchanged": report.unchanged, "rejected": report.rejected, "fatal": report.fatal, "notes": report.notes,
        "problems": [[p.row, p.column, p.reason, p.rejected] for p in report.problems],
        "unmapped": [[column, value, count] for (column, value), count in report.unmapped.most_common()],
        "duplicates": [[d.first_id, d.second_id, d.first_name, d.second_name, d.score, d.reasons]
                       for d in report.duplicates],
        "seconds": round(report.seconds, 1),
        "sources": report.sources,
        "changes": [[c.row, c.pk, c.nom, [[f.field, f.old, f.new] for f in c.changes]] for c in report.changes],
        "held": [[h.row, h.pk, h.old_nom, h.new_nom, h.old_commune, h.new_commune] for h in report.held],
        "ignored_columns": report.ignored_columns,
        "folding": [[line.row, line.kind, line.text, list(line.link) if line.link else None, line.public_change]
                    for line in report.folding],
        "folding_counts": [report.pairs_stored, report.hidden_new, report.replaced],
    }


def report_from_dict(data: dict) -> ImportReport:
    """The report as the import page shows it."""
    report = ImportReport(data["filename"], format=data["format"], source=data["source"], applied=data["applied"],
                          rows=data["rows"], places=data["places"], created=data["created"],
                          updated=data["updated"], unchanged=data["unchanged"], rejected=data["rejected"],
                          fatal=data["fatal"], notes=list(data["notes"]), seconds=data["seconds"])
    report.problems = [RowProblem(*problem) for problem in data["problems"]]
    report.unmapped = Counter({(column, value): count for column, value, count in data["unmapped"]})
    report.duplicates = [DuplicatePair(*pair) for pair in data["duplicates"]]
    report.sources = list(data.get("sources", []))
    report.changes = [RowChange(row, pk, nom, [FieldChange(*f) for f in fields])
                      for row, pk, nom, fields in data.get("changes", [])]
    report.held = [HeldUpdate(*held) for held in data.get("held", [])]
    report.ignored_columns = dict(data.get("ignored_columns", {}))
    report.folding = [FoldLine(row, kind, text, tuple(link) if link else None, public)
                      for row, kind, text, link, public in data.get("folding", [])]
    report.pairs_stored, report.hidden_new, report.replaced = data.get("folding_counts", [0, 0, 0])
    return report


def sweep_uploads() -> int:
    """Delete the uploads older than a day (dry runs never confirmed); returns how many. Run at every upload."""
    try:
        _folders, names = default_storage.listdir(UPLOADS)
    except FileNotFoundError:
        return 0
    limit = timezone.now() - UPLOAD_LIFETIME
    old = [f"{UPLOADS}/{name}" for name in names if default_storage.get_modified_time(f"{UPLOADS}/{name}") < limit]
    for path in old:
        default_storage.delete(path)
    return len(old)


def start_job(*, user, stored_path: str, filename: str, source: str, apply: bool,
              dry_run: ImportJob | None = None, confirm_identity_changes: bool = False,
              strict: bool = False) -> ImportJob:
    job = ImportJob.objects.create(user=user, stored_path=stored_path, filename=filename, source=source,
                                   apply=apply, dry_run=dry_run, confirm_identity_changes=confirm_identity_changes,
                                   strict=strict)
    run_import_job.enqueue(job.pk)
    return job


@task()
def run_import_job(job_id: int) -> None:
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, phase=_("lecture du fichier"))

    def progress(phase: str, done: int, total: int) -> None:
        # Outside the write transaction (see actors.imports.bulk): the admin page sees it at once.
        ImportJob.objects.filter(pk=job.pk).update(phase=str(PHASES.get(phase, phase)), done=done, total=total)

    try:
        if job.user is None:  # the account was deleted meanwhile: nobody's territories to write in
            raise PermissionError(_("le compte qui a lancé l'import n'existe plus"))
        with default_storage.open(job.stored_path, "rb") as stored:
            report = import_file(stored, job.filename, apply=job.apply, user=job.user, source=job.source or None,
                                 confirm_identity_changes=job.confirm_identity_changes, strict=job.strict,
                                 progress=progress)
    except Exception as error:  # noqa: BLE001 - the page must say it failed rather than spin forever
        default_storage.delete(job.stored_path)  # nothing can be confirmed from a failed job
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.FAILED, finished_at=timezone.now(), phase="",
            report={"error": _("L'import a échoué : %(error)s") % {"error": error}})
        raise
    if job.apply or not report.ok:
        default_storage.delete(job.stored_path)  # a dry run's file waits for its confirmation (a day at most)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE, finished_at=timezone.now(), phase="", done=F("total"),
        report=report_to_dict(report))
