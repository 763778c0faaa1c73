"""The diagnostic's cost does not grow with the territory, its parents come from one national table, and the
pages are ready in the cache after a bulk change."""

import datetime as dt

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actors.core.writes import structure_upsert
from actors.diagnostic.areas import area_for
from actors.diagnostic.caching import cached_national, warm_diagnostics
from actors.diagnostic.summary import national, summary
from actors.models import Structure
from actors.models import policy as policy_model
from actors.models.version import data_version
from territories.models import QPV, Commune, Departement
from territories.text import fold
from tests.fixtures.directory import place

PAGES = ("/territoires/departements/86/diagnostic/", "/territoires/epci/200069854/diagnostic/",
         "/territoires/communes/86194/diagnostic/")
SERVICES = ["aide-aux-demarches-administratives", "acces-internet-et-materiel-informatique",
            "maitrise-des-outils-numeriques-du-quotidien"]


def _queries_uncached(client, url: str) -> int:
    cache.clear()  # as after a data change: the page, its parents and its map are all computed
    policy_model._current = None
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _grow(vienne) -> None:
    """Ten more communes of the EPCI, three more QPV, forty more places (hours, fees, services), one bus."""
    for n in range(10):
        code = f"862{n:02d}"
        commune = Commune.objects.create(
            code=code, name=f"Commune {n}", name_folded=fold(f"Commune {n}"), departement=vienne["departement"],
            epci=vienne["epci"], postal_codes="86000", population=1_000 + n, centre=Point(0.30 + n / 50, 46.50))
        for k in range(4):
            place(f"grow-{n}-{k}", f"Lieu {n}-{k}", {"services": SERVICES[: 1 + k % 3],
                                                     "frais_a_charge": [["gratuit"], ["payant"], [], []][k]},
                  code_insee=code, commune_nom=commune.name, location=Point(0.30 + n / 50, 46.50 + k / 200),
                  horaires=["Mo-Fr 09:00-19:00", "Sa 09:00-12:00", "Su 10:00-12:00", ""][k])
        if n < 3:
            west = 0.30 + n / 50
            qpv = QPV.objects.create(code=f"QN0869{n}M", name=f"Quartier {n}", name_folded=f"quartier {n}",
                                     departement=vienne["departement"], population=2_000,
                                     perimeter=MultiPolygon(Polygon.from_bbox((west, 46.49, west + 0.004, 46.494))))
            qpv.communes.add(commune)
    structure_upsert({"source": "Tests", "source_id": "grow-bus", "nom": "Bus", "adresse": "Place du Marché",
                      "code_postal": "86000", "commune_nom": "Poitiers", "code_insee": "86194",
                      "location": Point(0.31, 46.5), "horaires": "We 14:00-18:30", "date_maj": dt.date(2026, 1, 15)},
                     {"services": SERVICES, "itinerance": ["itinerant"]}, service_area=["86200", "86201"])

def test_a_diagnostic_page_runs_as_many_queries_for_a_large_territory_as_for_a_small_one(client, vienne, terms):
    place("a", "Espace numérique", {"services": SERVICES[:1], "frais_a_charge": ["gratuit"]},
          location=Point(0.355, 46.588))
    before = {url: _queries_uncached(client, url) for url in PAGES}
    _grow(vienne)
    after = {url: _queries_uncached(client, url) for url in PAGES}
    assert after == before
    assert all(count <= 40 for count in after.values()), after


def test_the_national_table_gives_each_parent_the_figures_of_its_own_computation(diagnosed_departements):
    now = timezone.now()
    table = national(now=now)
    for kind, code in (("departement", "86"), ("departement", "87")):
        area, parents = area_for(kind, code)
        for each in (area, *parents):
            assert table[each.key] == summary(each, now=now), each.key
    assert table["france:FR"]["places"] == 3


def test_after_a_bulk_change_every_departement_page_is_ready_in_the_cache(client, diagnosed_departements,
                                                                          django_assert_max_num_queries):
    cache.clear()
    assert warm_diagnostics.enqueue().return_value == 2
    # Left: the territory, the data version, the vocabulary's labels (no computation).
    for url in ("/territoires/departements/86/diagnostic/", "/territoires/departements/87/diagnostic/"):
        with django_assert_max_num_queries(5):
            assert client.get(url).status_code == 200


@pytest.fixture
def diagnosed_departements(vienne, terms):
    """Two départements of one région, two places in one of them, one in the other."""
    haute_vienne = Departement.objects.create(code="87", name="Haute-Vienne", name_folded="haute-vienne",
                                              region=vienne["region"], zone="metro")
    Commune.objects.create(code="87085", name="Limoges", name_folded="limoges", departement=haute_vienne,
                           postal_codes="87000", population=130_000, centre=Point(1.2611, 45.8336))
    place("a", "Espace numérique", {"services": SERVICES[:2], "frais_a_charge": ["gratuit"]},
          location=Point(0.355, 46.588), horaires="Mo-Fr 09:00-19:00")
    place("b", "Atelier", {"frais_a_charge": ["payant"]}, code_insee="86041", commune_nom="Buxerolles",
          code_postal="86180", location=Point(0.3583, 46.6072), horaires="Sa 09:00-12:00")
    place("c", "Club", {}, code_insee="87085", commune_nom="Limoges", code_postal="87000",
          location=Point(1.2611, 45.8336), horaires="")
    cache.clear()
    return vienne


def test_after_an_edit_the_parents_are_counted_again_for_the_departements_it_touched_only(diagnosed_departements):
    charente = Departement.objects.create(code="16", name="Charente", name_folded="charente",
                                          region=diagnosed_departements["region"], zone="metro")
    Commune.objects.create(code="16015", name="Angoulême", name_folded="angouleme", departement=charente,
                           postal_codes="16000", population=41_000, centre=Point(0.1561, 45.6484))
    place("d", "Atelier d'Angoulême", {}, code_insee="16015", commune_nom="Angoulême", code_postal="16000",
          location=Point(0.1561, 45.6484))
    cache.clear()
    cached_national(version=data_version())
    # Moved to Limoges, open in the evening now: Vienne and Haute-Vienne change, nothing else is recounted.
    place("b", "Atelier", {"frais_a_charge": ["gratuit"]}, code_insee="87085", commune_nom="Limoges",
          code_postal="87000", location=Point(1.26, 45.83), horaires="Mo 17:00-20:00")
    Structure.objects.filter(source_id="a").delete()
    with CaptureQueriesContext(connection) as queries:
        table = cached_national(version=data_version())
    assert table == national()
    assert (table["departement:86"]["places"], table["departement:87"]["places"]) == (0, 2)
    assert table["departement:87"]["evening"] == 1 and table["departement:87"]["fees"]["gratuit"] == 1
    assert table["departement:16"]["places"] == 1
    (counting,) = [q["sql"] for q in queries.captured_queries if "GROUP BY p.g" in q["sql"]]
    # Only Haute-Vienne is counted again: Vienne has no place left, Charente did not change.
    assert "IN ('87')" in counting
