#!/usr/bin/env python
"""The open API beside the list page: p50 / p95 server time and SQL queries, on never-repeated questions.

Run over the synthetic set (`manage.py generate_structures --count 100000 --seed 1`), on each engine:
    DATABASE_URL=spatialite:///var/bench100k.sqlite3 .venv/bin/python scripts/bench_api.py
    DATABASE_URL=postgis://postgres@127.0.0.1:55432/bench .venv/bin/python scripts/bench_api.py
Times are Django's test client in this process (server work, no network). Each request of a series asks
another département, or another page of the walk (counts and cursors cold for that question), and the 404
floor is measured in the same run.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inclusion.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from actors.models import Structure  # noqa: E402
from territories.models import Departement  # noqa: E402


def measure(client: Client, urls: list[str]) -> tuple[float, float, int]:
    times, queries = [], 0
    for url in urls:
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(url)
            elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code in (200, 404), (url, response.status_code, response.content[:200])
        times.append(elapsed)
        queries = max(queries, len(captured))
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1 if len(times) > 1 else 0], queries


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    setup_test_environment()
    client = Client(HTTP_X_PAGE_CACHE="bypass")
    departements = list(Departement.objects.filter(communes__structures__isnull=False).distinct()
                        .values_list("pk", flat=True))[: args.runs]
    public = Structure.objects.public().count()
    walk = []
    url = "/api/v1/lieux?limite=100"
    for _page in range(args.runs):  # the first pages of a full walk, each cursor asked once
        walk.append(url)
        url = client.get(url).json()["next"]
    since = (timezone.now() - dt.timedelta(days=3650)).isoformat().replace("+", "%2B")
    feed = []
    url = f"/api/v1/lieux/modifications?limite=100&modifie_depuis={since}"
    for _page in range(args.runs):
        feed.append(url)
        url = client.get(url).json()["next"]
    series = [
        ("Plancher (404)", ["/__floor__/"] * args.runs),
        ("Page « Lieux » d'un département", [f"/lieux/?departement={code}" for code in departements]),
        ("API lieux d'un département (20)", [f"/api/v1/lieux?departement={code}" for code in departements]),
        ("API lieux, parcours national (100 par page)", walk),
        ("API flux des modifications (100 par page)", feed),
    ]
    print(f"{connection.vendor} — {public} lieux publics, {args.runs} requêtes par ligne")
    print("| requête | p50 ms | p95 ms | requêtes SQL max |")
    print("|---|---:|---:|---:|")
    for label, urls in series:
        p50, p95, queries = measure(client, urls)
        print(f"| {label} | {p50:.1f} | {p95:.1f} | {queries} |")


if __name__ == "__main__":
    with override_settings(API_ANONYMOUS_PER_MINUTE=10**9, ALLOWED_HOSTS=["*"]):
        main()
