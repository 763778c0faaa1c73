#!/usr/bin/env python
"""Performance budgets of DESIGN.md, measured with Django's test client over the current database.

Run over a database holding the synthetic set (`manage.py generate_structures --count 100000 --seed 1`):
    .venv/bin/python scripts/bench.py [--runs 7]
    DATABASE_URL=postgis://... .venv/bin/python scripts/bench.py
Times are the median of N requests in this process (server work without network); the map data cache is
cleared before each request so that every run computes the clusters. Views not present are skipped.
"""

import argparse
import gzip
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "inclusion.settings")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from actors.models import Structure  # noqa: E402
from territories.models import Commune  # noqa: E402

BUDGETS = {"list": (50, 8), "detail": (20, None), "map": (100, None)}


def url_or_none(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def measure(client: Client, url: str, runs: int, clear_cache: bool = False) -> dict:
    timings, queries, raw, packed, status = [], 0, 0, 0, 0
    for _ in range(runs):
        if clear_cache:
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            timings.append((time.perf_counter() - started) * 1000)
        queries, raw, status = len(captured), len(body), response.status_code
        packed = len(gzip.compress(body, 6))
    return {"ms": statistics.median(timings), "queries": queries, "raw": raw, "gzip": packed, "status": status}


def departement_bbox(code: str) -> str:
    points = [c.centre for c in Commune.objects.filter(departement_id=code, centre__isnull=False).only("centre")]
    xs, ys = [p.x for p in points], [p.y for p in points]
    return f"{min(xs):.3f},{min(ys):.3f},{max(xs):.3f},{max(ys):.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    setup_test_environment()
    client = Client()
    total = Structure.objects.count()
    print(f"Base : {connection.vendor}, {total} lieux ({Structure.objects.published().count()} publiés).")
    if not total:
        print("Aucun lieu : lancez d'abord manage.py generate_structures --count 100000 --seed 1.")
        return
    # The département with most places: the heaviest realistic territory filter.
    departement = (
        Structure.objects.published().exclude(commune__isnull=True).values("commune__departement_id")
        .annotate(n=Count("pk")).order_by("-n").values_list("commune__departement_id", flat=True).first()
    )
    cases = []
    list_url = url_or_none("actors:list")
    if list_url:
        cases.append(("Liste : 3 filtres + texte", list_url + "?departement=" + departement
                      + "&services=aide-aux-demarches-administratives&frais=gratuit&jour=samedi&q=mediatheque",
                      "list", False))
        cases.append(("Liste : sans filtre", list_url, "list", False))
    else:
        print("Liste : vue absente, ignorée.")
    structure = Structure.objects.published().filter(location_is_approximate=False).order_by("pk").first()
    if structure and url_or_none("actors:detail", structure.slug):
        cases.append(("Fiche détaillée", structure.get_absolute_url(), "detail", False))
    else:
        print("Fiche : vue absente, ignorée.")
    map_url = url_or_none("actors:map_data")
    if map_url:
        cases.append(("Carte : France (zoom 6)", map_url + "?bbox=-5.5,41.2,9.9,51.2&zoom=6", "map", True))
        cases.append((f"Carte : département {departement} (zoom 9)",
                      map_url + f"?bbox={departement_bbox(departement)}&zoom=9", "map", True))
        if structure:
            x, y = structure.location.x, structure.location.y
            cases.append(("Carte : une rue (zoom 17)",
                          map_url + f"?bbox={x - 0.004:.5f},{y - 0.003:.5f},{x + 0.004:.5f},{y + 0.003:.5f}&zoom=17",
                          "map", True))
    else:
        print("Carte : point de données absent, ignoré.")
    export_url = url_or_none("actors:export", "csv")
    if export_url:
        cases.append((f"Export CSV du département {departement}", export_url + f"?departement={departement}",
                      "export", False))

    header = f"{'mesure':<42} {'ms (médiane)':>12} {'requêtes':>9} {'octets':>11} {'gzip':>10} {'budget':>12}"
    print(header)
    print("-" * len(header))
    for label, url, kind, clear in cases:
        runs = 3 if kind == "export" else args.runs
        result = measure(client, url, runs, clear_cache=clear)
        budget = BUDGETS.get(kind)
        budget_text = ""
        if budget:
            budget_text = f"≤ {budget[0]} ms" + (f", ≤ {budget[1]} q" if budget[1] else "")
        status = "" if result["status"] == 200 else f"  HTTP {result['status']}"
        print(f"{label:<42} {result['ms']:>12.1f} {result['queries']:>9} {result['raw']:>11} "
              f"{result['gzip']:>10} {budget_text:>12}{status}")


if __name__ == "__main__":
    main()
