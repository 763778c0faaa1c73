"""The map as residents use it: clicks that land, popups that stay, a map that stays in view, a legend."""
import functools
import http.server
import threading

import pytest
from playwright.sync_api import expect

from tests.fixtures.map import map_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]





def click_three_markers(page, url):
    page.goto(url)
    map_ready(page)
    markers = page.locator(".leaflet-marker-icon.map-pin")
    expect(markers).to_have_count(3)
    titles = [markers.nth(i).get_attribute("title") for i in range(3)]
    popup = page.locator(".leaflet-popup .map-popup__name")
    for title in titles:
        page.locator(f".leaflet-marker-icon.map-pin[title=\"{title}\"]").click()
        # A closed popup fades out for a moment before it leaves the page.
        expect(page.locator(".leaflet-popup")).to_have_count(1)
        expect(popup).to_have_text(title)
        # The pan the popup makes reloads the view; the popup is still there once the answer is drawn.
        page.wait_for_load_state("networkidle")
        map_ready(page)
        expect(page.locator(".leaflet-popup")).to_have_count(1)
        expect(popup).to_have_text(title)
    return titles


def test_three_markers_clicked_in_turn_open_three_popups_on_a_desktop(page, live_server, map_data_set):
    click_three_markers(page, f"{live_server.url}/carte/?commune=86194")
    assert page.evaluate("window.scrollY") == 0


def test_three_markers_clicked_in_turn_open_three_popups_on_a_phone(phone_page, live_server, map_data_set):
    click_three_markers(phone_page, f"{live_server.url}/carte/?commune=86194")


def test_hovering_a_marker_highlights_its_item_without_scrolling_the_page(page, live_server, map_data_set):
    page.goto(f"{live_server.url}/carte/?departement=86")
    map_ready(page)
    marker = page.locator(".leaflet-marker-icon.map-pin").last
    marker.hover()
    title = marker.get_attribute("title")
    expect(page.locator("#map-list .map-item.is-active .map-item__name")).to_have_text(title)
    assert page.evaluate("window.scrollY") == 0
    # The list scrolled in its own box to show the item, and the map kept the viewport's height.
    item = page.locator("#map-list .map-item.is-active").bounding_box()
    assert 0 <= item["y"] <= 900
    canvas = page.locator("#carte").bounding_box()
    assert canvas["y"] + canvas["height"] <= 900


def test_the_legend_names_clusters_places_and_approximate_positions(page, live_server, map_data_set):
    page.goto(f"{live_server.url}/carte/")
    map_ready(page)
    legend = page.locator(".map-legend")
    expect(legend).to_be_visible()
    for text in ("Groupe de lieux", "ouvert maintenant", "fermé maintenant", "Position approximative"):
        expect(legend).to_contain_text(text)


@pytest.mark.parametrize("width", [390, 800])
def test_the_embed_in_a_600_px_iframe_shows_the_map_at_every_scroll_position(page, live_server, map_data_set,
                                                                             tmp_path, width):
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Mairie</title></head><body>'
        f'<iframe title="Carte" width="{width}" height="600" '
        f'src="{live_server.url}/embed/carte/?departement=86"></iframe></body></html>',
        encoding="utf-8",
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/")
        expect(page.frame_locator("iframe").locator(".map-app[data-state=ready]")).to_have_count(1)
        frame = page.frames[1]
        height = frame.evaluate("document.documentElement.scrollHeight")
        visible = []
        for y in list(range(0, height, 150)) + [height]:
            visible.append(frame.evaluate(
                """(y) => { window.scrollTo(0, y); const r = document.getElementById('carte').getBoundingClientRect();
                           return Math.min(r.bottom, window.innerHeight) - Math.max(r.top, 0); }""", y))
        assert min(visible) >= 150, visible
    finally:
        server.shutdown()


def test_a_place_page_leads_to_the_place_on_the_map_with_its_popup_open(page, live_server, map_data_set):
    place = map_data_set["mediatheque"]
    page.goto(live_server.url + place.get_absolute_url())
    page.get_by_role("link", name="Voir ce lieu sur la carte").click()
    map_ready(page)
    expect(page.locator(".leaflet-popup .map-popup__name")).to_have_text(place.display_name)


def test_on_a_phone_the_list_under_the_map_folds_away_and_the_map_takes_its_room(phone_page, live_server,
                                                                                  map_data_set):
    page = phone_page
    page.goto(f"{live_server.url}/carte/?commune=86194")
    app = map_ready(page)
    toggle = page.get_by_role("button", name="Masquer la liste")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#map-list .map-item").first).to_be_visible()
    before = page.locator("#carte").bounding_box()["height"]
    toggle.click()
    count = app.get_attribute("data-count")
    folded = page.get_by_role("button", name=f"Afficher la liste ({count} lieux)")
    expect(folded).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#map-list")).to_be_hidden()
    expect(page.locator("#map-full-list")).to_be_hidden()
    after = page.locator("#carte").bounding_box()["height"]
    assert after > before * 1.2
    # The map knows its new size: its tiles and markers fill it (Leaflet reads the size again on request).
    assert page.evaluate("document.querySelector('#carte').clientHeight") == round(after)
    folded.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Masquer la liste")).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#map-list .map-item").first).to_be_visible()


def test_on_a_desktop_the_list_cannot_be_folded_it_sits_beside_the_map(page, live_server, map_data_set):
    page.goto(f"{live_server.url}/carte/?commune=86194")
    map_ready(page)
    expect(page.locator("#map-list-toggle")).to_be_hidden()
    expect(page.locator("#map-list .map-item").first).to_be_visible()
