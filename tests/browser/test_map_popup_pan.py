"""A popup opened near the map's edge pans the map to fit; the redraw that pan causes keeps it open, even when
the new view groups its place with a neighbour that came into view."""
import re

import pytest
from django.contrib.gis.geos import Point
from playwright.sync_api import expect

from tests.fixtures.directory import place
from tests.fixtures.map import map_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ZOOM = 14
PIXELS_PER_DEGREE = 256 * 2**ZOOM / 360  # of longitude, Web Mercator, at ZOOM
EDGE = Point(0.3300, 46.5700)
# 30 px east of the edge place: within the 32 px a group reaches from zoom 13 (actors/map/data.py), and its
# name sorts first, so once both are in view it anchors the group the edge place joins.
NEIGHBOUR = Point(EDGE.x + 30 / PIXELS_PER_DEGREE, EDGE.y)


@pytest.fixture
def edge_pair(vienne, terms):
    return (place("bord", "Zone numérique du Bord", {}, location=EDGE),
            place("voisin", "Atelier voisin", {}, location=NEIGHBOUR))


@pytest.mark.parametrize("fixture", ["page", "phone_page"])
def test_a_popup_near_the_edge_stays_open_across_the_redraw_its_pan_causes(request, live_server, edge_pair,
                                                                           fixture):
    page = request.getfixturevalue(fixture)
    edge, neighbour = edge_pair
    page.goto(f"{live_server.url}/carte/")
    width = map_ready(page).locator("#carte").bounding_box()["width"]
    # The edge place 20 px inside the map's right edge, its neighbour 10 px beyond it: out of view.
    centre_lon = EDGE.x - (width / 2 - 20) / PIXELS_PER_DEGREE
    page.goto(f"{live_server.url}/carte/?centre={EDGE.y:.5f},{centre_lon:.5f}&zoom={ZOOM}")
    app = map_ready(page)
    expect(app).to_have_attribute("data-zoom", str(ZOOM))
    marker = page.locator(f".leaflet-marker-icon.map-pin[title=\"{edge.display_name}\"]")
    expect(marker).to_have_count(1)
    expect(page.locator(f".map-pin[title=\"{neighbour.display_name}\"], .map-cluster")).to_have_count(0)
    before = page.url
    marker.click()
    names = page.locator(".leaflet-popup .map-popup__name")
    expect(names).to_have_text(edge.display_name)
    # The popup's pan moves the view (the URL follows it); the new view's data group both places.
    expect(page).not_to_have_url(before)
    map_ready(page)
    expect(page.locator(".leaflet-marker-icon.map-cluster")).to_have_text("2")
    # Still open once drawn: a closed popup would fade out for 200 ms, so the page's own record is read, then
    # the popup after a fade's time.
    expect(app).to_have_attribute("data-popup", str(edge.pk))
    page.wait_for_timeout(400)
    expect(page.locator(".leaflet-popup")).to_have_count(1)
    expect(page.locator(".leaflet-popup")).to_have_css("opacity", "1")
    expect(names).to_have_text(edge.display_name)
    # Its link still leads to the place.
    link = page.locator(".leaflet-popup .map-popup__link")
    expect(link).to_have_attribute("href", re.compile(re.escape(edge.get_absolute_url()) + "$"))
    # Closed, the popup leaves the map as the data draw it: one group, no stray marker of the edge place.
    page.locator(".leaflet-popup-close-button").click()
    expect(app).not_to_have_attribute("data-popup", re.compile(".*"))
    expect(page.locator(".leaflet-popup")).to_have_count(0)
    expect(marker).to_have_count(0)
    expect(page.locator(".leaflet-marker-icon.map-cluster")).to_have_text("2")
