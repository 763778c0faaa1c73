import functools
import http.server
import re
import threading

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.http import QueryDict
from playwright.sync_api import expect

from actors.directory.filters import StructureFilter
from tests.fixtures.map import map_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]





def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")]


def test_the_national_map_shows_clusters_and_a_click_on_one_zooms_in(page, live_server, map_data_set):
    page.goto(f"{live_server.url}/carte/")
    app = map_ready(page)
    clusters = page.locator(".leaflet-marker-icon.map-cluster")
    expect(clusters.first).to_be_visible()
    assert app.get_attribute("data-total") == "604"
    label = clusters.first.get_attribute("aria-label")
    assert re.match(r"Groupe de \d+ lieux : zoomer", label)
    zoom = int(app.get_attribute("data-zoom"))
    clusters.first.click()
    expect(page.locator(f".map-app[data-state=ready]:not([data-zoom='{zoom}'])")).to_have_count(1)
    assert int(app.get_attribute("data-zoom")) > zoom
    assert "dans cette zone" in page.locator("#map-status").inner_text()


def test_a_cluster_is_reached_and_opened_with_the_keyboard(page, live_server, map_data_set):
    page.goto(f"{live_server.url}/carte/")
    app = map_ready(page)
    zoom = int(app.get_attribute("data-zoom"))
    # The list offers the same groups as buttons, the accessible equivalent of the clusters.
    expect(page.locator("#map-list .map-item__zoom").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    cluster = page.locator(".leaflet-marker-icon.map-cluster").first
    cluster.focus()
    expect(cluster).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(f".map-app[data-state=ready]:not([data-zoom='{zoom}'])")).to_have_count(1)


def test_markers_and_list_items_highlight_each_other(page, live_server, map_data_set):
    page.goto(f"{live_server.url}/carte/?commune=86194")
    map_ready(page)
    markers = page.locator(".leaflet-marker-icon.map-pin")
    expect(markers).to_have_count(3)  # Poitiers: médiathèque, CCAS, bus (Buxerolles is another commune)
    item = page.locator("#map-list .map-item").first
    name = item.locator(".map-item__name").inner_text()
    item.hover()
    active = page.locator(".leaflet-marker-icon.map-pin.is-active")
    expect(active).to_have_count(1)
    assert active.get_attribute("title") == name
    page.mouse.move(0, 0)
    marker = markers.last
    marker.focus()
    title = marker.get_attribute("title")
    expect(page.locator("#map-list .map-item.is-active .map-item__name")).to_have_text(title)
    page.keyboard.press("Enter")
    popup = page.locator(".leaflet-popup .map-popup")
    expect(popup).to_contain_text(title)
    assert popup.locator("a").get_attribute("href").startswith("/lieux/")


def test_changing_a_filter_updates_map_and_list_with_the_list_page_count(page, live_server, map_data_set):
    page.goto(f"{live_server.url}/carte/?commune=86194")
    app = map_ready(page)
    assert app.get_attribute("data-total") == "3"
    page.get_by_label("Un ordinateur ou internet").check()
    expect(page.locator(".map-app[data-state=ready][data-total='1']")).to_have_count(1)
    expect(page.locator("#map-list .map-item")).to_have_count(1)
    expect(page.locator(".leaflet-marker-icon.map-pin")).to_have_count(1)
    assert "besoin=materiel" in page.url
    query = page.url.split("?", 1)[1]
    assert StructureFilter(QueryDict(query)).qs.count() == 1
    # The list page, given the same query string, finds the same places.
    page.goto(f"{live_server.url}/?{query}")
    expect(page.locator("#result-count")).to_contain_text("1 lieu trouvé")


def test_around_me_centres_the_map_or_explains_why_it_cannot(browser, live_server, map_data_set):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": 900})
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost).*"), lambda route: route.abort())
    page = context.new_page()
    page.goto(f"{live_server.url}/carte/")
    map_ready(page)
    page.get_by_role("button", name="Autour de moi").click()
    expect(page.locator("#map-message")).to_contain_text("Position non disponible")
    context.grant_permissions(["geolocation"])
    context.set_geolocation({"latitude": 46.5836, "longitude": 0.3447})
    page.get_by_role("button", name="Autour de moi").click()
    expect(page.locator(".map-app[data-zoom='14'][data-state=ready]")).to_have_count(1)
    expect(page.locator("#map-message")).to_be_hidden()
    context.close()


def test_on_a_phone_the_list_comes_below_the_map(phone_page, live_server, map_data_set):
    phone_page.goto(f"{live_server.url}/carte/?departement=86")
    map_ready(phone_page)
    expect(phone_page.locator(".leaflet-marker-icon.map-pin").first).to_be_visible()
    map_box = phone_page.locator(".map-canvas").bounding_box()
    list_box = phone_page.locator(".map-results").bounding_box()
    assert list_box["y"] >= map_box["y"] + map_box["height"] - 1
    assert map_box["width"] <= 390


def test_the_map_and_the_list_page_have_no_serious_accessibility_violation(page, live_server, map_data_set):
    page.goto(f"{live_server.url}/carte/")
    map_ready(page)
    assert serious_violations(page) == []
    page.goto(f"{live_server.url}/carte/?commune=86194")
    map_ready(page)
    assert serious_violations(page) == []
    page.goto(f"{live_server.url}/?departement=86")
    assert serious_violations(page) == []


def test_the_embed_renders_inside_an_iframe_of_another_origin(page, live_server, map_data_set, tmp_path):
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Mairie</title></head><body>'
        f'<iframe title="Carte" width="800" height="600" src="{live_server.url}/embed/carte/?commune=86194">'
        "</iframe></body></html>",
        encoding="utf-8",
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        partner = f"http://127.0.0.1:{server.server_address[1]}/"
        assert partner.split("/")[2] != live_server.url.split("/")[2]
        page.goto(partner)
        frame = page.frame_locator("iframe")
        expect(frame.locator(".map-app[data-state=ready]")).to_have_count(1)
        expect(frame.locator(".leaflet-marker-icon.map-pin")).to_have_count(3)
        expect(frame.locator(".site-header")).to_have_count(0)
    finally:
        server.shutdown()
