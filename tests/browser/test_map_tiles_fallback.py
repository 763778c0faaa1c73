"""When the tile server is down the map draws the communes' names from the site's own data, with a notice;
when tiles load, nothing of the kind is drawn."""
import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from territories.models import Commune
from tests.fixtures.browser import DESKTOP, PHONE, _new_page

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

NOTICE = "Fond de carte indisponible : communes affichées à partir des données du site"
TILE_HOST = re.compile(r"^https?://" + re.escape(settings.MAP_TILES_URL.split("/")[2]) + "/")


def never_answer(route):
    """A tile server that accepts the connection and sends nothing: no error event, no tile."""


@pytest.mark.parametrize("device,server", [("desktop", "refuses"), ("phone", "refuses"), ("desktop", "hangs")])
def test_without_tiles_the_map_names_the_communes_from_the_territory_data(browser, live_server, request,
                                                                          demo_86_87, device, server):
    context, page = _new_page(browser, request, DESKTOP if device == "desktop" else PHONE)
    try:
        # Over the fixture's blank tiles: the tile server is down.
        page.route(TILE_HOST, (lambda route: route.abort()) if server == "refuses" else never_answer)
        page.goto(live_server.url + "/carte/?commune=87085")
        expect(page.locator(".map-app[data-state=ready]")).to_have_count(1)
        expect(page.locator(".leaflet-container[data-tiles-fallback=ready]")).to_have_count(1, timeout=20_000)
        expect(page.locator(".map-tiles-notice")).to_have_text(NOTICE)
        expect(page.locator(".map-tiles-notice")).to_be_visible()
        names = page.locator(".map-commune__name")
        expect(names.filter(has_text=re.compile("^Limoges$"))).to_be_visible()
        # Only names of the territory data, as text (a name is never read as HTML).
        known = set(Commune.objects.filter(departement__in=["86", "87"]).values_list("name", flat=True))
        drawn = set(names.all_inner_texts())
        assert len(drawn) >= 5 and drawn <= known
        # Names shown never overlap one another (the smaller communes' names give way).
        boxes = page.evaluate("""() => [...document.querySelectorAll('.map-commune__name')]
            .filter(n => n.style.display !== 'none').map(n => { const r = n.getBoundingClientRect();
            return [r.left, r.top, r.right, r.bottom]; })""")
        assert len(boxes) >= 5
        assert not [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                    if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]]
        # Markers of places stay clickable above the names.
        expect(page.locator(".map-pin, .map-cluster").first).to_be_visible()
        # Zooming out loads the names of the new view.
        page.locator(".leaflet-control-zoom-out").click()
        expect(page.locator(".leaflet-container[data-tiles-fallback=ready]")).to_have_count(1)
        expect(names.filter(has_text=re.compile("^Limoges$"))).to_be_visible()
    finally:
        context.close()


def test_with_tiles_loading_no_fallback_is_drawn(page, live_server, demo_86_87):
    tiles = []
    page.on("requestfinished", lambda r: tiles.append(r.url) if TILE_HOST.match(r.url) else None)
    page.goto(live_server.url + "/carte/?commune=87085")
    expect(page.locator(".map-app[data-state=ready]")).to_have_count(1)
    page.wait_for_load_state("networkidle")
    assert tiles  # the fixture's blank tiles did load
    page.wait_for_timeout(9_000)  # past the 8 s after which a map without any tile falls back
    expect(page.locator(".leaflet-container[data-tiles-fallback=off]")).to_have_count(1)
    assert page.locator(".map-commune").count() == 0
    assert page.locator(".map-tiles-notice").count() == 0
