"""Values kept in the shared cache under a key that holds the data version: an edit makes new keys at once,
so nothing is ever invalidated by hand (actors.models.version.data_version). Used by the directory's counts and
text matches, the detail page's nearby places and the territory diagnostic."""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")


def cache_key(prefix: str, *parts) -> str:
    """A key any backend accepts (the data version holds spaces, a query's SQL anything)."""
    return f"{prefix}:" + hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()


def kept(key: str, make: Callable[[], T], *, seconds: int) -> T:
    """The value under `key`, made and stored when missing; `seconds` ≤ 0: made each time, never stored."""
    if seconds <= 0:
        return make()
    found = cache.get(key)
    if found is None:
        found = make()
        cache.set(key, found, seconds)
    return found
