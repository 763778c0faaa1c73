"""What runs after the places change in bulk: planner statistics, the national export files, warm caches.

SQLite has no autovacuum: without `ANALYZE` its planner drives a "département + service" list from the
whole structure table instead of the département's communes (1.5 s instead of 74 ms on 100,000 places).
PostgreSQL analyses on its own, but only some time after a bulk load. `after_data_change` is a background
task enqueued by the bulk writers (generator, demo loader, imports) and by the export view when its file
is older than the data.
"""

import logging

from django.db import connections
from django_tasks import task

logger = logging.getLogger(__name__)

ANALYSED_TABLES = (
    "actors_structure", "actors_structure_terms", "actors_weeklyslot", "actors_structureqpv",
    "territories_commune",
)


def refresh_statistics(using: str = "default") -> None:
    """Planner statistics of the tables the directory reads."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # VACUUM also marks pages all-visible, so counts read the index alone; it cannot run in a
            # transaction (tests, or a caller's atomic block), where ANALYZE alone is done.
            verb = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
            cursor.execute(f"{verb} " + ", ".join(ANALYSED_TABLES))
        else:
            # SQLite 3.40 (Debian 12) answers "open at 10:00 on one of these days" wrongly once it has
            # statistics for the weekly slots (its skip-scan over the slot index returns places open at other
            # hours: tests/actors/test_opening_demo.py). That table keeps none; the connection rereads them.
            for table in ANALYSED_TABLES:
                if table != "actors_weeklyslot":
                    cursor.execute(f"ANALYZE {table}")
            cursor.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'actors_weeklyslot'")
            cursor.execute("ANALYZE sqlite_master")


def statistics_after_migrate(sender, using="default", **kwargs) -> None:
    refresh_statistics(using)


@task()
def after_data_change() -> dict:
    """Statistics, national export files, facet counts of the unfiltered directory (kept in the cache)."""
    from actors import exportfiles, listcache

    refresh_statistics()
    built = exportfiles.build_all()
    listcache.warm()
    logger.info("Après modification des lieux : %s", built)
    from territories.diagnostic.caching import warm_diagnostics

    warm_diagnostics.enqueue()  # its own job: the diagnostics of every département, after the files
    return built


def data_changed() -> None:
    """Call after a bulk write: the work runs in the background (at once in tests)."""
    after_data_change.enqueue()
