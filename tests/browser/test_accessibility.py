"""Accessibility of every public page (axe-core, any impact, desktop and phone) and the keyboard walks of the
map, the embed, the list, the territory pages and the forms, on the Vienne and Haute-Vienne demo data."""


import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from actors.campaigns.update_links import make_token
from actors.models import Structure
from tests.fixtures.browser import DESKTOP, PHONE, _new_page

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
COURONNERIES = "QN08605M"


def public_pages(live_server) -> dict[str, tuple[str, str]]:
    """Page name → (URL, text its <title> must hold): every page a resident or a social worker sees."""
    poitiers = list(Structure.objects.public().in_commune("86194").exclude(location=None).order_by("nom")[:3])
    first = poitiers[0]
    picked = "&".join(f"lieux={s.slug}" for s in poitiers)
    return {
        "liste": ("/", "Trouver un lieu"),
        "liste filtrée": (f"/?qpv={COURONNERIES}&qpv_distance=1km&frais=gratuit&jour=samedi",
                          "Couronneries Saint-Eloi — moins de 1 km"),
        "fiche": (first.get_absolute_url(), first.display_name),
        "carte": ("/carte/?departement=86", "Vienne (86)"),
        "carte intégrée": ("/embed/carte/?departement=87", "Haute-Vienne (87)"),
        "fiche d'orientation": (f"/orientation/?{picked}", first.display_name),
        "territoires": ("/territoires/", "Territoires"),
        "recherche de territoire": ("/territoires/?q=Couronneries", "Couronneries"),
        "département": ("/territoires/departements/86/", "Vienne"),
        "commune": ("/territoires/communes/86194/", "Poitiers"),
        "QPV": (f"/territoires/qpv/{COURONNERIES}/", "Couronneries Saint-Eloi"),
        "diagnostic": ("/territoires/departements/87/diagnostic/", "Haute-Vienne"),
        "données ouvertes": ("/donnees-ouvertes/", "Données ouvertes"),
        "lien de mise à jour": (f"/mise-a-jour/{make_token(structure=first)}/", first.display_name),
        "signalement": (f"{first.get_absolute_url()}signaler/", first.display_name),
    }


def violations(page) -> list[str]:
    # `target-size` (WCAG 2.5.8, 24×24 px) is off by default in axe 4: asked for, as the public pages promise it.
    options = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}
    results = Axe().run(page, options=options).response
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}" for v in results["violations"]]


def settled(page) -> None:
    """Maps drawn (their data loaded), so axe sees the markers and the list they write."""
    page.wait_for_load_state("load")
    app = page.locator(".map-app")
    if app.count():
        expect(app).to_have_attribute("data-state", "ready")
    if page.locator("#structure-map").count():
        expect(page.locator("#structure-map path.leaflet-interactive")).to_have_count(1)


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_every_public_page_has_no_axe_violation_and_a_title_naming_it(browser, live_server, request, demo_86_87,
                                                                      device):
    context, page = _new_page(browser, request, DESKTOP if device == "desktop" else PHONE)
    try:
        found = {}
        for name, (url, title) in public_pages(live_server).items():
            page.goto(live_server.url + url)
            settled(page)
            assert title in page.title(), (name, page.title())
            found[name] = violations(page)
        assert {name: v for name, v in found.items() if v} == {}
    finally:
        context.close()


def tab_until(page, predicate, limit: int = 80) -> int:
    """Press Tab until `predicate(page)` holds; the number of presses."""
    for count in range(1, limit + 1):
        page.keyboard.press("Tab")
        if predicate(page):
            return count
    raise AssertionError("never reached")


def focused(page, script: str):
    return page.evaluate(f"(() => {{ const el = document.activeElement; return {script}; }})()")


def test_from_the_home_a_skip_link_leads_to_the_first_result(page, live_server, directory):
    page.goto(live_server.url + "/")
    presses = tab_until(page, lambda p: focused(p, "el.textContent.trim()") == "Aller aux résultats")
    assert presses == 2  # right after « Aller au contenu »
    expect(page.locator(":focus")).to_be_visible()
    page.keyboard.press("Enter")
    first_href = page.locator(".result__title a").first.get_attribute("href")
    # Past the filters: only the sort menu stands between the skip link and the first result (was Tab 70).
    presses = tab_until(page, lambda p: focused(p, "el.getAttribute('href')") == first_href, limit=5)
    assert presses <= 2


