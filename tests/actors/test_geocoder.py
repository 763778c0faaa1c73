"""« Près de » an address through GEOCODER_URL, served by a small local server that answers like the national
address API (tests never reach the internet): found, unsure, failing, slow and absent geocoders."""

import json
import math
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.cache import cache

from actors.models import Structure

pytestmark = pytest.mark.django_db
ADDRESS = "12 rue de la Gare 86000 Poitiers"
# Where the fake geocoder puts the address: beside the bus of the directory fixture, 2 km east of the centre.
GARE = (0.3620, 46.5885)


class FakeAddressAPI(BaseHTTPRequestHandler):
    """Answers /search/?q=… as api-adresse.data.gouv.fr does, in the mode the test chose."""

    mode = "housenumber"
    asked: list[str] = []
    release = threading.Event()

    def do_GET(self):  # noqa: N802 - the http.server API
        query = parse_qs(urlparse(self.path).query)
        FakeAddressAPI.asked.append(query.get("q", [""])[0])
        if self.mode == "slow":
            FakeAddressAPI.release.wait(5)
        if self.mode == "error":
            self.send_error(500)
            return
        body = b"<html>maintenance</html>" if self.mode == "garbage" else json.dumps({
            "type": "FeatureCollection", "version": "draft",
            "features": [{
                "type": "Feature", "geometry": {"type": "Point", "coordinates": list(GARE)},
                "properties": {"label": "12 Rue de la Gare 86000 Poitiers", "score": 0.93,
                               "type": "municipality" if self.mode == "municipality" else "housenumber",
                               "citycode": "86194", "city": "Poitiers"},
            }],
        }).encode()
        try:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the client gave up (timeout): nothing to answer

    def log_message(self, *args):
        pass


@pytest.fixture
def geocoder(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeAddressAPI)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeAddressAPI.mode, FakeAddressAPI.asked = "housenumber", []
    FakeAddressAPI.release.clear()
    settings.GEOCODER_URL = f"http://127.0.0.1:{server.server_port}/search/"
    settings.GEOCODER_TIMEOUT_SECONDS = 0.5
    cache.clear()
    yield FakeAddressAPI
    FakeAddressAPI.release.set()
    server.shutdown()
    server.server_close()
    cache.clear()


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Oracle: great-circle distance (haversine, mean Earth radius), not the directory's code."""
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def listed_names(body: str) -> list[str]:
    return re.findall(r'class="result__title" id="lieu-\d+"><a [^>]*>([^<]*)<', body)


def test_an_address_geocoded_sorts_places_from_the_address_itself(client, directory, geocoder):
    body = client.get("/", {"pres_de": ADDRESS, "rayon": "10"}).content.decode()
    assert geocoder.asked == [ADDRESS]
    assert "Position approximative" not in body
    assert "12 Rue de la Gare 86000 Poitiers (10 km)" in body  # the chip names the address found
    assert "centre de la commune" not in body
    public = Structure.objects.public().exclude(location=None)
    expected = sorted(public, key=lambda s: km(GARE, (s.location.x, s.location.y)))
    assert listed_names(body) == [s.nom for s in expected]
    # The nearest place is the bus, about 20 m from the address: announced as under 100 m, never 0,0 km.
    assert expected[0].nom == "Bus numérique du Grand Poitiers"
    assert "à moins de 100 m" in body and "0,0 km" not in body
    # Asked once: the answer is remembered.
    client.get("/", {"pres_de": ADDRESS, "rayon": "10"})
    assert geocoder.asked == [ADDRESS]


def test_a_commune_or_a_postcode_needs_no_geocoder(client, directory, geocoder):
    for text in ("Poitiers", "86000"):
        assert client.get("/", {"pres_de": text}).status_code == 200
    assert geocoder.asked == []


@pytest.mark.parametrize("mode", ["error", "garbage", "slow", "municipality"])
def test_a_failing_or_unsure_geocoder_falls_back_to_the_commune_centre_and_says_so(client, directory, geocoder, mode):
    geocoder.mode = mode
    response = client.get("/", {"pres_de": ADDRESS, "rayon": "10"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Position approximative" in body and "centre de Poitiers" in body
    assert listed_names(body)
    assert geocoder.asked == [ADDRESS]


def test_a_geocoder_down_is_not_asked_again_at_once(client, directory, geocoder):
    geocoder.mode = "error"
    client.get("/", {"pres_de": ADDRESS})
    client.get("/", {"pres_de": "3 avenue de Nantes 86000 Poitiers"})
    assert geocoder.asked == [ADDRESS]


def test_an_unreachable_geocoder_is_the_offline_behaviour(client, directory, settings):
    settings.GEOCODER_URL = "http://127.0.0.1:9/search/"  # the discard port: nothing listens
    cache.clear()
    body = client.get("/", {"pres_de": ADDRESS, "rayon": "10"}).content.decode()
    assert "Position approximative" in body


def test_without_a_geocoder_url_nothing_is_asked(client, directory, geocoder, settings):
    settings.GEOCODER_URL = ""
    body = client.get("/", {"pres_de": ADDRESS, "rayon": "10"}).content.decode()
    assert "Position approximative" in body
    assert geocoder.asked == []
