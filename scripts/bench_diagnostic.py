"""Times the territory diagnostic page as served (its parents' comparison included) on the current database
(e.g. the 100,000-place synthetic set: DATABASE_URL=spatialite:///var/bench100k.sqlite3), three ways:

- uncached: the cache is emptied before each run, so the run computes the territory, the national table of its
  parents (France, régions, départements) and the map;
- after an edit: one place of the territory is touched first (a new data version, as after any edit; the
  other départements' counts stay in the cache);
- cached: the same page again.

Each is run several times; the lines give the minimum and the median of the wall time and of this process's
CPU time (the database's own work is in it on SpatiaLite, not on PostGIS, whose server runs apart), the SQL
queries of one page, and the machine's load average (other work on the machine lengthens wall times, much
less CPU times). The site's time limit (QUERY_TIME_LIMIT_SECONDS, 5 s) applies: a run it cuts is counted.

Usage: .venv/bin/python scripts/bench_diagnostic.py [--runs 5] [--cached-runs 20] [departement:59 epci:200093201 …]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inclusion.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from actors.diagnostic.areas import area_for  # noqa: E402
from actors.models import Structure  # noqa: E402

PREFIXES = {"departement": "departements", "epci": "epci", "commune": "communes"}


def biggest_departement() -> str:
    row = (Structure.objects.public().values("commune__departement_id").annotate(n=Count("pk")).order_by("-n")
           .first())
    return row["commune__departement_id"]


def timed(client: Client, url: str, *, clear: bool = False, touch: int | None = None) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, queries, bytes) of one request."""
    if clear:
        cache.clear()
    if touch is not None:
        Structure.objects.filter(pk=touch).update(updated_at=timezone.now())
    with CaptureQueriesContext(connection) as queries:
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    assert response.status_code in (200, 503), (url, response.status_code)
    return wall, cpu, len(queries), len(response.content) if response.status_code == 200 else 0


def describe(label: str, runs: list[tuple[float, float, int, int]]) -> str:
    walls, cpus = [r[0] * 1000 for r in runs], [r[1] * 1000 for r in runs]
    return (f"{label}: wall min {min(walls):.0f} ms, median {statistics.median(walls):.0f} ms; "
            f"CPU min {min(cpus):.0f} ms, median {statistics.median(cpus):.0f} ms; "
            f"{runs[-1][2]} queries, {len(runs)} runs"
            + (f", {cut} cut by the time limit" if (cut := sum(1 for r in runs if not r[3])) else ""))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("targets", nargs="*")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cached-runs", type=int, default=20)
    options = parser.parse_args()
    client = Client(HTTP_HOST="127.0.0.1")
    targets = options.targets or [f"departement:{biggest_departement()}"]
    print(f"engine={connection.vendor} places={Structure.objects.public().count()} "
          f"load average before={' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    # A warm server: templates, URL patterns and code loaded by a first page elsewhere.
    timed(client, "/territoires/communes/86194/")
    for target in targets:
        kind, code = target.split(":")
        url = f"/territoires/{PREFIXES[kind]}/{code}/diagnostic/"
        area = area_for(kind, code)[0]
        touched = Structure.objects.public().filter(area.place_filter).order_by("pk").values_list("pk", flat=True)[0]
        uncached = [timed(client, url, clear=True) for _ in range(options.runs)]
        edited = [timed(client, url, touch=touched) for _ in range(options.runs)]
        cached = [timed(client, url) for _ in range(options.cached_runs)]
        print(f"{url} ({max(r[3] for r in cached)} bytes, parents included)")
        print("  " + describe("uncached (empty cache)", uncached))
        print("  " + describe("after an edit in the territory", edited))
        print("  " + describe("cached", cached))
    print(f"load average after={' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