def test_the_embed_is_crossed_by_keyboard_with_a_skip_link_and_one_stop_for_the_map(page, live_server, demo_86_87):
    page.goto(live_server.url + "/embed/carte/?departement=87")
    expect(page.locator(".map-app")).to_have_attribute("data-state", "ready")
    # The first answer is for the opening view (France); the map then fits the département and reloads.
    expect(page.locator(".map-pin, .map-cluster").nth(10)).to_be_attached()
    # No marker is a Tab stop in the embed; the map's box is one, named.
    assert page.locator(".map-pin[tabindex], .map-cluster[tabindex]").count() == 0
    container = page.locator("#carte")
    assert container.get_attribute("tabindex") == "0" and "flèches" in container.get_attribute("aria-label")
    # The skip link comes before the map and lands on the list.
    tab_until(page, lambda p: focused(p, "el.classList.contains('skip-link--map')"))
    expect(page.locator(":focus")).to_be_visible()
    page.keyboard.press("Tab")
    expect(container).to_be_focused()
    # From the map to the list: only the map's own controls (zoom, legend, credits) in between, no marker.
    presses = tab_until(page, lambda p: focused(p, "!!el.closest('.map-results')"), limit=8)
    assert presses <= 6
    # The skip link: Enter jumps past the map to the list of places.
    page.locator(".skip-link--map").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert focused(page, "!!el.closest('.map-results')")
    # Keyboard zoom and pan on the map's box reload the places in view.
    container.focus()
    zoom = int(page.locator(".map-app").get_attribute("data-zoom"))
    page.keyboard.press("+")
    expect(page.locator(".map-app")).to_have_attribute("data-zoom", str(zoom + 1))
    expect(page.locator(".map-app")).to_have_attribute("data-state", "ready")
    centre = page.evaluate("() => document.querySelector('.leaflet-map-pane').style.transform")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(before) => document.querySelector('.leaflet-map-pane').style.transform !== before",
                           arg=centre)


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_focused_pin_of_the_map_stays_on_screen(browser, live_server, request, demo_86_87, device):
    context, page = _new_page(browser, request, DESKTOP if device == "desktop" else PHONE)
    try:
        page.goto(live_server.url + "/carte/?commune=87085")
        expect(page.locator(".map-app")).to_have_attribute("data-state", "ready")
        pins = page.locator(".map-pin[tabindex='0']")
        assert pins.count() >= 1
        tab_until(page, lambda p: focused(p, "el.classList.contains('map-pin')"), limit=200)
        for _ in range(3):
            box = page.evaluate("""() => {
                const pin = document.activeElement.getBoundingClientRect();
                const map = document.querySelector('#carte');
                const box = map.getBoundingClientRect();
                return {pin: [pin.left, pin.top, pin.right, pin.bottom],
                        map: [box.left, box.top, box.right, box.bottom],
                        scroll: map.scrollTop + map.scrollLeft, height: window.innerHeight, width: window.innerWidth};
            }""")
            left, top, right, bottom = box["pin"]
            assert box["scroll"] == 0
            # On the screen and inside the map's box (not scrolled out of it, nor the page scrolled away).
            assert 0 <= top and bottom <= box["height"] and 0 <= left and right <= box["width"], box
            assert box["map"][0] <= left and right <= box["map"][2] and box["map"][1] <= top and bottom <= box["map"][3]
            page.keyboard.press("Tab")
            if not focused(page, "el.classList.contains('map-pin')"):
                break
    finally:
        context.close()


def test_the_qpv_list_of_a_departement_scrolls_with_the_keyboard(page, live_server, demo_86_87):
    page.goto(live_server.url + "/territoires/departements/87/")
    region = page.locator(".territory-qpv__list")
    assert region.get_attribute("tabindex") == "0" and region.get_attribute("role") == "region"
    assert region.get_attribute("aria-label")
    assert page.evaluate("() => { const r = document.querySelector('.territory-qpv__list');"
                         " return r.scrollHeight > r.clientHeight; }")
    region.focus()
    page.keyboard.press("PageDown")
    page.wait_for_function("() => document.querySelector('.territory-qpv__list').scrollTop > 0")


def test_the_detail_map_marker_has_a_name(page, live_server, directory):
    place = directory["mediatheque"]
    page.goto(live_server.url + place.get_absolute_url())
    marker = page.locator("#structure-map path.leaflet-interactive")
    expect(marker).to_have_attribute("role", "img")
    expect(marker).to_have_attribute("aria-label", f"Emplacement de {place.display_name}")
