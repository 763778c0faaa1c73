"""The embed as a partner site shows it: an iframe of another origin, from a phone-sized frame to a wide one."""
import functools
import http.server
import threading

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = "var/test-screenshots"


@pytest.fixture
def partner_site(tmp_path, live_server):
    """Serves a partner's page from another origin; returns a function making the page for one frame size."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def make(width: int, height: int, query: str = "departement=86") -> str:
        (tmp_path / "index.html").write_text(
            '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Mairie</title></head><body>'
            '<h1>Mairie de Poitiers</h1><p>Les lieux qui vous aident avec le numérique :</p>'
            f'<iframe title="Carte" width="{width}" height="{height}" style="border:0;display:block" '
            f'src="{live_server.url}/embed/carte/?{query}"></iframe><div style="height:2000px">Suite</div>'
            '</body></html>', encoding="utf-8")
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield make
    server.shutdown()


def frame_of(page):
    expect(page.frame_locator("iframe").locator(".map-app[data-state=ready]")).to_have_count(1)
    return page.frame_locator("iframe"), page.frames[1]


@pytest.mark.parametrize("width", [360, 768, 1280])
def test_the_embed_fills_its_frame_opens_four_popups_and_lets_the_wheel_scroll_the_partner_page(
        page, live_server, directory, partner_site, width):
    page.set_viewport_size({"width": max(width + 40, 420), "height": 900})
    page.goto(partner_site(width, 600))
    frame, inner = frame_of(page)
    # The frame's own page never scrolls: the map is in it at once.
    sizes = inner.evaluate("[document.documentElement.scrollHeight, window.innerHeight,"
                           " document.documentElement.scrollWidth, window.innerWidth]")
    assert sizes[0] <= sizes[1] and sizes[2] <= sizes[3], sizes
    canvas = frame.locator("#carte").bounding_box()
    assert canvas["height"] >= 300, canvas

    # The wheel over the map scrolls the partner's page...
    box = page.locator("iframe").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 3, box["y"] + 250)
    page.mouse.wheel(0, 120)
    page.wait_for_function("window.scrollY > 0")
    expect(frame.locator(".map-wheel-hint")).to_be_visible()
    scrolled = page.evaluate("window.scrollY")
    zoom = frame.locator(".map-app").get_attribute("data-zoom")
    # ...until the map is clicked: then it zooms the map and the partner's page stays put.
    frame.locator("#carte").click(position={"x": 5, "y": canvas["height"] - 40})
    expect(frame.locator(".map-app")).to_have_attribute("data-wheel", "zoom")
    box = page.locator("iframe").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 3, box["y"] + 250)
    page.mouse.wheel(0, -120)
    expect(frame.locator(".map-app")).not_to_have_attribute("data-zoom", zoom)
    assert page.evaluate("window.scrollY") == scrolled
    page.evaluate("window.scrollTo(0, 0)")
    frame.locator(".map-app[data-state=ready]").wait_for()
    page.screenshot(path=f"{SCREENSHOTS}/embed-{width}.png")

    # Four markers clicked in turn open four popups.
    page.goto(partner_site(width, 600))
    frame, inner = frame_of(page)
    markers = frame.locator(".leaflet-marker-icon.map-pin")
    expect(markers).to_have_count(4)
    titles = [markers.nth(i).get_attribute("title") for i in range(4)]
    for title in titles:
        # Each from the first view: in a small frame a popup's pan may take the next marker out of view.
        page.goto(partner_site(width, 600))
        frame, inner = frame_of(page)
        frame.locator(f".leaflet-marker-icon.map-pin[title=\"{title}\"]").click()
        # A closed popup fades out for a moment before it leaves the page.
        expect(frame.locator(".leaflet-popup")).to_have_count(1)
        expect(frame.locator(".leaflet-popup .map-popup__name")).to_have_text(title)
        frame.locator(".map-app[data-state=ready]").wait_for()

    # The list is reachable: beside the map when there is room, behind « Liste » on a narrow frame.
    first_item = frame.locator("#map-list .map-item__name").first
    if width < 768:
        expect(first_item).to_be_hidden()
        frame.locator("#map-list-toggle").click()
    expect(first_item).to_be_visible()
    assert inner.evaluate("document.documentElement.scrollHeight <= window.innerHeight")


@pytest.mark.parametrize("height", [400, 600])
def test_the_filters_fold_behind_one_button_and_apply_in_the_frame(page, live_server, directory, partner_site,
                                                                   height):
    page.goto(partner_site(360, height))
    frame, inner = frame_of(page)
    expect(frame.locator("#map-filters")).to_be_hidden()
    frame.get_by_role("button", name="Filtres").click()
    frame.get_by_role("checkbox", name="gratuit").check()
    frame.locator(".map-app[data-state=ready]").wait_for()
    frame.get_by_role("button", name="Appliquer").click()
    expect(frame.locator("#map-filters")).to_be_hidden()
    expect(frame.get_by_role("button", name="Filtres")).to_be_focused()
    assert inner.evaluate("document.documentElement.scrollHeight <= window.innerHeight")
