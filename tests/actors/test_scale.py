"""National scale: spatial index, counts computed once per filter set, national files, compression, replicas."""

import gzip
import json

import pytest
from django.contrib.gis.geos import Polygon
from django.db import connection
from django.urls import reverse

from actors.core import spatial_index
from actors.core.writes import structure_upsert
from actors.models import Structure
from actors.models.version import data_version
from actors.open_data import files as exportfiles
from inclusion.routers import PrimaryReadsMiddleware, ReplicaRouter

pytestmark = pytest.mark.django_db


def test_the_spatialite_rtree_is_enabled_after_migrations_and_holds_every_located_place(many_places):
    if connection.vendor != "sqlite":
        pytest.skip("SpatiaLite only: PostGIS keeps its GiST index up to date by itself")
    with connection.cursor() as cursor:
        cursor.execute("SELECT f_table_name FROM geometry_columns WHERE spatial_index_enabled = 0")
        assert cursor.fetchall() == []
        cursor.execute("SELECT COUNT(*) FROM idx_actors_structure_location")
        assert cursor.fetchone()[0] == Structure.objects.filter(location__isnull=False).count() > 0


# Edges between the places' grid lines: on an edge, the index and the geometry may round differently.
@pytest.mark.parametrize("bbox", [(0.2975, 46.5525, 0.3325, 46.6025), (0.3449, 46.5, 0.36, 46.7),
                                  (-5, 41, 10, 51), (2, 44, 3, 45)])
def test_a_box_from_the_spatial_index_picks_the_places_the_geometry_says_are_inside(many_places, bbox):
    inside = Polygon.from_bbox(bbox)
    inside.srid = 4326
    oracle = set(Structure.objects.filter(location__intersects=inside).values_list("pk", flat=True))
    found = set(Structure.objects.filter(spatial_index.in_box(*bbox)).values_list("pk", flat=True))
    assert found == oracle


def test_the_data_version_moves_on_an_edit_and_on_a_deletion(directory):
    before = data_version()
    ccas = directory["ccas"]
    structure_upsert({"source": "Tests", "source_id": "ccas", "nom": "CCAS de Poitiers (mairie)",
                      "adresse": ccas.adresse, "code_postal": "86000", "commune_nom": "Poitiers",
                      "code_insee": "86194", "date_maj": ccas.date_maj, "location": ccas.location}, {})
    edited = data_version()
    assert edited != before
    Structure.objects.filter(pk=directory["epn"].pk).delete()
    assert data_version() != edited


def test_list_counts_are_computed_once_per_filter_set_whatever_the_page_or_sort(client, many_places,
                                                                              django_assert_max_num_queries):
    client.get("/?frais=gratuit&page=1")
    # vocabulary, data version, rows, their terms, their closures: no count, no facets
    with django_assert_max_num_queries(5):
        response = client.get("/?frais=gratuit&page=2&tri=nom")
    assert response.context["directory"]["total"] == Structure.objects.filter(
        terms__kind="frais_a_charge", terms__code="gratuit").count() == 100


def test_paging_through_a_text_search_counts_it_once(client, many_places, django_assert_max_num_queries):
    first = client.get("/?q=mediatheque&frais=gratuit").context["directory"]
    # vocabulary, indexed words, data version, ranked rows (on SQLite: the results' indexed texts, then the
    # page's rows), their terms, their closures: the matches and the counts are kept per query and data version
    with django_assert_max_num_queries(7):
        second = client.get("/?q=mediatheque&frais=gratuit&page=2").context["directory"]
    expected = Structure.objects.filter(terms__kind="frais_a_charge", terms__code="gratuit",
                                        nom__contains="Médiathèque").count()
    assert first["total"] == second["total"] == expected == 25
    assert {row.pk for row in first["rows"]}.isdisjoint(row.pk for row in second["rows"])


def test_a_new_place_is_counted_at_once_despite_the_cached_counts(client, directory):
    before = client.get("/").context["directory"]["total"]
    Structure.objects.filter(pk=directory["draft"].pk).get().delete()  # a draft: the count must not move
    assert client.get("/").context["directory"]["total"] == before
    ccas = directory["ccas"]
    structure_upsert({"source": "Tests", "source_id": "new", "nom": "Nouveau lieu", "adresse": ccas.adresse,
                      "code_postal": "86000", "commune_nom": "Poitiers", "code_insee": "86194",
                      "date_maj": ccas.date_maj, "location": ccas.location}, {})
    assert client.get("/").context["directory"]["total"] == before + 1


def test_a_new_place_is_found_by_a_text_search_at_once_despite_the_kept_matches(client, directory):
    before = client.get("/?q=mediatheque").context["directory"]["total"]
    ccas = directory["ccas"]
    structure_upsert({"source": "Tests", "source_id": "new", "nom": "Médiathèque des Trois-Cités",
                      "adresse": ccas.adresse, "code_postal": "86000", "commune_nom": "Poitiers",
                      "code_insee": "86194", "date_maj": ccas.date_maj, "location": ccas.location}, {})
    after = client.get("/?q=mediatheque").context["directory"]
    assert after["total"] == before + 1
    assert "Médiathèque des Trois-Cités" in [row.nom for row in after["rows"]]


