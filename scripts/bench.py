#!/usr/bin/env python
"""`make bench`: the performance budgets of DESIGN.md over real HTTP, on each engine, written to BENCHMARKS.md.

For each engine it builds (or reuses) a synthetic national set (`generate_structures --count N --seed 1`),
serves it with gunicorn (2 workers) on a loopback port, and measures time to first byte of real requests:
median and p95 of `--runs` requests per page, SQL queries (the `X-Queries` header), bytes raw and gzipped,
and the ratio to the framework floor (a 404) measured in the same run. Then a mix of 20 concurrent clients
(60 % lists, 20 % details, 20 % map data). On SpatiaLite, a 300,000-place set gives the growth of filtered
pages and of map data. Map data is measured uncached: each request moves the view by a few metres, so its cells
are computed (the filters' places, kept per filter set and data version, are reused as when a user pans).

The page rows are computed by the views at each request: they carry `X-Page-Cache: bypass`, which the bench
server alone honours (PAGE_CACHE_BYPASS_HEADER=true), so the whole-page cache of anonymous pages is skipped.
The mix runs as in production, with that cache, shared by the two workers through a Redis started for the run
when `redis-server` is installed (each worker's own memory otherwise), and with the background-task worker
(`db_worker`). It runs twice in a row: from an empty page cache (each page's first request computes it), then
warm, the steady state the budget is about; both are reported.

    .venv/bin/python scripts/bench.py                      # SpatiaLite, and PostGIS when BENCH_POSTGIS_URL is set
    BENCH_POSTGIS_URL=postgis://postgres@127.0.0.1:5432/inclusion_bench .venv/bin/python scripts/bench.py
Options: --runs 20, --engines spatialite postgis, --no-300k, --mix-seconds 20, --output BENCHMARKS.md.
"""

import argparse
import datetime as dt
import gzip
import http.client
import itertools
import json
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
# name, kind, budget in ms (None: reported only)
# The growth budget is for filtered pages: this one groups every place of France by construction.
EVERY_PLACE = {"Carte : France z6, sans filtre"}
BUDGETS = {"list": 50, "text": 100, "detail": 20, "map": 100, "floor": None, "export": None}
MIX_BUDGET = (150, 250)  # req/s at least, p95 ms at most
REQUEST_TIMEOUT = 30  # seconds; gunicorn kills a worker held longer
# What follows this line in BENCHMARKS.md is written by hand (explanations) and kept by each run.
NOTES_MARK = "<!-- notes : conservé par make bench -->"


def manage(url: str, *args: str, capture: bool = False) -> str:
    env = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True,
                          stdout=subprocess.PIPE if capture else None)
    return done.stdout or ""


def scalar(url: str, code: str) -> str:
    return manage(url, "shell", "-c", code, capture=True).strip().splitlines()[-1]


def ensure_set(url: str, count: int) -> None:
    """Migrations, territories and `count` synthetic places; reused when already there."""
    manage(url, "migrate", "--no-input", "-v0")
    present = int(scalar(url, "from actors.models import Structure; print(Structure.objects.count())"))
    if present == count:
        return
    manage(url, "load_territories")
    manage(url, "generate_structures", "--count", str(count), "--seed", "1", "--replace")


