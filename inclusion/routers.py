"""Read replicas: reads go to a replica, writes and migrations to the primary (DATABASE_REPLICA_URLS).

A replica lags its primary by a moment, so whoever may just have written reads from the primary: a request
that is not a GET/HEAD, or that carries a session (signed-in coordinators), through `PrimaryReadsMiddleware`.
The public's anonymous reads (lists, map, details, exports) are the bulk of the traffic and use replicas.
"""

import contextvars
import random

from django.conf import settings

_primary_only = contextvars.ContextVar("primary_only", default=False)


def replicas() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        found = replicas()
        if not found or _primary_only.get():
            return "default"
        return random.choice(found)

    def db_for_write(self, model, **hints):
        return "default"

    def allow_relation(self, obj1, obj2, **hints):
        return True  # every alias holds the same data

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == "default"


class PrimaryReadsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        writer = request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES
        token = _primary_only.set(writer)
        try:
            return self.get_response(request)
        finally:
            _primary_only.reset(token)
