"""The diagnostic's figures in the cache, keyed by the data version, and their warm-up after a data change.

Keys hold the data version (`actors.models.version.data_version`): any write to a place makes new keys at once, so
nothing is ever invalidated by hand. The parents' figures (France, régions, départements) come from one
national computation per version, shared by every page. After a bulk change, `warm_diagnostics` (a
background task enqueued by `actors.data_change.after_data_change`) computes that table and every département's
page at the default distance, so the first visitor rarely pays; it helps every server when the cache is shared
(REDIS_URL), as the directory's counts do.
"""

import logging

from django.core.cache import cache
from django.utils import timezone
from django_tasks import task

from actors.core.versioned_cache import cache_key, kept
from actors.diagnostic import ateliers
from actors.diagnostic.areas import Area, departement_area
from actors.diagnostic.compute import DEFAULT_SERVICE_KM, compute
from actors.diagnostic.coverage import Coverage, coverage
from actors.diagnostic.nearby import rings
from actors.diagnostic.summary import departement_fingerprints, departement_place_tallies, national, summary
from actors.diagnostic.svgmap import DEFAULT_INDICATOR, INDICATORS, Indicator, draw
from actors.models.version import data_version
from territories.models import Departement

logger = logging.getLogger(__name__)

CACHE_SECONDS = 24 * 3600  # the key holds the data version: an edit makes a new key at once
NATIONAL_KINDS = ("departement", "region", "france")  # their figures come from one national computation


def _key(*parts) -> str:
    return cache_key("diagnostic", *parts)


def _cached(key: str, make):
    return kept(key, make, seconds=CACHE_SECONDS)


def cached_compute(area: Area, *, service_km: int, version: str) -> dict:
    return _cached(_key("compute", area.key, service_km, version), lambda: compute(area, service_km=service_km))


def cached_national(*, version: str) -> dict[str, dict]:
    """France, every région and every département: one computation per data version, whatever the page."""
    return _cached(_key("national", version), lambda: national(places=departement_tallies()))


def departement_tallies() -> dict[str, dict]:
    """Every département's place counts, each kept under its fingerprint (summary.departement_fingerprints)
    and the day (freshness is counted against today): after an edit only the départements it touched are
    counted again, in one statement."""
    now = timezone.now()
    keys = {code: _key("tallies", code, *fingerprint, timezone.localdate(now))
            for code, fingerprint in departement_fingerprints().items()}
    known = cache.get_many(list(keys.values()))
    result = {code: known[key] for code, key in keys.items() if key in known}
    missing = [code for code in keys if code not in result]
    if missing:
        counted = departement_place_tallies(now=now, codes=None if len(missing) == len(keys) else missing)
        fresh = {code: counted.get(code, {}) for code in missing}
        cache.set_many({keys[code]: counts for code, counts in fresh.items()}, CACHE_SECONDS)
        result.update(fresh)
    return result


def cached_summary(area: Area, *, version: str) -> dict:
    if area.kind in NATIONAL_KINDS:
        return cached_national(version=version)[area.key]
    return _cached(_key("summary", area.key, version), lambda: summary(area))


def cached_coverage(*, version: str) -> Coverage:
    """What the directory covers, from the national table's counts (no further statement on the places)."""
    table = cached_national(version=version)
    return _cached(_key("coverage", version), lambda: coverage(
        {key.split(":", 1)[1]: row["places"] for key, row in table.items() if key.startswith("departement:")}))


def cached_map(area: Area, units: list[dict], indicator: Indicator, *, service_km: int, version: str) -> dict:
    """The SVG parts: they depend on the figures (hence the data version), the distance and the indicator."""
    def make():
        shapes = [rings(perimeter) for perimeter in area.qpvs().values_list("perimeter", flat=True)]
        return draw(units, shapes, indicator)

    return _cached(_key("map", area.key, service_km, indicator.key, version), make)


def cached_ateliers(area: Area, *, population: int, service_km: int, version: str) -> dict:
    """The sessions of the coming 90 days, and the communes without one within `service_km`: the window moves
    with the day, so the day is part of the key."""
    today = timezone.localdate()
    return _cached(_key("ateliers", area.key, population, service_km, today, version),
                   lambda: {**ateliers.sessions_by_theme(area, population=population),
                            "gaps": ateliers.communes_without_sessions(area, service_km=service_km)})


def warm() -> int:
    """The national table, then each département's page at the default distance; returns the pages computed."""

    version = data_version()
    cached_national(version=version)
    cached_coverage(version=version)
    computed = 0
    for departement in Departement.objects.order_by("code"):
        area = departement_area(departement)
        data = cached_compute(area, service_km=DEFAULT_SERVICE_KM, version=version)
        cached_map(area, data["units"], INDICATORS[DEFAULT_INDICATOR], service_km=DEFAULT_SERVICE_KM,
                   version=version)
        cached_ateliers(area, population=data["summary"]["population"], service_km=DEFAULT_SERVICE_KM,
                        version=version)
        computed += 1
    return computed


@task()
def warm_diagnostics() -> int:
    computed = warm()
    logger.info("Diagnostics préparés : %s départements", computed)
    return computed
