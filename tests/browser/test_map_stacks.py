"""Places at one point are all reachable on the map; Back from a place returns to the same view."""
import re

import pytest
from django.contrib.gis.geos import Point
from playwright.sync_api import expect

from tests.fixtures.directory import place
from tests.fixtures.map import map_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SPOT = Point(0.3401, 46.5801)


@pytest.fixture
def one_building(directory, terms):
    """Five services of one building: the same point, as imports often give them."""
    return [place(f"batiment-{index}", f"Service {index} de la Maison des solidarités", {}, location=SPOT)
            for index in range(5)]


@pytest.mark.parametrize("fixture", ["page", "phone_page"])
def test_each_of_five_places_sharing_one_point_opens_from_the_map(request, live_server, one_building, fixture):
    page = request.getfixturevalue(fixture)
    page.goto(f"{live_server.url}/carte/?commune=86194&centre={SPOT.y},{SPOT.x}&zoom=18")
    map_ready(page)
    marker = page.locator(".leaflet-marker-icon.map-pin--stack")
    expect(marker).to_have_count(1)
    expect(marker).to_have_text("5")
    box = marker.bounding_box()
    assert box["width"] >= 24 and box["height"] >= 24  # WCAG 2.5.8 target size
    marker.click()
    names = page.locator(".leaflet-popup .map-popup__name")
    expect(names).to_have_count(5)
    assert sorted(names.all_text_contents()) == sorted(p.display_name for p in one_building)
    links = page.locator(".leaflet-popup .map-popup__link")
    assert sorted(links.evaluate_all("(ls) => ls.map((l) => new URL(l.href).pathname)")) == sorted(
        p.get_absolute_url() for p in one_building)
    # The last place opens too. From the keyboard: on a busy machine the popup's pan makes the map ask for its
    # data again and redraw while a pointer would be on its way; a focused link is not moved by that.
    map_ready(page)
    expect(names).to_have_count(5)
    target = links.nth(4)
    path = target.evaluate("(l) => new URL(l.href).pathname")
    target.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{path}")
    expect(page.locator("h1")).to_contain_text("Service")


def test_back_from_a_place_returns_to_the_same_map_view_with_its_filters(page, live_server, directory):
    page.goto(f"{live_server.url}/carte/?departement=86")
    app = map_ready(page)
    page.get_by_role("checkbox", name="gratuit").check()
    before = app.get_attribute("data-zoom")
    page.locator(".leaflet-control-zoom-in").click()
    expect(app).not_to_have_attribute("data-zoom", before)
    map_ready(page)
    page.locator(".leaflet-marker-icon.map-pin").first.click()
    map_ready(page)
    # The view as the person leaves it, as the URL holds it.
    zoom = app.get_attribute("data-zoom")
    expect(page).to_have_url(re.compile(rf"zoom={zoom}(&|$)"))
    centre = page.evaluate("new URL(location.href).searchParams.get('centre')")
    page.locator(".leaflet-popup .map-popup__link").first.click()
    expect(page.locator(".structure__header h1, h1").first).to_be_visible()
    page.go_back()
    app = map_ready(page)
    expect(app).to_have_attribute("data-zoom", zoom)
    assert "frais=gratuit" in page.url and f"centre={centre}" in page.url and f"zoom={zoom}" in page.url
    expect(page.get_by_role("checkbox", name="gratuit")).to_be_checked()
