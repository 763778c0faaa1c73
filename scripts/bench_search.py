#!/usr/bin/env python
"""Text queries on the list page: p50 / p95 server time and SQL queries, over the current database.

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


def measure(client: Client, url: str, runs: int) -> dict:
    client.get(url)
    timings, queries, status = [], 0, 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        queries, status = len(captured), response.status_code
    timings.sort()
    p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
    return {"p50": statistics.median(timings), "p95": p95, "queries": queries, "status": status}


def relevance() -> None:
    from actors.filters import StructureFilter
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
    print(f"{'requête':<70} {'p50 ms':>8} {'p95 ms':>8} {'SQL':>4} {'statut':>6}")
    urls = ["/?q=" + query.replace(" ", "+") for query in QUERIES] + ["/?" + query for query in FILTERED]
    for url in urls:
        result = measure(client, url, args.runs)
        print(f"{url:<70} {result['p50']:>8.1f} {result['p95']:>8.1f} {result['queries']:>4} {result['status']:>6}")


if __name__ == "__main__":
    main()
