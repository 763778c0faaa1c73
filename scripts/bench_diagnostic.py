"""Times the territory diagnostic, uncached then cached, on the current database (e.g. the 100,000-place
synthetic set: DATABASE_URL=spatialite:///var/bench100k.sqlite3). Prints one line per territory.

Usage: .venv/bin/python scripts/bench_diagnostic.py [departement:59 epci:200093201 …]
"""

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

from actors.models import Structure  # noqa: E402


def biggest_departement() -> str:
    row = (Structure.objects.public().values("commune__departement_id").annotate(n=Count("pk")).order_by("-n")
           .first())
    return row["commune__departement_id"]


def main(targets: list[str]) -> None:
    client = Client(HTTP_HOST="127.0.0.1")
    targets = targets or [f"departement:{biggest_departement()}"]
    print(f"engine={connection.vendor} places={Structure.objects.public().count()}")
    prefixes = {"departement": "departements", "epci": "epci", "commune": "communes"}
    for target in targets:
        kind, code = target.split(":")
        url = f"/territoires/{prefixes[kind]}/{code}/diagnostic/"
        cache.clear()
        start = time.perf_counter()
        response = client.get(url)
        uncached = time.perf_counter() - start
        assert response.status_code == 200, response.status_code
        warm = []
        for _ in range(20):
            start = time.perf_counter()
            client.get(url)
            warm.append(time.perf_counter() - start)
        print(f"{url}: uncached {uncached * 1000:.0f} ms (parents included), "
              f"cached median {statistics.median(warm) * 1000:.1f} ms over 20, {len(response.content)} bytes")


if __name__ == "__main__":
    main(sys.argv[1:])