def test_panning_the_map_counts_the_filters_total_once(client, many_places, django_assert_max_num_queries):
    url = reverse("actors:map_data")
    first = client.get(url, {"bbox": "0.29,46.54,0.40,46.62", "zoom": 13, "frais": "gratuit"}).json()
    # version, vocabulary, grid, points, closures: the total over all places comes from the cache
    with django_assert_max_num_queries(5):
        panned = client.get(url, {"bbox": "0.30,46.54,0.41,46.62", "zoom": 13, "frais": "gratuit"}).json()
    assert first["t"] == panned["t"] == 100


def test_html_and_json_are_sent_gzipped_to_browsers_that_accept_it(client, directory):
    page = client.get("/", HTTP_ACCEPT_ENCODING="gzip")
    assert page["Content-Encoding"] == "gzip"
    assert "Médiathèque François-Mitterrand" in gzip.decompress(page.content).decode()
    data = client.get(reverse("actors:map_data"), {"bbox": "0.2,46.5,0.5,46.7", "zoom": 12},
                      HTTP_ACCEPT_ENCODING="gzip")
    assert data["Content-Encoding"] == "gzip" and json.loads(gzip.decompress(data.content))["n"] == 4


def streamed(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_national_file_is_served_compressed_from_disk_with_one_query(client, directory,
                                                                         django_assert_max_num_queries):
    live = streamed(client.get("/export/lieux.csv"))  # no file yet: the rows stream from the database
    exportfiles.build_all()
    with django_assert_max_num_queries(1):  # the data version
        response = client.get("/export/lieux.csv", HTTP_ACCEPT_ENCODING="gzip, br")
        packed = streamed(response)
    assert response["Content-Encoding"] == "gzip" and "Accept-Encoding" in response["Vary"]
    assert gzip.decompress(packed) == live
    assert response["Content-Disposition"].endswith('_lieux-de-mediation-numerique.csv"')
    plain = client.get("/export/lieux.geojson")
    assert not plain.has_header("Content-Encoding")
    assert len(json.loads(streamed(plain))["features"]) == 4


def test_after_an_edit_the_national_file_is_rebuilt_and_never_served_stale(client, directory,
                                                                          django_capture_on_commit_callbacks):
    exportfiles.build_all()
    Structure.objects.filter(pk=directory["epn"].pk).get().delete()
    with django_capture_on_commit_callbacks(execute=True) as queued:
        text = streamed(client.get("/export/lieux.csv")).decode()
    assert "Espace public numérique de Buxerolles" not in text and "CCAS de Poitiers" in text
    assert len(queued) == 1  # the rebuild, run at once by the tests' task backend
    assert exportfiles.is_current()


def test_reads_go_to_a_replica_except_for_whoever_may_just_have_written(rf, monkeypatch):
    monkeypatch.setattr("inclusion.routers.replicas", lambda: ["replica1"])
    router = ReplicaRouter()
    assert router.db_for_write(Structure) == "default"
    assert not router.allow_migrate("replica1", "actors")
    seen = {}

    def view(request):
        seen[request.method, bool(request.COOKIES)] = router.db_for_read(Structure)
        return None

    middleware = PrimaryReadsMiddleware(view)
    middleware(rf.get("/"))
    middleware(rf.post("/"))
    signed_in = rf.get("/")
    signed_in.COOKIES["sessionid"] = "x"
    middleware(signed_in)
    assert seen == {("GET", False): "replica1", ("POST", False): "default", ("GET", True): "default"}
    assert router.db_for_read(Structure) == "replica1"


def test_settings_read_redis_and_replicas_from_the_environment():
    import os
    import subprocess
    import sys

    code = ("import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'inclusion.settings'; django.setup(); "
            "from django.conf import settings as s; "
            "print(s.CACHES['default']['BACKEND'], sorted(s.DATABASES), s.DATABASES['replica2']['HOST'], "
            "s.DATABASE_ROUTERS)")
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:1/0",
           "DATABASE_REPLICA_URLS": "postgis://u@replica-a:5432/db,postgis://u@replica-b:5432/db"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout
    assert out.split() == ["django.core.cache.backends.redis.RedisCache", "['default',", "'replica1',",
                           "'replica2']", "replica-b", "['inclusion.routers.ReplicaRouter']"]


@pytest.mark.skipif(not __import__("os").environ.get("REDIS_URL"), reason="REDIS_URL not set (CI sets it)")
def test_two_app_servers_share_counts_and_map_cells_through_redis(client, many_places,
                                                                 django_assert_max_num_queries):
    from django.conf import settings
    from django.core.cache.backends.redis import RedisCache

    assert settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    client.get("/?frais=gratuit")  # server A counts and fills the shared cache
    map_url = reverse("actors:map_data") + "?bbox=0.29,46.54,0.40,46.62&zoom=13"
    first = client.get(map_url).content
    # server B: its own connection to the same Redis
    other = RedisCache(settings.CACHES["default"]["LOCATION"], {"KEY_PREFIX": settings.CACHES["default"]["KEY_PREFIX"]})
    monkey = pytest.MonkeyPatch()
    for module in ("actors.directory.counts", "actors.map.views"):
        monkey.setattr(f"{module}.cache", other)
    try:
        with django_assert_max_num_queries(5):  # no count, no facets: server A's counts
            page = client.get("/?frais=gratuit&page=2")
        with django_assert_max_num_queries(1):  # the data version only: server A's map cells
            assert client.get(map_url).content == first
    finally:
        monkey.undo()
    assert page.context["directory"]["total"] == 100
