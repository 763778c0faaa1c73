#!/usr/bin/env python
"""The place index (actors/index/) against the SQL conditions, on the same never-repeated list questions.

In one process (no HTTP, no page cache, counts cache cold for every question): each list URL of
`bench_traffic.Questions` is asked once with the index and once without it, in alternating order, and the script
prints the CPU time of this process (on SQLite it includes the SQL; on PostgreSQL it does not, so wall time is
printed too), p50 / p95, for the questions in a département, those « près de » a commune, and all; before them,
the build of the index (time, and resident memory before and after). CPU time is what a busy, shared machine
measures fairly.

    DATABASE_URL=spatialite:///var/bench100k.sqlite3 .venv/bin/python scripts/bench_index.py --requests 200
"""

import argparse
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inclusion.settings")
os.environ["PAGE_CACHE_SECONDS"] = "0"

import django  # noqa: E402

django.setup()

from bench_traffic import Questions  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from actors.index import places  # noqa: E402
from actors.models import Structure, Term  # noqa: E402
from actors.vocabulary.enums import TermKind  # noqa: E402


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def vocabulary() -> dict:
    public = Structure.objects.public()
    terms = {kind: list(Term.objects.filter(kind=kind).values_list("code", flat=True))
             for kind in (TermKind.SERVICES, TermKind.PUBLICS, TermKind.FRAIS)}
    return {
        "deps": list(public.exclude(commune=None).values_list("commune__departement_id", flat=True).distinct()),
        "communes": list(public.exclude(commune=None).values_list("commune_id", flat=True).distinct()[:400]),
        "services": terms[TermKind.SERVICES], "publics": terms[TermKind.PUBLICS], "frais": terms[TermKind.FRAIS],
    }


def ask(client: Client, path: str, indexed: bool) -> tuple[float, float, int]:
    settings.PLACE_INDEX = indexed
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        cpu, wall = time.process_time(), time.perf_counter()
        response = client.get(path)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if response.status_code != 200:  # a page cut by the time limit (503) is counted at its time
        print(f"  {response.status_code} {'index' if indexed else 'SQL'} {path}", file=sys.stderr)
    return cpu * 1000, wall * 1000, len(queries)


def summary(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"p50 {statistics.median(ordered):7.1f}  p95 {p95:7.1f}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=27)
    arguments = parser.parse_args()
    settings.ALLOWED_HOSTS = ["*"]
    settings.PLACE_INDEX_IN_BACKGROUND = False  # built here, timed apart from the requests
    print(f"places: {Structure.objects.public().count()}  engine: {connection.vendor}  load: {os.getloadavg()}")
    before = rss_mb()
    cpu, wall = time.process_time(), time.perf_counter()
    index = places.current()
    print(f"index build: {time.perf_counter() - wall:.2f} s wall, {time.process_time() - cpu:.2f} s CPU; "
          f"RSS {before:.0f} -> {rss_mb():.0f} MB (peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}"
          f" MB); {len(index.pks)} places, {len(index.terms)} terms")
    questions = Questions(vocabulary(), arguments.seed)
    client, order = Client(), random.Random(arguments.seed)
    rows: list[tuple[bool, dict[bool, tuple[float, float, int]]]] = []  # (« près de », {indexed: figures})
    for _step in range(arguments.requests):
        path = questions.list()
        near = "pres_de" in path
        measured = {}
        for indexed in sorted((True, False), key=lambda _x: order.random()):
            measured[indexed] = ask(client, path, indexed)
        rows.append((near, measured))
    kinds = (("in a département", [m for near, m in rows if not near]),
             ("« près de » a commune", [m for near, m in rows if near]), ("all list questions", [m for _n, m in rows]))
    for title, chosen in kinds:
        print(f"\n{title} ({len(chosen)} questions), ms:")
        for indexed in (False, True):
            label = "index   " if indexed else "SQL only"
            cpu, wall = summary([m[indexed][0] for m in chosen]), summary([m[indexed][1] for m in chosen])
            queries = statistics.median(m[indexed][2] for m in chosen)
            print(f"  {label} CPU {cpu}   wall {wall}   queries p50 {queries:.0f}")
    print(f"\nload after: {os.getloadavg()}  RSS {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
