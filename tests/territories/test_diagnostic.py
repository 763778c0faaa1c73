"""The territory diagnostic computed on a hand-made Vienne whose every number is known in advance."""

import csv
import datetime as dt
import io
import re

import pytest
from django.contrib.gis.geos import Point
from django.core.cache import cache
from django.utils import timezone
from django.utils.html import escape

from actors.core.locate import rebuild_qpv_links
from actors.diagnostic.areas import area_for
from actors.diagnostic.compute import compute
from territories.models import Commune
from tests.fixtures.directory import place

POPULATION = 90_240 + 10_000 + 6_000
RECENT = timezone.localdate() - dt.timedelta(days=30)
OLD = dt.date(2020, 1, 1)


@pytest.fixture
def diagnosed(vienne, terms):
    """Poitiers (2 places, one inside the QPV), Buxerolles (1 place), Montmorillon (45 km away, none)."""
    Commune.objects.create(code="86165", name="Montmorillon", name_folded="montmorillon",
                           departement=vienne["departement"], postal_codes="86500", population=6_000,
                           centre=Point(0.8700, 46.4264))
    inside_qpv = place("a", "Espace numérique des Couronneries",
                       {"services": ["aide-aux-demarches-administratives", "acces-internet-et-materiel-informatique"],
                        "frais_a_charge": ["gratuit"]},
                       location=Point(0.355, 46.588), horaires="Mo-Fr 09:00-19:00", date_maj=RECENT,
                       telephone="+33549000000")
    centre = place("b", "Atelier du centre", {"services": ["maitrise-des-outils-numeriques-du-quotidien"],
                                               "frais_a_charge": ["payant"]},
                   location=Point(0.3404, 46.5802), horaires="Sa 09:00-12:00", date_maj=OLD)
    buxerolles = place("c", "Club de Buxerolles", {"publics_specifiquement_adresses": ["seniors"]},
                       code_postal="86180", commune_nom="Buxerolles", code_insee="86041",
                       location=Point(0.3583, 46.6072), horaires="", date_maj=OLD,
                       verified_at=timezone.now() - dt.timedelta(days=10), courriels="club@example.org")
    place("d", "Brouillon", {}, state="draft")
    cache.clear()
    return {"a": inside_qpv, "b": centre, "c": buxerolles, **vienne}


def test_the_departement_summary_counts_every_indicator_exactly(diagnosed):
    area, _parents = area_for("departement", "86")
    data = compute(area)
    s = data["summary"]
    assert s["population"] == POPULATION
    assert s["places"] == 3
    assert s["places_per_10k"] == pytest.approx(3 * 10_000 / POPULATION)
    assert s["population_with_place"] == 100_240
    assert s["population_with_place_share"] == pytest.approx(100_240 / POPULATION)
    assert (s["evening"], s["saturday"], s["sunday"]) == (1, 1, 0)
    assert s["weekly_hours"] == pytest.approx(53)
    assert s["weekly_hours_per_10k"] == pytest.approx(53 * 10_000 / POPULATION)
    assert s["fees"] == {"gratuit": 1, "gratuit-sous-condition": 0, "payant": 1}
    assert s["fee_unknown"] == 1
    assert s["fresh"] == 2
    assert (s["no_hours"], s["no_contact"], s["approximate"]) == (1, 1, 0)
    # Of the 2 places whose hours are known (Buxerolles has none): an evening share of the places with hours.
    assert (s["with_hours"], s["evening_share"]) == (2, pytest.approx(1 / 2))


def test_coverage_counts_inhabitants_by_distance_from_their_commune_centre(diagnosed):
    data = compute(area_for("departement", "86")[0])
    assert [(c["km"], c["population"]) for c in data["coverage"]] == [(5, 100_240), (10, 100_240), (15, 100_240)]
    by_code = {c["code"]: c for c in data["communes"]}
    assert by_code["86194"]["nearest_km"] == 0
    assert by_code["86041"]["nearest_km"] == 0
    assert by_code["86165"]["nearest_km"] is None  # beyond 15 km


def test_each_qpv_counts_places_inside_within_300_m_and_within_1_km(diagnosed):
    data = compute(area_for("departement", "86")[0])
    (qpv,) = data["qpv"]
    # A is inside; B is about 900 m from the perimeter; C about 1.7 km.
    assert (qpv["inside"], qpv["within_300"], qpv["within_1000"]) == (1, 1, 2)
    assert data["qpv_without_place_1km"] == []


def test_a_qpv_with_no_place_within_1_km_is_listed(diagnosed):
    diagnosed["a"].location = Point(0.30, 46.55)
    diagnosed["a"].save()
    rebuild_qpv_links(diagnosed["a"])  # what the write paths do after a move (QPV distances are stored)
    diagnosed["b"].delete()
    data = compute(area_for("departement", "86")[0])
    assert [q["code"] for q in data["qpv_without_place_1km"]] == ["QN08601M"]


