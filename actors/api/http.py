"""Conditional reads (ETag / Last-Modified → 304) and CORS, for every read of the API.

A read's representation depends on the data (the data version), the request (path and query) and, for the
opening status and the freshness, on the minute it is asked unless `date` fixes the moment. The ETag holds the
three; Last-Modified is the latest change of a place, or the start of the minute when the moment counts.
"""

import datetime as dt
import hashlib
import json
from collections.abc import Callable

from django.db.models import Max
from django.http import HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.http import http_date, parse_http_date_safe

from actors.models import Structure
from actors.models.version import data_version

READ_HEADERS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "ETag, Last-Modified, Retry-After"}


def json_response(data, *, status: int = 200, content_type: str = "application/json") -> HttpResponse:
    return HttpResponse(json.dumps(data, ensure_ascii=False), status=status,
                        content_type=f"{content_type}; charset=utf-8")


def last_change(moment_counts: bool, now: dt.datetime) -> dt.datetime:
    latest = Structure.objects.aggregate(latest=Max("updated_at"))["latest"] or now
    if moment_counts:
        latest = max(latest, now.replace(second=0, microsecond=0))
    return latest


def conditional(request, make: Callable[[], HttpResponse], *, moment_counts: bool = True) -> HttpResponse:
    """`make()`'s response with ETag and Last-Modified, or a 304 when the client's copy is current."""
    now = timezone.now()
    minute = now.strftime("%Y%m%d%H%M") if moment_counts else ""
    tag = hashlib.sha256(f"{data_version()}|{request.get_full_path()}|{minute}".encode()).hexdigest()[:32]
    etag = f'"{tag}"'
    modified = last_change(moment_counts, now)
    asked = request.headers.get("If-None-Match")
    since = parse_http_date_safe(request.headers.get("If-Modified-Since") or "")
    if (asked and etag in [value.strip() for value in asked.split(",")]) or (
            not asked and since is not None and int(modified.timestamp()) <= since):
        response = HttpResponseNotModified()
    else:
        response = make()
    response["ETag"] = etag
    response["Last-Modified"] = http_date(modified.timestamp())
    response["Cache-Control"] = "no-cache"  # kept, but asked again every time (the ETag answers cheaply)
    response["Vary"] = "X-Api-Key"
    return response


def cors(view):
    """Reads are open to every site; a preflight (OPTIONS) is answered here with what the API accepts."""

    def wrapped(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, HEAD, POST, OPTIONS"
            response["Access-Control-Allow-Headers"] = "X-Api-Key, Content-Type, If-None-Match, If-Modified-Since"
            response["Access-Control-Max-Age"] = "86400"
        else:
            response = view(request, *args, **kwargs)
        for name, value in READ_HEADERS.items():
            response.setdefault(name, value)
        return response

    wrapped.csrf_exempt = getattr(view, "csrf_exempt", False)
    return wrapped
