"""Whole public pages served from the shared cache to anonymous visitors.

Most requests of a national directory are the same few anonymous GETs (the home list, a département, a
place, the map's views). `cache_public_page` keeps the finished response under the full URL, the language
and the data version (`actors.models.version.data_version`): any change of the data changes the key, so it is
seen at once, on every app server sharing the cache (Redis). A hit costs the data version's query and no
rendering; a page being computed by another process is waited for rather than computed twice. Entries
also expire after PAGE_CACHE_SECONDS (default 60 s), as map data does: an opening status
("Ouvert maintenant") is at most that late.

Never cached: visitors with a session (signed-in users, anyone with pending messages), responses that set a
cookie, that are not a 200, that carry a script nonce (the admin's widget: public pages have none, see
docs/content-security.md) or say `private`/`no-store`, and requests other than GET. The page's one form
(the language switcher) carries the visitor's own CSRF token: the token is cut out of the stored page and
a fresh one for this visitor is put back at each hit (Django then sets the cookie as usual), so no token
is ever replayed. The Content-Security-Policy, X-Frame-Options, Vary and compression are added around the
cached page by the site's middleware, on each response.

A page whose queries are cut by the time limit (actors/timelimit.py: the visitor gets the « trop large »
page, 503) is not stored and not computed later: no anonymous URL may queue background work (anyone could
fill the queue with new URLs, each computed without a limit).

Benchmark only: with PAGE_CACHE_BYPASS_HEADER=true in the environment, a request carrying
`X-Page-Cache: bypass` is computed as if nothing were cached (`make bench` measures pages that way).
"""

import functools
import hashlib
import re
import time

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from actors.models.version import data_version

# What Django's {% csrf_token %} prints (django.template.defaulttags.CsrfTokenNode).
CSRF_INPUT = re.compile(rb'(<input type="hidden" name="csrfmiddlewaretoken" value=")[^"]*(">)')
# Headers set by the view that describe the content; cookies and per-request headers are never stored.
KEPT_HEADERS = ("Content-Type", "Cache-Control", "Content-Language", "Content-Disposition")
STATUS_HEADER = "X-Page-Cache"
# A page asked again while one process computes it waits for that result (up to this long) instead of
# computing it too: a burst on a new page (after an edit, on a cold cache) costs one computation, not one
# per worker, which on a loaded server pushed each of them past the query time limit.
COMPUTING_SECONDS = 5


def page_key(request: HttpRequest, version: str) -> str:
    url = request.build_absolute_uri()
    return "page:" + hashlib.sha256(f"{url}|{get_language()}|{version}".encode()).hexdigest()


def _cacheable_request(request: HttpRequest) -> bool:
    if request.method != "GET" or settings.PAGE_CACHE_SECONDS <= 0:
        return False
    if settings.PAGE_CACHE_BYPASS_HEADER and request.headers.get(STATUS_HEADER) == "bypass":
        return False
    # A session may hold a signed-in user or messages for this visitor: such pages are theirs alone.
    return not (settings.SESSION_COOKIE_NAME in request.COOKIES or CookieStorage.cookie_name in request.COOKIES)


def _cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    user = getattr(request, "user", None)
    nonce = getattr(request, "csp_nonce", None)
    messages = getattr(request, "_messages", None)
    control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not (user is not None and user.is_authenticated)
        and not (nonce is not None and nonce.used)
        and not (messages is not None and messages._queued_messages)
        # Attributes the outer middleware read (framing): such pages are left to the view each time.
        and not getattr(response, "frame_ancestors", None)
        and not getattr(response, "xframe_options_exempt", False)
        and "private" not in control
        and "no-store" not in control
    )


def _stored(response: HttpResponse) -> dict:
    # The content is split where the CSRF token was; a hit joins the parts with the visitor's own token.
    parts = CSRF_INPUT.split(response.content)
    return {
        "status": response.status_code,
        "headers": {name: response[name] for name in KEPT_HEADERS if name in response},
        "parts": parts,
    }


def _rebuilt(request: HttpRequest, stored: dict) -> HttpResponse:
    parts = stored["parts"]
    if len(parts) > 1:
        # split() with the pattern's two groups gives [text, before-token, after-token, text, ...].
        token = get_token(request).encode()
        parts = [part + token if index % 3 == 1 else part for index, part in enumerate(parts)]
    content = b"".join(parts)
    response = HttpResponse(content, status=stored["status"])
    for name, value in stored["headers"].items():
        response[name] = value
    response[STATUS_HEADER] = "hit"
    return response


def _wait_for(key: str) -> dict | None:
    """The page another process is computing, once stored; None if it does not come in time (then compute)."""
    deadline = time.monotonic() + COMPUTING_SECONDS
    while time.monotonic() < deadline:
        time.sleep(0.05)
        stored = cache.get(key)
        if stored is not None:
            return stored
        if cache.get(key + ":computing") is None:
            return None
    return None


def cache_public_page(view):
    """Serve the view's anonymous GET responses from the shared cache (see the module's docstring)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)

        key = page_key(request, data_version())
        stored = cache.get(key)
        if stored is None and not cache.add(key + ":computing", 1, COMPUTING_SECONDS):
            stored = _wait_for(key)  # another process is computing this very page
        if stored is not None:
            return _rebuilt(request, stored)
        try:
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()  # a template's querysets run here
            if _cacheable_response(request, response):
                cache.set(key, _stored(response), settings.PAGE_CACHE_SECONDS)
                response[STATUS_HEADER] = "miss"
        finally:
            cache.delete(key + ":computing")
        return response

    wrapped.caches_public_page = True
    return wrapped
