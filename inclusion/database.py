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
            # WAL: readers never wait for a writer (a long import no longer makes pages fail with
            # "database is locked"); writers wait up to `timeout` seconds for each other; IMMEDIATE takes
            # the write lock when a transaction starts, so a transaction never fails half-way on a lock upgrade.
            "OPTIONS": {
                "timeout": 20,
                "init_command": "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL",
                "transaction_mode": "IMMEDIATE",
            },
        }
    if parsed.scheme in ("postgis", "postgres", "postgresql"):
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
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
