"""A hard time limit on the database work of a page, so that no request holds a worker for long.

PostgreSQL: `statement_timeout` for the request's statements; SQLite: a progress handler that interrupts
the running statement once the deadline has passed. `QueryTimeLimitMiddleware` applies it to GET and
HEAD requests (writes are never cut: imports and admin saves run to their end, in a transaction) and
turns an interrupted query into a French page saying the search was too broad (status 503), never a 500.
Setting: QUERY_TIME_LIMIT_SECONDS (default 5; 0 turns the limit off).
"""

import time
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.shortcuts import render
from django.utils.translation import gettext as _

SQLITE_CHECK_EVERY = 10_000  # virtual machine instructions between two looks at the clock


class QueryTimeLimitExceeded(Exception):
    pass


def limit_seconds() -> float:
    return float(getattr(settings, "QUERY_TIME_LIMIT_SECONDS", 5) or 0)


@contextmanager
def query_time_limit(seconds: float):
    """Interrupt any statement still running `seconds` after entering; raises QueryTimeLimitExceeded."""
    if seconds <= 0:
        yield
        return
    deadline = time.monotonic() + seconds
    try:
        if connection.vendor == "postgresql":
            # A transaction (a savepoint inside one) so that a cancelled statement leaves the connection usable;
            # SET LOCAL ends with it.
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL statement_timeout = %s", [max(1, int(seconds * 1000))])
                yield
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL statement_timeout = DEFAULT")
        else:
            connection.ensure_connection()
            raw = connection.connection
            raw.set_progress_handler(lambda: int(time.monotonic() > deadline), SQLITE_CHECK_EVERY)
            try:
                yield
            finally:
                raw.set_progress_handler(None, SQLITE_CHECK_EVERY)
    except OperationalError as error:
        if _is_timeout(error) or time.monotonic() > deadline:
            raise QueryTimeLimitExceeded from error
        raise


def _is_timeout(error: Exception) -> bool:
    text = str(error).lower()
    return "statement timeout" in text or "interrupted" in text or "canceling statement" in text


class QueryTimeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        seconds = limit_seconds()
        if request.method not in ("GET", "HEAD") or seconds <= 0:
            return self.get_response(request)
        try:
            with query_time_limit(seconds):
                response = self.get_response(request)
                if getattr(response, "exceeded_time_limit", False):
                    raise QueryTimeLimitExceeded
                return response
        except QueryTimeLimitExceeded:
            return too_broad(request)

    def process_exception(self, request, exception):
        if isinstance(exception, QueryTimeLimitExceeded | OperationalError) and _is_timeout(exception):
            # Answer "too broad" once the limit's transaction is rolled back (see __call__).
            response = too_broad(request)
            response.exceeded_time_limit = True
            return response
        return None


def too_broad(request):
    return render(request, "actors/search_too_broad.html", {
        "message": _("La recherche est trop large : elle a dépassé %(n)s secondes. Précisez les mots "
                     "recherchés ou ajoutez un filtre (commune, service, type de lieu).")
        % {"n": f"{limit_seconds():g}"},
    }, status=503)
