#!/usr/bin/env python
"""`make bench-traffic`: never-repeated traffic, as social workers really ask, over real HTTP.

Each request is a new combination of territory or « près de » a commune, services, publics, a day or an hour,
evenings, fees, field words and page, built from the directory's own vocabulary (read from the database) with
a seeded generator: two runs ask the same questions, and no URL is asked twice in a run, so no cache answers
for the views (the whole-page cache, the kept counts and matches all start cold for each question).

Per kind (list, text, detail, map data, and a 404 as the floor) one client asks `--requests` distinct URLs and
the script prints p50 / p95 / p99, the ratio of the median to the floor's, the SQL queries of the median
request and the answers that were not 200. Then 20 clients ask a never-repeated mix (60 % lists and text,
20 % details, 20 % map data) for `--mix-seconds`: requests per second, p50, p95, errors. Then the hostile
shapes (a page beyond the last, 20 services, a huge radius, 300 characters of text with operators): each must
answer 200 or 400, never 500 or 503. Last, the resident memory of each gunicorn worker.

    .venv/bin/python scripts/bench_traffic.py --database spatialite:///var/bench100k.sqlite3
    .venv/bin/python scripts/bench_traffic.py --database postgis://postgres@127.0.0.1:5432/inclusion_bench
The database must hold a set (`manage.py generate_structures --count 100000 --seed 1`); `make bench` builds
var/bench100k.sqlite3.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench import REQUEST_TIMEOUT, Redis, Server, mix, percentile, scalar  # noqa: E402

# Words a social worker types in the search box (field reports and the relevance set).
FIELD_WORDS = [
    "mediatheque", "ccas", "france services", "caf", "cpam", "impots", "retraite", "pole emploi", "emploi",
    "cv", "ordinateur", "tablette", "smartphone", "telephone", "internet", "wifi", "imprimer", "scanner",
    "courriel", "mail", "ameli", "ants", "carte grise", "permis", "titre de sejour", "logement", "cafe",
    "atelier", "formation", "debutant", "senior", "jeunes", "parents", "ecole", "pronote", "association",
    "centre social", "mairie", "bibliotheque", "espace numerique", "conseiller numerique", "bus", "fablab",
    "tiers lieu", "aide", "demarches", "accompagnement", "handicap", "langue", "francais",
]


def vocabulary(database: str) -> dict:
    """What the questions are made of, read from the database the server serves."""
    code = (
        "import json, random\n"
        "from django.db.models import Count\n"
        "from actors.models import Structure, Term\n"
        "from actors.vocabulary.enums import TermKind\n"
        "p = Structure.objects.public()\n"
        "deps = list(p.exclude(commune=None).values_list('commune__departement_id', flat=True).distinct())\n"
        "communes = list(p.exclude(commune=None).values('commune_id').annotate(n=Count('pk')).order_by('-n')"
        ".values_list('commune_id', flat=True)[:400])\n"
        "terms = {k: list(Term.objects.filter(kind=k).values_list('code', flat=True)) for k in"
        " (TermKind.SERVICES, TermKind.PUBLICS, TermKind.FRAIS)}\n"
        "ids = list(p.values_list('pk', flat=True))\n"
        "rng = random.Random(1)\n"
        "picked = sorted(rng.sample(ids, min(3000, len(ids))))\n"
        "slugs = list(Structure.objects.filter(pk__in=picked).values_list('slug', flat=True))\n"
        "points = [(s.location.x, s.location.y) for s in p.filter(pk__in=picked[:400]).exclude(location=None)]\n"
        "print(json.dumps({'deps': deps, 'communes': communes, 'services': terms[TermKind.SERVICES],"
        " 'publics': terms[TermKind.PUBLICS], 'frais': terms[TermKind.FRAIS], 'slugs': slugs,"
        " 'points': points, 'total': len(ids)}))\n"
    )
    return json.loads(scalar(database, code))


class Questions:
    """Never-repeated URLs of each kind, from one seeded generator."""

    DAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]

    def __init__(self, words: dict, seed: int):
        self.v, self.rng, self.seen = words, random.Random(seed), set()

    def _unique(self, make) -> str:
        for _attempt in range(1000):
            path = make()
            if path not in self.seen:
                self.seen.add(path)
                return path
        raise RuntimeError("plus de questions nouvelles : agrandir le vocabulaire")

    def _filters(self) -> dict:
        rng, v = self.rng, self.v
        query: dict = {}
        if rng.random() < 0.5:
            query["departement"] = rng.choice(v["deps"])
        else:
            query["pres_de"] = rng.choice(v["communes"])
            if rng.random() < 0.3:
                query["rayon"] = rng.choice([2, 5, 20])
        services = rng.sample(v["services"], rng.randint(0, min(3, len(v["services"]))))
        if services:
            query["services"] = services
        if v["publics"] and rng.random() < 0.2:
            query["publics"] = [rng.choice(v["publics"])]
        when = rng.random()
        if when < 0.25:
            query["jour"] = rng.choice(self.DAYS)
        elif when < 0.35:
            query["jour"], query["heure"] = rng.choice(self.DAYS), rng.choice(["9", "10 h 30", "14", "17"])
        elif when < 0.45:
            query["soir"] = "oui"
        elif when < 0.5:
            query["weekend"] = "oui"
        if v["frais"] and rng.random() < 0.3:
            query["frais"] = [rng.choice(v["frais"])]
        page = rng.choice([1, 1, 1, 2, 3, 4, 5])
        if page > 1:
            query["page"] = page
        return query

    def list(self) -> str:
        return self._unique(lambda: "/lieux/?" + urlencode(self._filters(), doseq=True))

    def text(self) -> str:
        def make() -> str:
            query = self._filters()
            query["q"] = self.rng.choice(FIELD_WORDS)
            return "/lieux/?" + urlencode(query, doseq=True)
        return self._unique(make)

    def detail(self) -> str:
        return self._unique(lambda: f"/lieux/{self.rng.choice(self.v['slugs'])}/")

    def map(self) -> str:
        def make() -> str:
            lon, lat = self.rng.choice(self.v["points"])
            zoom = self.rng.randint(6, 17)
            half = 360 / 2 ** zoom * 2.2  # about the width of a phone's map at that zoom
            lon += self.rng.uniform(-half, half) / 4
            lat += self.rng.uniform(-half, half) / 8
            query = {"bbox": f"{lon - half:.5f},{lat - half / 2:.5f},{lon + half:.5f},{lat + half / 2:.5f}",
                     "zoom": zoom}
            if self.rng.random() < 0.4:
                query.update({k: v for k, v in self._filters().items() if k not in ("page", "pres_de", "rayon")})
            return "/carte/donnees/?" + urlencode(query, doseq=True)
        return self._unique(make)

    def floor(self) -> str:
        return self._unique(lambda: f"/__floor__/{self.rng.randrange(10 ** 9)}/")


HOSTILE = [
    "/lieux/?page=100000",
    "/lieux/?" + urlencode({"services": [f"service-{n}" for n in range(20)]}, doseq=True),
    "/lieux/?pres_de=75056&rayon=100000",
    "/lieux/?" + urlencode({"q": ("NEAR(a b) OR \"x\" AND -y * ^ " * 12)[:300]}),
    "/carte/donnees/?bbox=-180,-90,180,90&zoom=1",
]


def measure(server: Server, paths: list[str]) -> dict:
    timings, statuses, queries = [], {}, []
    for path in paths:
        try:
            result = server.get(path, gzip_ok=True, cached=True)
        except OSError:
            result = {"ms": REQUEST_TIMEOUT * 1000, "status": "timeout", "queries": None}
        timings.append(result["ms"])
        statuses[result["status"]] = statuses.get(result["status"], 0) + 1
        queries.append(int(result["queries"]) if result.get("queries") else None)
    order = sorted(range(len(timings)), key=timings.__getitem__)
    median = order[len(order) // 2]
    return {"p50": statistics.median(timings), "p95": percentile(timings, 0.95), "p99": percentile(timings, 0.99),
            "statuses": statuses, "queries": queries[median]}


def mixed(server: Server, questions: Questions, clients: int, seconds: float) -> dict:
    """The never-repeated mix: 40 % lists, 20 % text, 20 % details, 20 % map data (bench.mix asks them)."""
    makers = [questions.list] * 4 + [questions.text] * 2 + [questions.detail] * 2 + [questions.map] * 2
    return mix(server, lambda: questions.rng.choice(makers)(), clients, seconds)


def worker_memory(server: Server) -> list[int]:
    """Resident memory (MB) of each gunicorn worker (the arbiter's children)."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":", 1) for line in status.read_text().splitlines() if ":" in line)
        except OSError:
            continue
        if fields.get("PPid", "").strip() == str(server.process.pid):
            found.append(int(fields["VmRSS"].split()[0]) // 1024)
    return sorted(found)


def load_average() -> str:
    return " / ".join(f"{value:.2f}" for value in os.getloadavg())


def wait_for_place_index(server: Server, timeout: float = 180) -> float | None:
    """Seconds until both workers answer with the place index built (each builds it at start, gunicorn.conf.py);
    None after `timeout`. The index is the directory's structure, not a cache of answers: production workers
    hold it, so the never-repeated figures are measured with it, as with the database's own indexes."""
    started = time.monotonic()
    ready_in_a_row = 0
    while time.monotonic() - started < timeout:
        answer = server.get("/__floor__/")
        ready_in_a_row = ready_in_a_row + 1 if answer["place_index"] == "ready" else 0
        if ready_in_a_row >= 10:  # ten answers in a row: both workers, whichever gunicorn chose
            return time.monotonic() - started
        time.sleep(0.2)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", required=True)
    parser.add_argument("--requests", type=int, default=100, help="questions par type de page")
    parser.add_argument("--mix-seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    os.environ.setdefault("GUNICORN_CMD_ARGS", "--access-logfile /dev/null")  # one line per request otherwise
    # The planner statistics production keeps (after_data_change runs them after every bulk write).
    scalar(args.database, "from actors.core.planner_statistics import refresh_statistics; refresh_statistics(); "
                          "print('ok')")
    words = vocabulary(args.database)
    questions = Questions(words, args.seed)
    redis = Redis()
    server = Server(args.database, redis.url)
    index_wait = wait_for_place_index(server)
    print(f"Index des lieux prêt dans les deux workers en {index_wait:.1f} s" if index_wait is not None
          else "Index des lieux pas prêt après 180 s : des réponses viendront du SQL seul")
    print(f"Charge avant : {load_average()} · {words['total']} lieux publics · graine {args.seed}")
    try:
        rows = []
        for kind in ("floor", "list", "text", "detail", "map"):
            make = getattr(questions, kind)
            rows.append((kind, measure(server, [make() for _ in range(args.requests)])))
        floor = rows[0][1]["p50"]
        print("\n| type | p50 ms | p95 ms | p99 ms | × plancher | requêtes SQL (médiane) | réponses |")
        print("|---|---|---|---|---|---|---|")
        for kind, row in rows:
            answers = ", ".join(f"{status}: {n}" for status, n in sorted(row["statuses"].items(), key=str))
            print(f"| {kind} | {row['p50']:.1f} | {row['p95']:.1f} | {row['p99']:.1f} | {row['p50'] / floor:.1f} |"
                  f" {row['queries'] if row['queries'] is not None else '-'} | {answers} |")
        mix = mixed(server, questions, args.clients, args.mix_seconds)
        print(f"\n{args.clients} clients, jamais la même URL, {args.mix_seconds:g} s : {mix['rps']:.1f} req/s, "
              f"p50 {mix['p50']:.0f} ms, p95 {mix['p95']:.0f} ms, {mix['errors']} erreurs sur {mix['requests']}")
        print("\nFormes hostiles :")
        for path in HOSTILE:
            result = server.get(path, cached=True)
            print(f"- {result['status']} en {result['ms']:.0f} ms : {path[:90]}")
        print(f"\nMémoire des workers (Mo) : {worker_memory(server)}")
        print(f"Charge après : {load_average()}")
    finally:
        server.stop()
        redis.stop()


if __name__ == "__main__":
    main()
