import pytest
from django.urls import reverse

from territories.models import QPV, Commune

# The territory's own facts, then its list of places (the directory's budget, see tests/actors/test_list.py).
TERRITORY_QUERIES = 6
DIRECTORY_QUERIES = 8


@pytest.fixture
def loaded(territories_vienne_haute_vienne):
    return territories_vienne_haute_vienne


def test_the_page_of_poitiers_lists_its_qpv_and_draws_them(client, loaded, django_assert_max_num_queries):
    with django_assert_max_num_queries(TERRITORY_QUERIES + DIRECTORY_QUERIES):
        response = client.get("/territoires/communes/86194/")
    assert response.status_code == 200
    for qpv in QPV.objects.filter(communes="86194"):
        assert qpv.code in response.content.decode()
    assert response.context["map_data"]["qpv"]["features"].__len__() == 4
    assert 'id="territory-map-data"' in response.content.decode()
    assert 'data-qpv-count="4"' in response.content.decode()
    assert "CU du Grand Poitiers" in response.content.decode()
    assert "Nouvelle-Aquitaine" in response.content.decode()


def test_a_commune_without_qpv_says_so_and_draws_no_map(client, loaded):
    commune = Commune.objects.filter(departement="86", qpvs__isnull=True).order_by("code").first()
    response = client.get(commune.get_absolute_url())
    assert "Aucun quartier prioritaire dans cette commune." in response.content.decode()
    assert "territory-map-data" not in response.content.decode()


def test_the_page_of_a_departement_lists_epci_communes_and_qpv(client, loaded, django_assert_max_num_queries):
    with django_assert_max_num_queries(TERRITORY_QUERIES + DIRECTORY_QUERIES):
        response = client.get("/territoires/departements/86/")
    content = response.content.decode()
    assert response.context["communes"].__len__() == Commune.objects.filter(departement="86").count()
    assert "CA Grand Châtellerault" in content
    assert "Châteauneuf Centre Ville" in content
    assert 'href="/territoires/communes/86066/"' in content


def test_the_page_of_an_epci_lists_its_member_communes(client, loaded, django_assert_max_num_queries):
    with django_assert_max_num_queries(TERRITORY_QUERIES + DIRECTORY_QUERIES):
        response = client.get("/territoires/epci/200069854/")
    content = response.content.decode()
    assert len(response.context["communes"]) == 40
    assert response.context["communes"][0].code == "86194"
    assert "Buxerolles" in content
    assert "Communauté urbaine" in content


@pytest.mark.parametrize("url", [
    "/territoires/communes/99999/", "/territoires/departements/00/", "/territoires/epci/123456789/",
    "/territoires/communes/" + "9" * 300 + "/",
])
def test_unknown_codes_give_the_french_404_page(client, loaded, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


@pytest.mark.django_db
def test_paris_lists_its_arrondissements_and_an_arrondissement_points_to_paris(client):
    from django.core.management import call_command
    call_command("load_territories", departements="75", stdout=open("/dev/null", "w"))
    content = client.get("/territoires/communes/75056/").content.decode()
    assert content.count('href="/territoires/communes/751') == 20
    arrondissement = client.get("/territoires/communes/75104/").content.decode()
    assert "Arrondissement municipal" in arrondissement
    assert 'href="/territoires/communes/75056/"' in arrondissement


def search(client, query):
    response = client.get(reverse("territories:search"), {"q": query})
    assert response.status_code == 200
    return response


def first(response, kind):
    group = next(g for g in response.context["search"].groups if g.kind == kind)
    return group.results[0]


def test_search_ignores_accents_and_case(client, loaded):
    assert first(search(client, "chatellerault"), "communes").code == "86066"
    assert first(search(client, "CHÂTELLERAULT"), "communes").code == "86066"


def test_search_finds_a_commune_by_postcode_and_by_insee_code(client, loaded):
    assert first(search(client, "86000"), "communes").code == "86194"
    assert first(search(client, "87085"), "communes").name == "Limoges"


def test_search_finds_a_departement_by_code_and_an_epci_by_siren_or_name(client, loaded):
    assert first(search(client, "86"), "departements").name == "Vienne"
    assert first(search(client, "200069854"), "epci").name == "CU du Grand Poitiers"
    assert first(search(client, "grand poitiers"), "epci").siren == "200069854"


def test_search_ranks_exact_names_first_then_bigger_communes(client, loaded):
    response = search(client, "poitiers")
    assert first(response, "communes").code == "86194"


def test_search_caps_results_and_keeps_the_total(client, loaded, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = search(client, "saint")
    group = next(g for g in response.context["search"].groups if g.kind == "communes")
    assert len(group.results) == 20
    assert group.total > 20
    assert "premiers résultats" in response.content.decode()


def test_search_without_match_says_what_to_try(client, loaded):
    assert "Aucun territoire ne correspond à « zzzzqq »" in search(client, "zzzzqq").content.decode()


def test_a_ten_thousand_character_query_is_cut_not_an_error(client, loaded):
    response = search(client, "é" * 10_000)
    assert len(response.context["search"].query) == 100


def test_search_finds_a_qpv_by_name_or_code_and_links_its_page(client, loaded):
    response = search(client, "Couronneries")
    qpv = first(response, "qpv")
    assert qpv.code == "QN08605M"
    body = response.content.decode()
    assert 'href="/territoires/qpv/QN08605M/"' in body and "Poitiers" in body
    assert first(search(client, "qn08605m"), "qpv").name == qpv.name


def test_qpv_codes_of_commune_and_departement_pages_link_to_the_qpv_page(client, loaded):
    import re
    for page in ("/territoires/communes/86194/", "/territoires/departements/86/"):
        body = client.get(page).content.decode()
        links = re.findall(r'<a class="territory-qpv__name" href="/territoires/qpv/(\w+)/">[^<]*'
                           r'<span class="territory-meta">(\w+)</span></a>', body)
        assert links and all(href == code for href, code in links), page
