#!/usr/bin/env python
"""Time an import of ~4,000 rows of the standard on SpatiaLite: dry run, then apply, into an empty database.

    .venv/bin/python scripts/bench_import.py [--rows 4196] [--database var/db.sqlite3] [--profile out.prof]

Needs the demo database (`make db`). Works on a copy (the demo database is only read): the copy's places
are exported, deleted, and the file (the demo's export, plus a second copy of its rows under other ids and
without slugs until `--rows` is reached) is imported back: first a dry run, then `--apply`. Prints wall
and CPU seconds of each step, and the import's own summary.
"""

import argparse
import csv
import io
import os
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=4196)
    parser.add_argument("--database", default=str(ROOT / "var" / "db.sqlite3"))
    parser.add_argument("--profile", help="write a cProfile of the dry run to this file")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bench-import-"))
    copy = workdir / "db.sqlite3"
    with sqlite3.connect(args.database) as source, sqlite3.connect(copy) as target:
        source.backup(target)  # a consistent copy, WAL included
    os.environ["DATABASE_URL"] = f"spatialite:///{copy}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inclusion.settings")
    import django

    django.setup()
    from actors.core.writes import structures_bulk_delete
    from actors.imports import import_file
    from actors.models import DuplicateCandidate, Structure
    from actors.open_data.exports import export_chunks, public_structures

    text = "".join(export_chunks(public_structures(), "csv"))
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    if not rows:
        sys.exit("La base de démonstration est vide : lancez d'abord `make db`.")
    columns = list(rows[0])
    doubled = list(rows)
    while len(doubled) < args.rows:
        for row in rows[: args.rows - len(doubled)]:
            doubled.append({**row, "id": f"{row['id']}-copie{len(doubled) // len(rows)}", "slug": ""})
    path = workdir / "lieux.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns, lineterminator="\r\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(doubled[: args.rows])
    DuplicateCandidate.objects.all().delete()
    structures_bulk_delete(Structure.objects.all())
    print(f"Fichier : {args.rows} lignes ({path.stat().st_size / 1e6:.1f} Mo), base vide de lieux (SpatiaLite).")

    for label, apply in (("simulation", False), ("écriture (--apply)", True)):
        started, started_cpu = time.perf_counter(), cpu()
        steps: dict[str, float] = {}

        def progress(step: str, _done: int, _total: int, steps=steps) -> None:
            steps.setdefault(step, time.perf_counter())

        if args.profile and not apply:
            import cProfile

            profiler = cProfile.Profile()
            report = profiler.runcall(import_file, path, apply=apply, progress=progress)
            profiler.dump_stats(args.profile)
        else:
            report = import_file(path, apply=apply, progress=progress)
        ended = time.perf_counter()
        # The write transaction (and the duplicate pairs, inside it) starts at the "ecriture" step.
        held = ended - steps.get("ecriture", ended)
        print(f"{label} : {ended - started:.1f} s (CPU {cpu() - started_cpu:.1f} s ; transaction d'écriture "
              f"{held:.1f} s) — {report.summary()}")
    print(f"Lieux en base après l'écriture : {Structure.objects.count()}")


if __name__ == "__main__":
    main()
