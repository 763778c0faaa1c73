import pytest
from django.http import QueryDict
from django.urls import reverse
from django.utils import translation

from actors.directory.filters import StructureFilter

pytestmark = pytest.mark.usefixtures("plain_static_files")

FRANCE = "-5.5,41.0,10.0,51.5"
QUERIES = [
    "",
    "services=aide-aux-demarches-administratives",
    "services=aide-aux-demarches-administratives&frais=gratuit",
    "besoin=demarches",
    "besoin=materiel&besoin=demarches",
    "besoin=apprendre&ouvert=maintenant",
    "typologie=BIB&typologie=CCAS",
    "departement=86&weekend=1",
    "commune=86041",
    "q=mediatheque",
    "services=inconnu&departement=abc",
]


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.django_db
def test_the_map_counts_exactly_what_the_structure_filter_selects(client, directory, query):
    expected = StructureFilter(QueryDict(query)).qs.count()
    response = client.get(f"{reverse('actors:map_data')}?bbox={FRANCE}&zoom=6&{query}")
    data = response.json()
    assert data["t"] == data["n"] == expected
    assert len(data["p"]) == expected


@pytest.mark.django_db
def test_needs_in_plain_language_select_any_service_of_their_group(directory):
    def names(query):
        return sorted(s.nom for s in StructureFilter(QueryDict(query)).qs)

    assert names("besoin=materiel") == ["Bus numérique du Grand Poitiers"]
    assert names("besoin=apprendre") == ["Espace public numérique de Buxerolles", "Médiathèque François-Mitterrand"]
    assert names("besoin=apprendre&besoin=demarches") == ["Médiathèque François-Mitterrand"]
    unknown = StructureFilter(QueryDict("besoin=voler"))
    assert unknown.qs.count() == 4 and unknown.notices


@pytest.mark.django_db
def test_the_map_page_offers_needs_geolocation_and_an_announced_result_list(client, directory):
    response = client.get(reverse("actors:map"), {"besoin": "demarches"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "J'ai besoin de :" in page
    assert 'name="besoin" value="demarches" checked' in page
    assert 'id="map-locate"' in page and 'aria-live="polite"' in page
    assert "leaflet.js" in page or "leaflet-src.js" in page
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_embed_may_be_framed_by_any_site_and_keeps_its_preset_filters(client, directory):
    preset = {"departement": "86", "services": "aide-aux-demarches-administratives"}
    response = client.get(reverse("actors:map_embed"), preset)
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    assert "frame-ancestors *" in response["Content-Security-Policy"]
    page = response.content.decode()
    assert '<input type="hidden" name="departement" value="86">' in page
    assert '<input type="hidden" name="services" value="aide-aux-demarches-administratives">' in page
    assert 'class="site-header"' not in page


@pytest.mark.django_db
def test_bad_filter_values_on_the_map_page_are_explained_not_fatal(client, directory):
    response = client.get(reverse("actors:map"), {"departement": "<script>", "services": "voler"})
    assert response.status_code == 200
    assert "Filtre ignoré" in response.content.decode()
    data = client.get(reverse("actors:map_data"), {"bbox": FRANCE, "zoom": 6, "departement": "x", "jour": "1"})
    assert data.status_code == 200 and data.json()["n"] == 4


@pytest.mark.django_db
def test_the_map_page_is_in_english_when_chosen(client, directory):
    client.post(reverse("set_language"), {"language": "en", "next": "/carte/"})
    try:
        page = client.get(reverse("actors:map")).content.decode()
    finally:
        # The locale middleware leaves the language active in this thread: give the next tests French back.
        translation.activate("fr")
    assert "I need:" in page and "Around me" in page
    assert '<html lang="en">' in page


@pytest.mark.django_db
def test_the_embed_snippet_gives_an_iframe_with_the_territory_preset():
    from django.template.loader import render_to_string

    context = {"query": "departement=87", "origin": "https://annuaire.example"}
    html = render_to_string("actors/_embed_snippet.html", context)
    assert "&lt;iframe src=&quot;https://annuaire.example/embed/carte/?departement=87&quot;" in html
    assert "readonly" in html and "<iframe" not in html


@pytest.mark.django_db
def test_territory_pages_offer_the_embed_code_of_their_own_map(client, vienne):
    for territory, query in [(vienne["departement"], "departement=86"), (vienne["epci"], "epci=200069854"),
                             (vienne["poitiers"], "commune=86194")]:
        page = client.get(territory.get_absolute_url()).content.decode()
        assert f"http://testserver/embed/carte/?{query}&quot;" in page, territory
