#!/usr/bin/env python
"""Text queries on the list page: p50 / p95 server time (elapsed, process CPU, SQL) and query counts.

Run over the synthetic set (`manage.py generate_structures --count 100000 --seed 1`), on each engine:
    DATABASE_URL=spatialite:///var/bench100k.sqlite3 .venv/bin/python scripts/bench_search.py
    DATABASE_URL=postgis://postgres@127.0.0.1:55440/bench .venv/bin/python scripts/bench_search.py
`--relevance` instead prints the relevance set's score (tests/actors/search_relevance.py) on the demo.
Times are Django's test client in this process (server work, no network), after one warm-up request.
"""

import argparse
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
from django.http import QueryDict  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from actors.models import Structure  # noqa: E402

QUERIES = [
    "numerique",  # a word every synthetic place has
    "a",  # one letter
    "me",  # two letters
    "mediatheque",  # a quarter of the places
    "ccas",
    "france services",
    "st",
    "saint",
    "mediatheque lyon",
    "espace public numerique",
    "tiers lieu",
    "mediateque",  # misspelt
    "zzzz",  # nothing
]
FILTERED = ["q=mediatheque&departement=33", "q=numerique&services=aide-aux-demarches-administratives&frais=gratuit",
            "q=ccas&page=20"]


def percentiles(values: list[float]) -> tuple[float, float]:
    values = sorted(values)
    return statistics.median(values), values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]


def measure(client: Client, url: str, runs: int) -> dict:
    client.get(url)
    wall, cpu, sql, queries, status = [], [], [], 0, 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url)
            wall.append((time.perf_counter() - started) * 1000)
            cpu.append((time.process_time() - started_cpu) * 1000)
        sql.append(sum(float(query["time"]) for query in captured.captured_queries) * 1000)
        queries, status = len(captured), response.status_code
    result = {"queries": queries, "status": status}
    for name, values in (("wall", wall), ("cpu", cpu), ("sql", sql)):
        result[f"{name}50"], result[f"{name}95"] = percentiles(values)
    return result


def relevance() -> None:
    from actors.directory.filters import StructureFilter
    from tests.actors.search_relevance import evaluate, places_of, summary

    def top3(query: str) -> list[int]:
        data = QueryDict(mutable=True)
        data["q"] = query
        return list(StructureFilter(data).qs.values_list("pk", flat=True)[:3])

    places = places_of(Structure.objects.public().select_related("commune").prefetch_related("terms"))
    print(summary(evaluate(places, top3)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--relevance", action="store_true")
    args = parser.parse_args()
    if args.relevance:
        relevance()
        return
    setup_test_environment()
    client = Client()
    print(f"Base : {connection.vendor}, {Structure.objects.count()} lieux ; {args.runs} requêtes par ligne.")
    if os.getloadavg()[0] > (os.cpu_count() or 1):
        print(f"Attention : machine chargée (charge {os.getloadavg()[0]:.1f} pour {os.cpu_count()} cœurs) ; "
              "le temps CPU du processus (SpatiaLite : tout le travail du serveur) est plus fiable.")
    print(f"{'requête':<58} {'écoulé p50/p95':>15} {'CPU p50/p95':>13} {'SQL p50/p95':>13} {'req.':>4} {'statut':>6}")
    urls = ["/?q=" + query.replace(" ", "+") for query in QUERIES] + ["/?" + query for query in FILTERED]
    for url in urls:
        r = measure(client, url, args.runs)
        print(f"{url[:58]:<58} {r['wall50']:>7.0f}/{r['wall95']:<7.0f} {r['cpu50']:>6.0f}/{r['cpu95']:<6.0f} "
              f"{r['sql50']:>6.0f}/{r['sql95']:<6.0f} {r['queries']:>4} {r['status']:>6}")


if __name__ == "__main__":
    main()
