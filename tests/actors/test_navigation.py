"""Finding the map, the territories and the open data from any page."""
import pytest

from actors.models import Structure

pytestmark = pytest.mark.django_db


def test_the_header_links_to_places_map_territories_and_open_data(client, directory):
    body = client.get("/territoires/").content.decode()
    for href, text in (("/", "Lieux"), ("/carte/", "Carte"), ("/territoires/", "Territoires"),
                       ("/donnees-ouvertes/", "Données ouvertes")):
        assert f'<a href="{href}"' in body and f">{text}</a>" in body
    assert '<a href="/territoires/" aria-current="page">' in body


def test_the_open_data_page_describes_the_exports_the_standard_and_the_licence(client, directory):
    response = client.get("/donnees-ouvertes/")
    assert response.status_code == 200
    body = response.content.decode()
    published = Structure.objects.public().count()
    assert f"ses {published} lieux publiés" in body
    for url in ("/export/lieux.csv", "/export/lieux.json", "/export/lieux.geojson"):
        assert f'href="{url}"' in body
        assert client.get(url).status_code == 200
    assert "Lieux de médiation numérique" in body
    assert "Licence Ouverte" in body


def test_a_place_page_links_to_the_place_on_the_map(client, directory):
    place = directory["mediatheque"]
    body = client.get(place.get_absolute_url()).content.decode()
    query = f"lat={place.location.y:.5f}&lon={place.location.x:.5f}&rayon=1&lieu={place.slug}"
    assert "/carte/?" + query.replace("&", "&amp;") in body
    response = client.get("/carte/?" + query)
    assert response.status_code == 200


def test_territory_chips_show_names_not_codes(client, directory):
    body = client.get("/?commune=86194").content.decode()
    assert "Poitiers (86194)" in body
    assert "Vienne (86)" in client.get("/?departement=86").content.decode()
    assert "peu importe le jour" in body and "n&#x27;importe quel jour" not in body


def test_the_list_offers_a_link_straight_to_its_results(client, directory):
    body = client.get("/").content.decode()
    assert '<a class="skip-link" href="#resultats">Aller aux résultats</a>' in body
    assert body.count('id="resultats"') == 1
    assert body.index('href="#resultats"') < body.index('class="directory__filters')