def test_services_missing_within_the_chosen_distance_name_communes_and_qpv(diagnosed):
    data = compute(area_for("departement", "86")[0], service_km=5)
    services = {s["code"]: s for s in data["services"]}
    demarches = services["aide-aux-demarches-administratives"]
    assert [c["code"] for c in demarches["communes_without"]] == ["86165"]
    assert demarches["population_without"] == 6_000
    assert demarches["qpv_without"] == []
    parentalite = services["parentalite-et-education-avec-le-numerique"]
    assert parentalite["population_without"] == POPULATION
    assert parentalite["qpv_without"] == ["QN08601M"]
    # At 1 km, Buxerolles (2.1 km from the nearest place offering it) loses "démarches".
    closer = {s["code"]: s for s in compute(area_for("departement", "86")[0], service_km=1)["services"]}
    assert {c["code"] for c in closer["aide-aux-demarches-administratives"]["communes_without"]} == {"86041", "86165"}


def test_publics_count_only_what_places_declare(diagnosed):
    data = compute(area_for("departement", "86")[0])
    counts = {p["code"]: p["places"] for p in data["publics"]}
    assert counts["seniors"] == 1
    assert counts["jeunes"] == 0


def test_a_departement_is_drawn_by_epci_and_a_commune_without_epci_stands_alone(diagnosed):
    units = {u["code"]: u for u in compute(area_for("departement", "86")[0])["units"]}
    assert units["200069854"]["population"] == 100_240
    assert units["200069854"]["places"] == 3
    assert units["200069854"]["evening"] == 1
    assert units["sans-epci-86165"]["places"] == 0
    assert units["sans-epci-86165"]["places_per_10k"] == 0


def test_parents_of_a_commune_go_up_to_france(diagnosed):
    area, parents = area_for("commune", "86194")
    assert [p.kind for p in parents] == ["epci", "departement", "region", "france"]
    data = compute(area)
    assert data["summary"]["places"] == 2
    assert data["summary"]["population"] == 90_240


