"""Whole public pages from the shared cache: anonymous only, new at each data change, per language, own token."""

import gzip
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from actors.core.writes import structure_upsert
from inclusion.middleware import Nonce
from inclusion.pagecache import cache_public_page
from tests.fixtures.map import place_values

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def pages(places) -> list[str]:
    ccas = places[2]
    return ["/", "/lieux/?frais=gratuit", reverse("actors:detail", args=[ccas.slug]),
            reverse("territories:departement", args=["86"]), reverse("territories:commune", args=["86194"]),
            reverse("actors:map_data") + "?bbox=0.3380,46.5790,0.3600,46.5920&zoom=16"]


def test_a_second_anonymous_request_is_served_from_the_cache_with_only_the_data_version_read(
        client, poitiers_places, django_assert_num_queries):
    for url in pages(poitiers_places):
        first = client.get(url)
        assert first.status_code == 200 and first["X-Page-Cache"] == "miss", url
        with django_assert_num_queries(1) as queries:
            second = Client().get(url)
        assert "MAX(updated_at)" in queries.captured_queries[0]["sql"]
        assert second["X-Page-Cache"] == "hit"
        assert TOKEN.sub("", second.content.decode()) == TOKEN.sub("", first.content.decode()), url


def test_a_page_computed_for_the_cache_reads_the_data_version_once(client, poitiers_places):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # The page cache, the list's counts and the map cells all key on the version: one read serves them all.
    for url in pages(poitiers_places):
        cache.clear()
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url)["X-Page-Cache"] == "miss", url
        assert sum("MAX(history_id)" in query["sql"] for query in queries.captured_queries) == 1, url


def test_an_edit_of_a_place_is_seen_at_once_by_the_next_request(client, poitiers_places):
    urls = ("/", reverse("actors:detail", args=[poitiers_places[2].slug]),
            reverse("actors:map_data") + "?bbox=0.3380,46.5790,0.3600,46.5920&zoom=16")
    for url in urls:
        assert "24 rue Arthur-Ranc" in client.get(url).content.decode()
        assert client.get(url)["X-Page-Cache"] == "hit"
    ccas = poitiers_places[2]
    structure_upsert(place_values(2, ccas.nom, "26 rue Arthur-Ranc", ccas.location, ""))
    for url in urls:
        response = client.get(url)
        assert response["X-Page-Cache"] == "miss"
        text = response.content.decode()
        assert "26 rue Arthur-Ranc" in text and "24 rue Arthur-Ranc" not in text


def test_a_signed_in_user_never_gets_nor_leaves_a_cached_page(client, poitiers_places):
    staff = get_user_model().objects.create_user("coordinatrice", password="x", is_staff=True)
    client.get("/")  # an anonymous visitor fills the cache
    signed_in = Client()
    signed_in.force_login(staff)
    page = signed_in.get("/")
    assert "X-Page-Cache" not in page and "Administration" in page.content.decode()
    cache.clear()
    signed_in.get("/")  # computed for the staff member, not stored
    anonymous = Client().get("/")
    assert anonymous["X-Page-Cache"] == "miss" and "Administration" not in anonymous.content.decode()


def test_a_visitor_with_a_session_or_pending_messages_is_served_by_the_view(client, poitiers_places):
    client.get("/")
    for cookie in ("sessionid", "messages"):
        visitor = Client()
        visitor.cookies[cookie] = "something"
        assert "X-Page-Cache" not in visitor.get("/")


def test_each_language_has_its_own_page_and_the_vary_header_says_so(client, poitiers_places):
    french = client.get("/", HTTP_ACCEPT_LANGUAGE="fr")
    english = Client().get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert english["X-Page-Cache"] == "miss" and english["Content-Language"] == "en"
    again = Client().get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert again["X-Page-Cache"] == "hit" and again["Content-Language"] == "en"
    assert 'lang="en"' in again.content.decode() and 'lang="fr"' in french.content.decode()
    assert "Accept-Language" in again["Vary"]


def test_a_cached_page_carries_the_same_policy_and_caching_headers_and_is_compressed(client, poitiers_places):
    for url, control in (("/", None), (reverse("actors:map_data") + "?bbox=0.3380,46.5790,0.3600,46.5920&zoom=16",
                                        "public, max-age=60")):
        miss = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
        hit = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
        assert hit["X-Page-Cache"] == "hit"
        assert hit["Content-Security-Policy"] == miss["Content-Security-Policy"]
        assert "nonce" not in hit["Content-Security-Policy"] and "'unsafe-inline'" not in hit["Content-Security-Policy"]
        assert hit["X-Frame-Options"] == "DENY" and hit["Content-Type"] == miss["Content-Type"]
        assert hit.get("Cache-Control") == miss.get("Cache-Control") == control
        assert hit["Content-Encoding"] == "gzip" and gzip.decompress(hit.content)


