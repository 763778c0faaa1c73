"""Keyboard on a phone: every focused element of /carte/ is visible, never under the sticky map."""
import pytest
from playwright.sync_api import expect

from tests.fixtures.map import map_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VISIBLE = """() => {
  const node = document.activeElement;
  const map = document.querySelector('.map-canvas');
  const r = node.getBoundingClientRect();
  const m = map.getBoundingClientRect();
  const inMap = map.contains(node);
  const underMap = !inMap && r.top < m.bottom && r.bottom > m.top;
  const onScreen = r.bottom > 0 && r.top < window.innerHeight && r.width > 0 && r.height > 0;
  return {name: (node.textContent || node.getAttribute('aria-label') || node.name || '').trim().slice(0, 40),
          ok: onScreen && !underMap, top: r.top, mapBottom: m.bottom};
}"""


def test_tabbing_through_the_map_page_on_a_phone_never_hides_the_focus(phone_page, live_server, directory):
    page = phone_page
    page.goto(f"{live_server.url}/carte/?departement=86")
    map_ready(page)
    hidden, seen = [], 0
    for _ in range(80):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement === document.body"):
            break
        state = page.evaluate(VISIBLE)
        seen += 1
        if not state["ok"]:
            hidden.append(state)
    assert seen >= 20 and hidden == [], (seen, hidden)


def test_leaflet_controls_speak_the_page_language(page, live_server, directory):
    page.goto(f"{live_server.url}/carte/?departement=86")
    map_ready(page)
    expect(page.locator(".leaflet-control-zoom-in")).to_have_attribute("aria-label", "Zoomer")
    expect(page.locator(".leaflet-control-zoom-out")).to_have_attribute("aria-label", "Dézoomer")
    page.locator(".leaflet-marker-icon.map-pin").first.click()
    expect(page.locator(".leaflet-popup-close-button")).to_have_attribute("aria-label", "Fermer")