def test_the_page_shows_the_numbers_and_the_parents(client, diagnosed):
    response = client.get("/territoires/departements/86/diagnostic/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Vienne" in content and "Nouvelle-Aquitaine" in content and "France" in content
    assert "Les Couronneries" in content
    assert "<svg" in content and content.count("<circle") == 2  # Grand Poitiers and Montmorillon
    assert response.context["comparison"][0]["places"] == 3


def test_a_territory_without_population_or_place_says_why_instead_of_dividing(client, vienne, terms):
    Commune.objects.filter(code="86041").update(population=None)
    response = client.get("/territoires/communes/86041/diagnostic/")
    assert response.status_code == 200
    content = response.content.decode()
    assert "La population de ce territoire n'est pas publiée" in content
    assert "Aucun lieu publié dans ce territoire" in content
    assert "Aucun quartier prioritaire dans ce territoire." in content


def test_unknown_codes_give_the_french_404(client, vienne):
    for url in ("/territoires/departements/999/diagnostic/", "/territoires/communes/00000/diagnostic/",
                "/territoires/epci/123/diagnostic.csv", "/territoires/communes/%00/diagnostic/impression/"):
        response = client.get(url)
        assert response.status_code == 404, url


def test_bad_choices_fall_back_with_a_notice(client, diagnosed):
    response = client.get("/territoires/departements/86/diagnostic/?distance=-3&indicateur=<b>&tri=x")
    assert response.status_code == 200
    content = response.content.decode()
    assert "pas reconnue" in content
    assert "<b>" not in content


def test_the_csv_carries_the_same_numbers(client, diagnosed):
    response = client.get("/territoires/departements/86/diagnostic.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    values = {(r[2], r[3]): r[4] for r in rows[1:]}
    assert values[("86", "places")] == "3"
    assert values[("86", "population")] == str(POPULATION)
    assert values[("QN08601M", "lieux_within_1000")] == "2"
    assert values[("75", "places")] == "3"  # the région, which the data covers
    assert ("FR", "places") not in values  # France is not: the fixture holds one département of its 101


def test_the_result_is_cached_until_the_data_changes(client, diagnosed, django_assert_max_num_queries):
    client.get("/territoires/departements/86/diagnostic/")
    with django_assert_max_num_queries(8):
        client.get("/territoires/departements/86/diagnostic/")
    place("e", "Nouveau lieu", {}, location=Point(0.34, 46.58))
    response = client.get("/territoires/departements/86/diagnostic/")
    assert response.context["comparison"][0]["places"] == 4


def test_territory_pages_link_to_their_diagnostic(client, diagnosed):
    for url, target in (("/territoires/departements/86/", "/territoires/departements/86/diagnostic/"),
                        ("/territoires/epci/200069854/", "/territoires/epci/200069854/diagnostic/"),
                        ("/territoires/communes/86194/", "/territoires/communes/86194/diagnostic/")):
        assert target in client.get(url).content.decode()


def _places_within_1_km_by_the_database(qpv) -> tuple[int, int]:
    """The oracle: the database's own planar distance in Lambert-93 (EPSG:2154, the official projection of
    mainland France), from each place to the perimeter. Two projections differ by up to 0.2 %: places within
    2 m of the threshold are counted apart, as undecided."""
    from django.contrib.gis.db.models.functions import Distance, Transform

    from actors.models import Structure

    box = qpv.perimeter.buffer(0.03)
    perimeter = qpv.perimeter.transform(2154, clone=True)
    distances = (Structure.objects.public().filter(location__intersects=box)
                 .annotate(d=Distance(Transform("location", 2154), perimeter)).values_list("d", flat=True))
    return sum(1 for d in distances if d.m <= 998), sum(1 for d in distances if 998 < d.m <= 1002)


@pytest.mark.parametrize("url", ["/territoires/departements/87/diagnostic/", "/territoires/epci/200069854/diagnostic/"])
def test_the_demo_diagnostics_list_the_qpv_without_a_place_within_1_km(client, demo_86_87, url):
    from territories.models import QPV

    response = client.get(url)
    assert response.status_code == 200
    data = response.context["data"]
    assert data["summary"]["places"] > 0 and data["qpv"]
    listed = {q["code"] for q in data["qpv_without_place_1km"]}
    content = response.content.decode()
    for row in data["qpv"]:
        sure, undecided = _places_within_1_km_by_the_database(QPV.objects.get(pk=row["code"]))
        assert sure <= row["within_1000"] <= sure + undecided, row["code"]
        assert (row["code"] in listed) == (row["within_1000"] == 0)
        assert escape(row["name"]) in content
    for code in listed:
        assert code in content


def test_a_demo_qpv_whose_places_close_is_listed_without_a_place_within_1_km(client, demo_86_87):
    """On the demo every QPV has a place within 1 km: take those of one Limoges QPV off the public pages,
    and both the département's page and the database's oracle must then find none around it."""
    from actors.models import Structure
    from territories.models import QPV

    qpv = QPV.objects.filter(departement_id="87").order_by("code").first()
    sure, _undecided = _places_within_1_km_by_the_database(qpv)
    assert sure > 0
    # 0.03° around the perimeter is over 2 km in every direction at this latitude.
    around = Structure.objects.public().filter(location__intersects=qpv.perimeter.buffer(0.03))
    Structure.objects.filter(pk__in=list(around.values_list("pk", flat=True))).update(
        state="draft", updated_at=timezone.now())
    assert _places_within_1_km_by_the_database(qpv) == (0, 0)
    response = client.get("/territoires/departements/87/diagnostic/")
    listed = {q["code"] for q in response.context["data"]["qpv_without_place_1km"]}
    assert qpv.code in listed
    notice = response.content.decode().split("sans aucun lieu à moins de 1 km")[1].split("</p>")[0]
    assert f"{escape(qpv.name)} ({qpv.code})" in notice


def test_the_comparison_leaves_out_parents_the_directory_does_not_cover_and_says_so(client, diagnosed):
    # The fixture's data: one région (Nouvelle-Aquitaine) with one département (Vienne), far from France's 101.
    response = client.get("/territoires/departements/86/diagnostic/")
    compared = [row["kind"] for row in response.context["comparison"]]
    assert compared == ["departement", "region"]  # France is not a parent the data covers
    page = response.content.decode()
    assert "L'annuaire couvre : Nouvelle-Aquitaine (Vienne)." in page.replace("&#x27;", "'")
    assert "Pas de comparaison avec : France" in page
    printed = client.get("/territoires/departements/86/diagnostic/impression/")
    assert "L'annuaire couvre : Nouvelle-Aquitaine (Vienne)." in printed.content.decode().replace("&#x27;", "'")


def test_the_map_names_its_units_without_hover(client, diagnosed):
    page = client.get("/territoires/departements/86/diagnostic/").content.decode()
    labels = re.findall(r'<text [^>]*class="diagnostic-map__label"[^>]*>([^<]*)</text>', page)
    assert len(labels) == 2 and any(label.startswith("CU du Grand Poitiers") for label in labels), labels


def test_distance_shares_say_they_count_places_whose_hours_are_unknown_page_and_printout(client, demo_86_87):
    """« À moins de 10 km » counts every public place, a place of unknown hours too: the page, the printout and
    the definitions say so, with the number of such places in the territory (counted here row by row)."""
    from actors.models import Structure

    unknown = sum(1 for s in Structure.objects.public().select_related("commune")
                  if s.commune and s.commune.departement_id == "87" and not s.horaires.strip())
    assert unknown > 0
    page = client.get("/territoires/departements/87/diagnostic/").content.decode().replace("&#x27;", "'")
    assert "que leurs horaires soient connus ou non : un lieu proche n'est pas forcément ouvert." in page
    assert f"Dans le territoire, {unknown} lieux ont des horaires inconnus." in page
    printed = client.get("/territoires/departements/87/diagnostic/impression/").content.decode()
    printed = printed.replace("&#x27;", "'")
    figure = printed.split("Horaires inconnus (comptés dans les distances)</dt><dd>", 1)[1].split("<", 1)[0]
    assert figure == str(unknown)
    assert "même hors du territoire, horaires connus ou non." in printed  # the definitions