def test_a_cached_page_gives_each_visitor_a_token_of_their_own_that_the_language_form_accepts(poitiers_places):
    Client().get("/")
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/")
    assert page["X-Page-Cache"] == "hit"
    token = TOKEN.search(page.content.decode()).group(1)
    other = TOKEN.search(Client().get("/").content.decode()).group(1)
    assert token != other  # never one visitor's token replayed to another
    refused = Client(enforce_csrf_checks=True).post(reverse("set_language"), {"language": "en", "next": "/"})
    assert refused.status_code == 403
    switched = visitor.post(reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
    assert switched.status_code == 302
    assert visitor.get("/")["Content-Language"] == "en"


@pytest.mark.parametrize("answer", ["nonce", "cookie", "private"])
def test_a_response_with_a_nonce_a_cookie_or_marked_private_is_not_stored(rf, answer):
    def view(request):
        response = HttpResponse(f'<script nonce="{request.csp_nonce}"></script>' if answer == "nonce" else "x")
        if answer == "cookie":
            response.set_cookie("choice", "1")
        if answer == "private":
            response["Cache-Control"] = "private"
        return response

    def call():
        request = rf.get("/page/")
        request.csp_nonce = Nonce()
        return cache_public_page(view)(request)

    assert "X-Page-Cache" not in call() and "X-Page-Cache" not in call()


def test_errors_are_not_stored(client, poitiers_places):
    for url in ("/lieux/nexiste-pas/", reverse("actors:map_data") + "?bbox=1,2,3&zoom=6"):
        assert client.get(url).status_code in (400, 404)
        assert "X-Page-Cache" not in client.get(url)


def test_the_benchmark_bypass_is_honoured_only_when_the_setting_allows_it(client, poitiers_places, settings):
    client.get("/")
    assert client.get("/", HTTP_X_PAGE_CACHE="bypass")["X-Page-Cache"] == "hit"
    settings.PAGE_CACHE_BYPASS_HEADER = True
    assert "X-Page-Cache" not in client.get("/", HTTP_X_PAGE_CACHE="bypass")


def test_a_page_another_process_is_computing_is_waited_for_not_computed_twice(client, poitiers_places, monkeypatch,
                                                                              django_assert_num_queries):
    import threading

    from django.test import RequestFactory
    from django.utils import translation

    from actors.models.version import data_version
    from inclusion import pagecache

    client.get("/")
    with translation.override("fr"):
        key = pagecache.page_key(RequestFactory().get("/"), data_version())
    stored = cache.get(key)
    assert stored is not None
    cache.delete(key)
    cache.add(key + ":computing", 1)  # another worker started on this page
    threading.Timer(0.3, cache.set, [key, stored]).start()
    with django_assert_num_queries(1):  # the data version: the page is the other worker's
        assert Client().get("/")["X-Page-Cache"] == "hit"
    # The other worker gave up without storing (an error page): this one then computes it itself.
    monkeypatch.setattr(pagecache, "COMPUTING_SECONDS", 0.2)
    cache.delete(key)
    cache.add(key + ":computing", 1)
    assert Client().get("/")["X-Page-Cache"] == "miss"
    assert cache.get(key + ":computing") is None


def test_a_page_cut_by_the_time_limit_queues_no_background_work(client, poitiers_places, settings, monkeypatch):
    import time

    from actors.directory import counts as listcache

    counts = listcache.counts

    def slow_counts(*args, **kwargs):
        time.sleep(0.3)  # a first counting slower than the limit
        return counts(*args, **kwargs)

    monkeypatch.setattr(listcache, "counts", slow_counts)
    settings.QUERY_TIME_LIMIT_SECONDS = 0.2
    # (Tasks run at once in tests: a page computed in the background would be served from the cache next.)
    for _attempt in range(2):
        cut = client.get("/lieux/?services=aide-aux-demarches-administratives")
        # Cut each time, never stored, never handed to the task worker: an anonymous URL queues nothing.
        assert cut.status_code == 503 and "trop large" in cut.content.decode()
        assert "arrière-plan" not in cut.content.decode() and "X-Page-Cache" not in cut
