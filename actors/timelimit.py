"""A hard time limit on the database work of a page, so that no request holds a worker for long.

PostgreSQL: a cancel request once the deadline has passed (what statement_timeout does, but for the whole
request and without a SET per request); SQLite: a progress handler that interrupts the running statement
once the deadline has passed. `QueryTimeLimitMiddleware` applies it to GET and
HEAD requests (writes are never cut: imports and admin saves run to their end, in a transaction) and
turns an interrupted query into a French page saying the search was too broad (status 503), never a 500.
Setting: QUERY_TIME_LIMIT_SECONDS (default 5; 0 turns the limit off).
"""

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)
SQLITE_CHECK_EVERY = 10_000  # virtual machine instructions between two looks at the clock


class QueryTimeLimitExceeded(Exception):
    pass


def limit_seconds() -> float:
    return float(getattr(settings, "QUERY_TIME_LIMIT_SECONDS", 5) or 0)


@contextmanager
def query_time_limit(seconds: float):
    """Interrupt any statement still running `seconds` after entering; raises QueryTimeLimitExceeded.

    No SQL is added: PostgreSQL gets a cancel request from a timer thread (as statement_timeout would),
    SQLite a progress handler; a statement started after the deadline is refused. On PostgreSQL a
    cancelled statement aborts the current transaction, if any.
    """
    if seconds <= 0:
        yield
        return
    deadline = time.monotonic() + seconds

    def refuse_late(execute, sql, params, many, context):
        if time.monotonic() > deadline:
            raise QueryTimeLimitExceeded
        return execute(sql, params, many, context)

    connection.ensure_connection()
    raw = connection.connection
    try:
        with connection.execute_wrapper(refuse_late):
            if connection.vendor == "postgresql":
                with cancel_after(seconds, raw.cancel):
                    yield
            elif connection.allow_thread_sharing:
                # Only the test live server shares a SQLite connection between threads. Setting a progress
                # handler waits for SQLite's mutex while holding the GIL, which a statement running on that
                # connection in another thread needs for its own handler: a deadlock. Statements started late
                # are still refused.
                yield
            else:
                raw.set_progress_handler(lambda: int(time.monotonic() > deadline), SQLITE_CHECK_EVERY)
                try:
                    yield
                finally:
                    raw.set_progress_handler(None, SQLITE_CHECK_EVERY)
    except OperationalError as error:
        if is_timeout(error) or time.monotonic() > deadline:
            raise QueryTimeLimitExceeded from error
        raise


@contextmanager
def cancel_after(seconds: float, cancel: Callable[[], None]) -> Iterator[None]:
    """Call `cancel()` from a timer thread once `seconds` have passed, unless the block has ended first.

    Leaving the block waits for a cancel already under way: a cancel that arrived after the block's last
    statement would otherwise reach the connection's next one, another request's. (One that reaches an idle
    connection is ignored by PostgreSQL.)
    """
    lock = threading.Lock()
    running = [True]

    def fire() -> None:
        with lock:
            if running[0]:
                cancel()

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            running[0] = False
        timer.cancel()


def is_timeout(error: Exception) -> bool:
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
        except QueryTimeLimitExceeded as error:
            logger.warning("Page cut by the query time limit: %s (%r)", request.get_full_path(), error.__cause__)
            return too_broad(request)

    def process_exception(self, request, exception):
        if isinstance(exception, QueryTimeLimitExceeded) or (
                isinstance(exception, OperationalError) and is_timeout(exception)):
            # Answer "too broad" once the limit's transaction is rolled back (see __call__).
            logger.warning("Query stopped by the time limit: %s (%r)", request.get_full_path(), exception)
            response = too_broad(request)
            response.exceeded_time_limit = True
            return response
        return None


def too_broad(request):
    message = _("La recherche est trop large : elle a dépassé %(n)s secondes. Précisez les mots "
                "recherchés ou ajoutez un filtre (commune, service, type de lieu).") % {"n": f"{limit_seconds():g}"}
    if request.path_info.startswith("/api/"):  # the open API answers in JSON, errors included
        return JsonResponse({"detail": message}, status=503, json_dumps_params={"ensure_ascii": False})
    return render(request, "actors/search_too_broad.html", {"message": message}, status=503)