def grown_copy(source_url: str, target_url: str, factor: int) -> None:
    """SpatiaLite: the set copied `factor` times (each copy moved ~100 m), as a larger national set.

    Faster than generating 300,000 places (minutes on a busy machine) and the same distribution, three
    times denser: what the growth budget is about. Links, hours, QPV and the text index are copied too;
    SpatiaLite's triggers fill the R*Tree.
    """
    import sqlite3

    source, target = (ROOT / url.split("///", 1)[1] for url in (source_url, target_url))
    temporary = target.with_suffix(".tmp")
    shutil.copyfile(source, temporary)
    db = sqlite3.connect(temporary)
    db.enable_load_extension(True)
    db.load_extension("mod_spatialite")
    columns = [row[1] for row in db.execute("PRAGMA table_info(actors_structure)")]
    offset = db.execute("SELECT MAX(id) FROM actors_structure").fetchone()[0]
    changed = {"id": "id + {o}", "slug": "slug || '-copie{k}'", "source_id": "source_id || '-copie{k}'",
               "location": "ShiftCoords(location, 0.001 * {k}, 0.0007 * {k})"}
    links = {"actors_structure_terms": "term_id", "actors_weeklyslot": "weekday, opens, closes",
             "actors_structureqpv": "distance_m, qpv_id", "actors_structure_service_area": "commune_id"}
    for k in range(1, factor):
        o = offset * k
        select = ", ".join(changed.get(name, name).format(o=o, k=k) for name in columns)
        db.execute(f"INSERT INTO actors_structure ({', '.join(columns)}) SELECT {select} FROM actors_structure "
                   f"WHERE id <= {offset}")
        for table, fields in links.items():
            db.execute(f"INSERT INTO {table} (structure_id, {fields}) SELECT structure_id + {o}, {fields} "
                       f"FROM {table} WHERE structure_id <= {offset}")
        db.execute(f"INSERT INTO actors_structure_fts (rowid, nom, termes, description) SELECT rowid + {o}, nom, "
                   f"termes, description FROM actors_structure_fts WHERE rowid <= {offset}")
    db.execute("ANALYZE")
    db.commit()
    db.close()
    temporary.replace(target)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Redis:
    """A throwaway redis-server on a loopback port (no persistence), or nothing when it is not installed."""

    def __init__(self):
        self.process, self.url = None, ""
        binary = shutil.which("redis-server")
        if not binary:
            return
        port = free_port()
        self.process = subprocess.Popen([binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                                         "--appendonly", "no"], stdout=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                self.url = f"redis://127.0.0.1:{port}/0"
                return
            except OSError:
                time.sleep(0.2)

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(10)


class Server:
    """gunicorn with 2 workers on a loopback port, over one database (and Redis as the cache when given)."""

    def __init__(self, url: str, redis_url: str = ""):
        self.port, self.worker = free_port(), None
        self.env = env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-only", "QUERY_COUNT_HEADER": "true",
               "SECURE_COOKIES": "false", "SECURE_HSTS_SECONDS": "0", "LOG_LEVEL": "WARNING",
               "PAGE_CACHE_BYPASS_HEADER": "true", "REDIS_URL": redis_url,
               "CACHE_KEY_PREFIX": f"bench{self.port}"}
        self.process = subprocess.Popen(
            [GUNICORN, "inclusion.wsgi", "--workers", "2", "--bind", f"127.0.0.1:{self.port}",
             "--timeout", str(REQUEST_TIMEOUT), "--log-level", "warning"], cwd=ROOT, env=env)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                self.get("/__floor__/")
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("gunicorn n'a pas démarré")

    def get(self, path: str, gzip_ok: bool = False, cached: bool = False) -> dict:
        """`cached`: as a browser asks (the whole-page cache may answer); otherwise the view computes the page."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
        if not cached:
            headers["X-Page-Cache"] = "bypass"
        started = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        first_byte = (time.perf_counter() - started) * 1000
        body = response.read()
        total = (time.perf_counter() - started) * 1000
        connection.close()
        return {"ms": first_byte, "total_ms": total, "status": response.status, "body": body,
                "queries": response.getheader("X-Queries"), "encoding": response.getheader("Content-Encoding"),
                "page_cache": response.getheader("X-Page-Cache"), "place_index": response.getheader("X-Place-Index")}

    def start_worker(self) -> None:
        """The background-task worker, as `make run` starts it beside the server (it builds the export files
        and counts after bulk changes). Tasks left queued by an earlier run are dropped first."""
        code = ("from django_tasks_db.models import DBTaskResult; "
                "DBTaskResult.objects.filter(status='READY').delete()")
        subprocess.run([PYTHON, "manage.py", "shell", "-c", code], cwd=ROOT, env=self.env, check=True)
        self.worker = subprocess.Popen([PYTHON, "manage.py", "db_worker", "--queue-name", "default"], cwd=ROOT,
                                       env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def stop(self) -> None:
        if self.worker:
            self.worker.terminate()
            self.worker.wait(30)
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(10)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def panned(path: str, index: int) -> str:
    """The same view moved by a few metres: a viewport the server has not cached (the filters' total is)."""
    query = parse_qs(urlsplit(path).query)
    west, south, east, north = (float(value) for value in query["bbox"][0].split(","))
    shift = (index + 1 + time.time_ns() % 1000) * 1e-5
    query["bbox"] = [f"{west + shift:.5f},{south:.5f},{east + shift:.5f},{north:.5f}"]
    return urlsplit(path).path + "?" + urlencode(query, doseq=True)


TIMED_OUT = {"p50": REQUEST_TIMEOUT * 1000, "p95": REQUEST_TIMEOUT * 1000, "first": REQUEST_TIMEOUT * 1000,
             "status": "timeout", "queries": "-", "raw": 0, "gzip": 0, "served_gzip": False}


def measure_rounds(server: Server, pages: list[tuple[str, str, str, bool]], runs: int) -> list[dict]:
    """Every page once per round, `runs` rounds (exports: 3). The machine's speed drifts from one minute to the
    next (a shared virtual machine): asked in turn, every page meets the same slow and fast moments, and each
    one's median is comparable with the floor's, measured in the same rounds."""
    timings: list[list[float]] = [[] for _ in pages]
    last: list[dict | None] = [None] * len(pages)
    timed_out = [False] * len(pages)
    for index in range(runs):
        for number, (_label, kind, path, fresh) in enumerate(pages):
            if timed_out[number] or (kind == "export" and index >= 3):
                continue
            try:
                last[number] = server.get(panned(path, index) if fresh else path)
            except (TimeoutError, http.client.HTTPException, ConnectionError):
                # A worker held past the limit: reported as such, and the page is not asked again.
                time.sleep(5)  # gunicorn restarts the held worker
                timed_out[number] = True
                continue
            timings[number].append(last[number]["ms"])
    return [TIMED_OUT if timed_out[number] else summary(server, path, timings[number], last[number])
            for number, (_label, _kind, path, _fresh) in enumerate(pages)]


def summary(server: Server, path: str, timings: list[float], last: dict) -> dict:
    body = last["body"]
    if last["encoding"] == "gzip":
        body = gzip.decompress(body)
    zipped = server.get(path, gzip_ok=True)
    packed = len(zipped["body"]) if zipped["encoding"] == "gzip" else len(gzip.compress(body, 6))
    return {"p50": statistics.median(timings), "p95": percentile(timings, 0.95), "first": timings[0],
            "status": last["status"],
            "queries": last["queries"] or "-", "raw": len(body), "gzip": packed,
            "served_gzip": zipped["encoding"] == "gzip"}


def facts(url: str) -> dict:
    code = (
        "import json\n"
        "from django.db.models import Count\n"
        "from actors.models import Structure\n"
        "from territories.models import Commune\n"
        "p = Structure.objects.public()\n"
        "dep = p.exclude(commune=None).values('commune__departement_id').annotate(n=Count('pk'))"
        ".order_by('-n').values_list('commune__departement_id', flat=True).first()\n"
        "slugs = list(p.filter(location_is_approximate=False).order_by('pk').values_list('slug', flat=True)[:200:10])\n"
        "c = Commune.objects.filter(departement_id=dep).order_by('-population').values_list('pk', flat=True).first()\n"
        "s = p.filter(location_is_approximate=False).order_by('pk').first()\n"
        "print(json.dumps({'dep': dep, 'slugs': slugs, 'commune': c, 'x': s.location.x, 'y': s.location.y,"
        " 'total': p.count()}))\n"
    )
    return json.loads(scalar(url, code))


def cases(f: dict) -> list[tuple[str, str, str, bool]]:
    """(label, kind, path, fresh); `fresh` defeats the server cache (map data)."""
    filters = {"departement": f["dep"], "services": "aide-aux-demarches-administratives", "frais": "gratuit",
               "q": "mediatheque"}
    x, y = f["x"], f["y"]
    return [
        ("Plancher (404)", "floor", "/__floor__/", False),
        ("Liste : sans filtre", "list", "/lieux/", False),
        ("Liste : 3 filtres + texte", "list", "/lieux/?" + urlencode(filters), False),
        ("Liste : près d'une commune (10 km)", "list", "/lieux/?" + urlencode({"pres_de": f["commune"]}), False),
        ("Liste : page 200", "list", "/lieux/?page=200", False),
        ("Texte : « numerique » (tous les lieux)", "text", "/lieux/?q=numerique", False),
        ("Texte : « a » (une lettre)", "text", "/lieux/?q=a", False),
        ("Texte : « mediatheque »", "text", "/lieux/?q=mediatheque", False),
        ("Fiche détaillée", "detail", f"/lieux/{f['slugs'][0]}/", False),
        ("Carte : France z6, 2 filtres", "map",
         "/carte/donnees/?bbox=-5.5,41.2,9.9,51.2&zoom=6&besoin=demarches&frais=gratuit", True),
        ("Carte : France z6, sans filtre", "map", "/carte/donnees/?bbox=-5.5,41.2,9.9,51.2&zoom=6", True),
        ("Carte : une rue (z17)", "map",
         f"/carte/donnees/?bbox={x - 0.004:.5f},{y - 0.003:.5f},{x + 0.004:.5f},{y + 0.003:.5f}&zoom=17", True),
        ("Export CSV national (fichier)", "export", "/export/lieux.csv", False),
        (f"Export CSV du département {f['dep']} (flux)", "export", f"/export/lieux.csv?departement={f['dep']}", False),
    ]


def mix_paths(f: dict) -> list[str]:
    """60 % lists, 20 % details, 20 % map data, with varied filters, pages and viewports.

    Text queries have rows of their own above; kept out of the mix, one slow text query would hold a
    worker and hide everything else."""
    rng = random.Random(1)
    lists = ["/lieux/", f"/lieux/?departement={f['dep']}", "/lieux/?frais=gratuit&jour=samedi",
             f"/lieux/?pres_de={f['commune']}", "/lieux/?frais=gratuit&page=3", "/lieux/?page=2", "/lieux/?page=50",
             "/lieux/?services=aide-aux-demarches-administratives", f"/lieux/?departement={f['dep']}&page=3"]
    details = [f"/lieux/{slug}/" for slug in f["slugs"]]
    maps = []
    for _ in range(12):
        lon, lat, span = rng.uniform(-1.0, 6.0), rng.uniform(43.5, 49.5), rng.choice([0.5, 2, 8])
        zoom = {0.5: 11, 2: 9, 8: 7}[span]
        maps.append(f"/carte/donnees/?bbox={lon:.3f},{lat:.3f},{lon + span:.3f},{lat + span / 2:.3f}&zoom={zoom}")
    paths = []
    for index in range(100):
        bucket = index % 10
        source = lists if bucket < 6 else details if bucket < 8 else maps
        paths.append(rng.choice(source))
    rng.shuffle(paths)
    return paths


def mix(server: Server, paths: list[str] | Callable[[], str], clients: int, seconds: float) -> dict:
    """As browsers ask: the whole-page cache answers what it holds (each page's first request computes it).
    `paths`: asked in turn, or a function giving each request's path (scripts/bench_traffic.py: never twice)."""
    timings: list[float] = []
    errors = [0]
    hits = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    counter = itertools.count()
    next_path = paths if callable(paths) else lambda: paths[next(counter) % len(paths)]

    def client() -> None:
        while time.monotonic() < stop_at:
            with lock:
                path = next_path()
            try:
                result = server.get(path, gzip_ok=True, cached=True)
                ok = result["status"] == 200
            except OSError:
                ok, result = False, {"total_ms": 0}
            with lock:
                timings.append(result["total_ms"])
                errors[0] += not ok
                hits[0] += result.get("page_cache") == "hit"

    started = time.monotonic()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {"rps": len(timings) / elapsed, "p50": statistics.median(timings), "p95": percentile(timings, 0.95),
            "requests": len(timings), "errors": errors[0], "hits": hits[0]}


def run_engine(name: str, url: str, count: int, runs: int, mix_seconds: float, only_filtered: bool = False) -> dict:
    print(f"== {name}, {count} lieux : préparation", flush=True)
    ensure_set(url, count)
    f = facts(url)
    if not only_filtered:  # the growth point measures lists and map data only: no national files needed
        manage(url, "build_exports")
    redis = Redis()
    server = Server(url, redis.url)
    try:
        # Warm-up: each worker loads its code, vocabularies and caches once, as in production.
        for _ in range(4):
            server.get("/lieux/")
            server.get("/carte/donnees/?bbox=-5.5,41.2,9.9,51.2&zoom=6")
        pages = [case for case in cases(f)
                 if not only_filtered or case[1] in ("floor", "list", "text", "map")]
        results = []
        for (label, kind, path, _fresh), result in zip(pages, measure_rounds(server, pages, runs), strict=True):
            results.append((label, kind, path, result))
            print(f"{label:<45} p50 {result['p50']:8.1f} ms  p95 {result['p95']:8.1f} ms  q {result['queries']:>3}  "
                  f"{result['raw']:>10} o  gzip {result['gzip']:>9} o  HTTP {result['status']}", flush=True)
        mixes = []
        if not only_filtered:
            server.start_worker()
            # First from an empty page cache (each page's first request computes it), then again: the steady
            # state of a site whose popular pages are in the cache, which the budget is about.
            for phase in ("cold", "warm"):
                mixed = mix(server, mix_paths(f), 20, mix_seconds)
                mixed["phase"] = phase
                mixes.append(mixed)
                print(f"Mix 20 clients ({phase}) : {mixed['rps']:.1f} req/s, p50 {mixed['p50']:.1f} ms, "
                      f"p95 {mixed['p95']:.1f} ms, {mixed['errors']} erreurs, {mixed['hits']} réponses du cache de "
                      "pages", flush=True)
    finally:
        server.stop()
        redis.stop()
    return {"engine": name, "count": count, "total": f["total"], "results": results, "mixes": mixes,
            "cache": "Redis partagé par les 2 workers" if redis.url else "mémoire de chaque worker"}


def verdict(kind: str, result: dict) -> str:
    budget = BUDGETS.get(kind)
    if result["status"] == "timeout":
        return f"**pas de réponse en {REQUEST_TIMEOUT} s**"
    if result["status"] != 200 and kind != "floor":
        return f"HTTP {result['status']}"
    if budget is None:
        return ""
    if kind == "map" and result["gzip"] > 1_000_000:
        return "**> 1 Mo**"
    return "ok" if result["p50"] <= budget else f"**> {budget} ms**"


def table(run: dict) -> list[str]:
    floor = next((r for _l, k, _p, r in run["results"] if k == "floor"), None)
    lines = [f"### {run['engine']} — {run['total']:,} lieux publics".replace(",", " "), "",
             "| page | p50 ms | p95 ms | 1re ms | × plancher | requêtes SQL | octets | gzip | budget | |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---|---|"]
    for label, kind, path, r in run["results"]:
        ratio = f"{r['p50'] / floor['p50']:.1f}" if floor and floor["p50"] else "-"
        budget = BUDGETS.get(kind)
        budget_text = f"≤ {budget} ms" if budget else ""
        lines.append(f"| {label} (`{path}`) | {r['p50']:.1f} | {r['p95']:.1f} | {r['first']:.0f} | {ratio} | "
                     f"{r['queries']} | "
                     f"{r['raw']:,} | {r['gzip']:,} | {budget_text} | {verdict(kind, r)} |".replace(",", " "))
    for m in run["mixes"]:
        ok = m["rps"] >= MIX_BUDGET[0] and m["p95"] <= MIX_BUDGET[1]
        phase = ("cache de pages vide au départ" if m["phase"] == "cold"
                 else "puis aussitôt une 2e fois, cache chaud : régime établi, celui du budget")
        lines += ["", f"Mix de 20 clients (60 % listes, 20 % fiches, 20 % carte), comme en production (cache de "
                      f"pages : {run['cache']} ; {phase}), {m['requests']} requêtes dont {m['hits']} servies par ce "
                      f"cache : **{m['rps']:.1f} req/s**, p50 {m['p50']:.1f} ms, p95 **{m['p95']:.1f} ms**, "
                      f"{m['errors']} erreurs (budget ≥ {MIX_BUDGET[0]} req/s, p95 ≤ {MIX_BUDGET[1]} ms : "
                      f"{'ok' if ok else 'manqué'})."]
    return lines + [""]


def growth(small: dict, large: dict) -> list[str]:
    lines = ["### Croissance 100 000 → 300 000 lieux (SpatiaLite, pages filtrées et carte)", "",
             "| page | 100k p50 ms | 300k p50 ms | ×, budget ≤ 1.5 |", "|---|---:|---:|---|"]
    before = {label: r for label, _k, _p, r in small["results"]}
    for label, kind, _path, r in large["results"]:
        if kind == "floor" or label not in before:
            continue
        if "timeout" in (r["status"], before[label]["status"]):
            lines.append(f"| {label} | {before[label]['p50']:.1f} | {r['p50']:.1f} | pas de réponse : non mesurable |")
            continue
        factor = r["p50"] / before[label]["p50"] if before[label]["p50"] else 0
        verdict_text = ("page sans filtre sur toute la France : hors budget (il vise les pages filtrées)"
                        if label in EVERY_PLACE else "ok" if factor <= 1.5 else "**manqué**")
        lines.append(f"| {label} | {before[label]['p50']:.1f} | {r['p50']:.1f} | {factor:.2f} {verdict_text} |")
    return lines + [""]


def machine() -> str:
    load = os.getloadavg()
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return (f"{platform.node()}, {os.cpu_count()} cœurs ({cpu}), Python {platform.python_version()}, "
            f"charge moyenne au départ {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--engines", nargs="+", default=["spatialite", "postgis"])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--no-300k", action="store_true")
    parser.add_argument("--mix-seconds", type=float, default=20)
    parser.add_argument("--output", default=str(ROOT / "BENCHMARKS.md"))
    parser.add_argument("--notes", default="", help="Texte ajouté sous l'en-tête (par exemple la charge).")
    args = parser.parse_args()
    urls = {"spatialite": os.environ.get("BENCH_SPATIALITE_URL", "spatialite:///var/bench100k.sqlite3"),
            "postgis": os.environ.get("BENCH_POSTGIS_URL", "")}
    started = dt.datetime.now(dt.UTC)
    host = machine()
    runs = []
    for engine in args.engines:
        if not urls.get(engine):
            print(f"{engine} : ignoré (BENCH_POSTGIS_URL non défini).")
            continue
        runs.append(run_engine(engine, urls[engine], args.count, args.runs, args.mix_seconds))
    large = None
    if "spatialite" in args.engines and not args.no_300k:
        url = "spatialite:///var/bench300k.sqlite3"
        present = (ROOT / "var" / "bench300k.sqlite3").exists() and int(scalar(
            url, "from actors.models import Structure; print(Structure.objects.count())")) == args.count * 3
        if not present:
            print("== spatialite : copie ×3 du jeu de 100 000 lieux", flush=True)
            grown_copy(urls["spatialite"], url, 3)
        large = run_engine("spatialite", url, args.count * 3, args.runs, args.mix_seconds, only_filtered=True)
    command = "make bench  # " + " ".join(sys.argv[1:]) if sys.argv[1:] else "make bench"
    lines = ["# Benchmarks", "",
             f"- Date : {started:%Y-%m-%d %H:%M} UTC", f"- Machine : {host}",
             f"- Commande : `{command}` (PostGIS : `BENCH_POSTGIS_URL=postgis://…`)",
             "- Méthode : gunicorn, 2 workers, requêtes HTTP réelles sur la boucle locale ; temps jusqu'au premier "
             f"octet, médiane (p50) et p95 de {args.runs} requêtes par page, posées à tour de rôle (une par page "
             "et par tour : la vitesse de la machine, virtuelle et partagée, varie d'une minute à l'autre) ; "
             "lignes par page calculées par la vue à chaque "
             "requête, sans le cache de pages entières (en-tête `X-Page-Cache: bypass`, honoré par le serveur de "
             "mesure seul) ; le mix, lui, passe par ce cache comme en production ; données de carte sans cache des "
             "cellules (vue déplacée de quelques mètres à chaque requête ; lieux des filtres gardés par jeu de "
             "filtres) ; listes : comptes (et correspondances d'une recherche) en cache par jeu de filtres ; "
             "fiches : « lieux proches » en cache par version des données ; "
             "« × plancher » = rapport au temps d'une 404 mesuré dans la même série ; « 1re » = la première "
             "requête de la série (comptes pas encore en cache).", ""]
    if args.notes:
        lines += [args.notes, ""]
    output = Path(args.output)
    kept = output.read_text(encoding="utf-8").split(NOTES_MARK, 1)[1] if output.exists() and NOTES_MARK in \
        output.read_text(encoding="utf-8") else "\n## Explications\n"
    for run in runs:
        lines += table(run)
    if large:
        small = next((run for run in runs if run["engine"] == "spatialite"), None)
        lines += table(large)
        if small:
            lines += growth(small, large)
    output.write_text("\n".join(lines) + "\n" + NOTES_MARK + kept, encoding="utf-8")
    print(f"Écrit : {args.output}")


if __name__ == "__main__":
    main()
