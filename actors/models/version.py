"""The data version: one string that moves whenever anything a public page shows changes.

Every cache of the site (whole pages, the list's counts, map cells, the diagnostic, the freshness policy of each
process) keys on it, so that nothing is invalidated by hand and no worker serves an answer older than the data.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.db import connections, router

# Set for the length of a GET or HEAD request (DataVersionOncePerRequest): the whole-page cache, the list's
# counts and the map cells each key on the version, and it is read once.
_read_this_request: ContextVar[dict | None] = ContextVar("data_version_this_request", default=None)


@contextmanager
def read_once() -> Iterator[None]:
    """Within the block the data version is read from the database once, as within one read request."""
    token = _read_this_request.set({})
    try:
        yield
    finally:
        _read_this_request.reset(token)


class DataVersionOncePerRequest:
    """Read requests ask the database for the data version once. Writes read it afresh each time (a request
    that has just saved a place must see the version move)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD"):
            return self.get_response(request)
        with read_once():
            return self.get_response(request)


def data_version() -> str:
    """Changes on every structure write (updated_at is auto_now), every deletion and every freshness policy.

    A deletion through the ORM (admin, merge) leaves a row in the structure's history, so the newest
    history id moves; the bulk delete of the generator is always followed by new rows. A département's policy
    changes which places are public and « à vérifier » even where it has no place: its table (one row per
    département at most) is part of the version. Index lookups in one query, no count of places, which would
    read a whole index at every request. It reads where the places are read (a replica when a router sends
    reads there), so the version matches what pages show.
    """
    memo = _read_this_request.get()
    if memo is not None and "version" in memo:
        return memo["version"]
    # Through the app registry: the models' own modules read the version (the freshness policy is kept by it).
    structure = apps.get_model("actors", "Structure")
    table, history = structure._meta.db_table, structure.history.model._meta.db_table
    policies = apps.get_model("actors", "FreshnessPolicy")._meta.db_table
    # Ateliers show on the place's page (cached whole): a session or series edited or cancelled moves the version;
    # a deleted series moves its place's updated_at (actors/models/ateliers.py), so no count reads the table whole.
    series = apps.get_model("actors", "AtelierSeries")._meta.db_table
    sessions = apps.get_model("actors", "AtelierSession")._meta.db_table
    with connections[router.db_for_read(structure)].cursor() as cursor:
        cursor.execute(f"SELECT (SELECT MAX(updated_at) FROM {table}), (SELECT MAX(history_id) FROM {history}), "
                       f"(SELECT MAX(updated_at) FROM {policies}), (SELECT COUNT(*) FROM {policies}), "
                       f"(SELECT MAX(updated_at) FROM {series}), (SELECT MAX(updated_at) FROM {sessions})")
        latest, last_history, policy_at, policy_count, series_at, session_at = cursor.fetchone()
    version = (f"{latest or '-'}:{last_history or 0}:{policy_at or '-'}:{policy_count}"
               f":{series_at or '-'}:{session_at or '-'}")
    if memo is not None:
        memo["version"] = version
    return version
