"""Turn DATABASE_URL into Django's DATABASES entry (only the two engines the project supports)."""

from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse


def database_from_url(url: str, base_dir: Path) -> dict:
    parsed = urlparse(url)
    if parsed.scheme in ("spatialite", "sqlite"):
        # spatialite:///relative/path or spatialite:////absolute/path
        raw = unquote(parsed.path)
        path = Path(raw[1:]) if raw.startswith("/") and not raw.startswith("//") else Path(raw[1:])
        if not path.is_absolute():
            path = base_dir / path
        return {
            "ENGINE": "django.contrib.gis.db.backends.spatialite",
            "NAME": str(path),
            # Several processes share the file (gunicorn workers, the task worker): write transactions take the
            # lock when they begin and wait for it (up to `timeout` s) instead of failing with "database is
            # locked" half-way; WAL lets readers go on while one process writes.
            # mmap: pages are read from the operating system's cache in place instead of copied into each
            # connection's 2 MB cache (a national file is ~400 MB: index probes spread over it). It reserves
            # address space, not memory.
            "OPTIONS": {"timeout": 20, "transaction_mode": "IMMEDIATE",
                        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                                        "PRAGMA mmap_size=1073741824"},
            # Opening a connection loads SpatiaLite (~6 ms): kept across requests, as on PostgreSQL.
            "CONN_MAX_AGE": 60,
        }
    if parsed.scheme in ("postgis", "postgres", "postgresql"):
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        # Web queries read few rows: starting parallel workers (tens of ms on a busy machine) costs more than it
        # saves, and the app servers' own workers already use every core (docs/scale.md). JIT compilation of the
        # facet counts' large queries took 737 of 1,517 ms of one never-repeated list page at 100,000 places.
        options.setdefault("options", "-c max_parallel_workers_per_gather=0 -c jit=off")
        return {
            "ENGINE": "django.contrib.gis.db.backends.postgis",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": unquote(parsed.hostname or ""),
            "PORT": str(parsed.port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": 60,
        }
    raise ValueError(f"DATABASE_URL non pris en charge : {parsed.scheme!r} (spatialite:// ou postgis://)")
