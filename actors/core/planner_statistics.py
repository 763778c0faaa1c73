"""Planner statistics of the tables the directory reads, after bulk writes and migrations.

SQLite has no autovacuum: without `ANALYZE` its planner drives a "département + service" list from the
whole structure table instead of the département's communes (1.5 s instead of 74 ms on 100,000 places).
PostgreSQL analyses on its own, but only some time after a bulk load.
"""

from django.db import connections

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
