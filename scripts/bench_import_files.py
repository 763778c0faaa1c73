#!/usr/bin/env python
"""Time the import of real partner files on SpatiaLite (CPU rows/s), then apply them all again.

    .venv/bin/python scripts/bench_import_files.py [--database var/db.sqlite3] [--code DIR] [FILE ...]

Works on a copy of the demo database (only read), migrated and with the territory files loaded as the code
under test ships them; its places are deleted, then each file (by default the demo's eight, from
../shared/data/lieux/nouvelle-aquitaine, in the demo's order) is imported as a dry run and then applied. Prints,
per file: rows, CPU seconds and rows per CPU second of each step, the outcome (created, updated, unchanged,
rejected by reason, arbitrated communes); then applies every file a second time and prints the history rows
that second pass wrote (0 expected). `--code` runs another checkout of the project (to measure "before").
"""

import argparse
import os
import resource
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO_FILES = ["france_services_2022-12-01_nouvelle-aquitaine.csv", "cnfs_permanences_2022-12_nouvelle-aquitaine.csv",
              "lieux_mednum_via_data_inclusion_2023-02_nouvelle-aquitaine.csv", "gironde_33.json",
              "haute_vienne_87.json", "la_creuse_23.json", "fibre64_pyrenees_atlantiques_64.json",
              "bus_france_services_charente_16.json"]


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*")
    parser.add_argument("--database", default=str(ROOT / "var" / "db.sqlite3"))
    parser.add_argument("--code", default=str(ROOT), help="the project checkout to run")
    args = parser.parse_args()
    files = [Path(f) for f in args.files] or [ROOT.parent / "shared/data/lieux/nouvelle-aquitaine" / name
                                              for name in DEMO_FILES]
    if not Path(args.database).exists():
        sys.exit(f"{args.database} introuvable : lancez d'abord `make db`.")
    sys.path.insert(0, args.code)
    os.chdir(args.code)
    workdir = Path(tempfile.mkdtemp(prefix="bench-import-files-"))
    copy = workdir / "db.sqlite3"
    with sqlite3.connect(args.database) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    os.environ["DATABASE_URL"] = f"spatialite:///{copy}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inclusion.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from actors.core.writes import structures_bulk_delete
    from actors.imports import import_file
    from actors.models import DuplicateCandidate, Structure

    call_command("migrate", verbosity=0)
    call_command("load_territories", verbosity=0)  # a no-op unless the code ships other territory files
    DuplicateCandidate.objects.all().delete()
    structures_bulk_delete(Structure.objects.all())
    history = Structure.history.model.objects
    totals: Counter = Counter()
    reasons: Counter = Counter()
    for path in files:
        line = [f"{path.name} :"]
        for label, apply in (("simulation", False), ("écriture", True)):
            started = cpu()
            report = import_file(path, apply=apply)
            seconds = cpu() - started
            line.append(f"{label} {seconds:.2f} s CPU, {report.rows / seconds:,.0f} lignes/s ;")
        arbitrated = sum(1 for p in report.problems if p.column == "code_insee" and not p.rejected)
        approximate = sum(1 for p in report.problems if p.column == "commune" and not p.rejected)
        line.append(f"{report.rows} lignes : {report.created} créés, {report.updated} modifiés, "
                    f"{report.unchanged} inchangés, {report.rejected} rejetés, {arbitrated} communes arbitrées, "
                    f"{approximate} communes approximatives ; "
                    f"{getattr(report, 'pairs_stored', '?')} paires enregistrées")
        print(" ".join(line))
        totals.update(rows=report.rows, created=report.created, updated=report.updated,
                      unchanged=report.unchanged, rejected=report.rejected, arbitrated=arbitrated,
                      approximate=approximate)
        reasons.update(dict(report.top_reasons(limit=50)))
    print("Total :", dict(totals))
    print("Rejets par motif :", dict(reasons.most_common()))
    before, started = history.count(), time.perf_counter()
    for path in files:
        import_file(path, apply=True)
    print(f"Deuxième passage des {len(files)} fichiers : {history.count() - before} lignes d'historique écrites "
          f"({time.perf_counter() - started:.1f} s).")


if __name__ == "__main__":
    main()
