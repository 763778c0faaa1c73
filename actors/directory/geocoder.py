"""« Près de » an address, through the geocoder a deployment names in GEOCODER_URL.

The geocoder answers like the national address API (https://api-adresse.data.gouv.fr/search/?q=…&limit=1):
a GeoJSON FeatureCollection whose first feature has `geometry.coordinates` [lon, lat] and `properties`
`label`, `score` (0–1) and `type` (housenumber, street, locality, municipality). Anything else (no setting,
a timeout, an error, an unsure or commune-only answer) gives None, and the caller keeps its offline
behaviour: the commune's centre, announced as approximate. A request never waits more than
GEOCODER_TIMEOUT_SECONDS, and a failing geocoder is left alone for a minute so that pages stay fast.
"""

import hashlib
import http.client
import json
import logging
import math
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)

MIN_SCORE = 0.5
PRECISE_TYPES = {"housenumber", "street", "locality"}  # a « municipality » answer says no more than we know
MAX_BYTES = 200_000
FOUND_SECONDS = 24 * 3600
FAILED_SECONDS = 60
DOWN_KEY = "geocoder:down"


@dataclass(frozen=True)
class Located:
    lon: float
    lat: float
    label: str


def geocode(text: str) -> Located | None:
    """The address's position from the geocoder (remembered a day), or None."""
    url = settings.GEOCODER_URL
    text = " ".join(text[:200].split())
    if not url or not text:
        return None
    key = "geocode:" + hashlib.sha256(f"{url}|{text.lower()}".encode()).hexdigest()
    cached = cache.get(key)
    if cached is not None:
        return cached or None  # False: the geocoder answered that it does not know
    if cache.get(DOWN_KEY):
        return None
    try:
        found = _ask(url, text)
    except (OSError, ValueError, http.client.HTTPException) as error:  # timeouts and HTTP errors are OSErrors
        logger.warning("Géocodeur indisponible (%s) : position approximative", error)
        cache.set(DOWN_KEY, True, FAILED_SECONDS)
        return None
    cache.set(key, found or False, FOUND_SECONDS)
    return found


def _ask(url: str, text: str) -> Located | None:
    query = urllib.parse.urlencode({"q": text, "limit": 1})
    request = urllib.request.Request(f"{url}{'&' if '?' in url else '?'}{query}",
                                     headers={"Accept": "application/json"})
    with urllib.request.urlopen(request, timeout=settings.GEOCODER_TIMEOUT_SECONDS) as response:
        payload = json.loads(response.read(MAX_BYTES))
    return _first_precise(payload)


def _first_precise(payload) -> Located | None:
    features = payload.get("features") if isinstance(payload, dict) else None
    if not isinstance(features, list) or not features or not isinstance(features[0], dict):
        return None
    feature = features[0]
    properties = feature.get("properties") or {}
    coordinates = (feature.get("geometry") or {}).get("coordinates")
    if not isinstance(properties, dict) or not isinstance(coordinates, list) or len(coordinates) < 2:
        return None
    try:
        lon, lat, score = float(coordinates[0]), float(coordinates[1]), float(properties.get("score", 0))
    except (TypeError, ValueError):
        return None
    if not (math.isfinite(lon) and math.isfinite(lat) and -180 <= lon <= 180 and -90 <= lat <= 90):
        return None
    if score < MIN_SCORE or properties.get("type") not in PRECISE_TYPES:
        return None
    return Located(lon=lon, lat=lat, label=str(properties.get("label") or "")[:200])
