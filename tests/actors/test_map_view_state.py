"""The map's view and filters in its URL: read back on Back or a shared link; a broken one is explained."""
import pytest
from django.urls import reverse

pytestmark = [pytest.mark.usefixtures("plain_static_files"), pytest.mark.django_db]


@pytest.mark.parametrize("name", ["actors:map", "actors:map_embed"])
def test_a_centre_and_zoom_in_the_url_open_the_map_on_that_view(client, directory, name):
    page = client.get(reverse(name), {"centre": "46.58361,0.34470", "zoom": "15", "frais": "gratuit"})
    html = page.content.decode()
    assert 'data-view="46.58361,0.34470,15"' in html
    assert 'name="frais" value="gratuit" checked' in html
    # The view is the map's own: not kept as a hidden filter, not passed on to the list.
    assert 'name="centre"' not in html and "centre=" not in html.split('id="map-list-link"')[1].split(">")[0]


@pytest.mark.parametrize("centre, zoom", [
    ("abc", "12"), ("46.5", "12"), ("46.5,0.3,9", "12"), ("nan,nan", "12"), ("95,0", "12"), ("46.5,0.3", "99"),
    ("46.5,0.3", "douze"), ("inf,0", "3"),
])
def test_a_broken_centre_or_zoom_frames_the_places_and_says_so(client, directory, centre, zoom):
    page = client.get(reverse("actors:map"), {"centre": centre, "zoom": zoom, "departement": "86"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "data-view" not in html
    assert "data-bounds=" in html  # framed on the Vienne's places, not a blank map
    assert "La position de la carte donnée dans l&#x27;adresse n&#x27;a pas pu être lue" in html


def test_day_and_evening_chosen_in_the_url_are_shown_in_the_map_panel(client, directory):
    html = client.get(reverse("actors:map"), {"jour": "samedi", "soir": "1"}).content.decode()
    assert '<option value="samedi" selected>' in html
    assert 'name="soir" value="1" checked' in html
    assert 'type="hidden" name="jour"' not in html and 'type="hidden" name="soir"' not in html
