"""Who is asking (anonymous or a partner key) and whether they are within their limit.

Limits count requests per minute in Django's cache (Redis in production, so every worker shares the count): an
anonymous client per address (inclusion.clientip, the same address as every public limit), a partner per key.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja.security import APIKeyHeader

from actors.api.errors import ApiError
from actors.models import ApiKey
from inclusion.clientip import client_ip

HEADER = "X-Api-Key"


@dataclass
class Caller:
    key: ApiKey | None

    @property
    def name(self) -> str:
        return self.key.name if self.key else ""


def within_limit(counter: str, limit: int) -> int:
    """Count one request under `counter` for the current minute; the seconds to wait when over `limit`, else 0."""
    now = timezone.now()
    key = f"api-limit:{counter}:{now:%Y%m%d%H%M}"
    cache.add(key, 0, 90)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr: this request starts the minute
        cache.set(key, 1, 90)
        used = 1
    return 0 if used <= limit else 60 - now.second


class KeyOrAddress(APIKeyHeader):
    """Every endpoint's authentication: no key reads as anonymous; a presented key must be valid."""

    param_name = HEADER

    def authenticate(self, request, key: str | None) -> Caller:
        if not key:
            caller, counter, limit = Caller(None), "ip:" + client_ip(request), settings.API_ANONYMOUS_PER_MINUTE
        else:
            found = ApiKey.objects.find(key)
            if found is None:
                raise ApiError(401, _("Clé d'API inconnue."))
            refusal = found.refusal()
            if refusal:
                raise ApiError(401, refusal)
            caller, counter, limit = Caller(found), f"key:{found.pk}", found.per_minute
        wait = within_limit(counter, limit)
        if wait:
            raise ApiError(429, _("Trop de requêtes : %(n)d par minute au plus. Réessayez dans %(s)d secondes.")
                           % {"n": limit, "s": wait}, headers={"Retry-After": str(wait)})
        if caller.key is not None:
            caller.key.count_use()
        request.caller = caller
        return caller
