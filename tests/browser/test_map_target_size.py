"""Every marker, group circle and control of the map keeps a 24×24 px target (WCAG 2.5.8), checked by axe's
`target-size` rule (off by default in axe 4) on the demo, at the views a resident meets first."""
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.fixtures.browser import DESKTOP, PHONE, _new_page

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

VIEWS = ["/carte/", "/carte/?departement=87", "/carte/?commune=87085", "/carte/?departement=86",
         "/embed/carte/", "/embed/carte/?departement=87"]


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_no_marker_group_or_control_of_the_map_is_under_24_px(browser, live_server, request, demo_86_87, device):
    context, page = _new_page(browser, request, DESKTOP if device == "desktop" else PHONE)
    try:
        found = {}
        for url in VIEWS:
            page.goto(live_server.url + url)
            expect(page.locator(".map-app[data-state=ready]")).to_have_count(1)
            # Something to check: the demo's groups and pins are drawn.
            assert page.locator(".map-cluster, .map-pin").count() >= 1, url
            response = Axe().run(page, options={"runOnly": {"type": "rule", "values": ["target-size"]}}).response
            found[url] = [(v["id"], [n["target"] for n in v["nodes"]]) for v in response["violations"]]
        assert {url: v for url, v in found.items() if v} == {}
    finally:
        context.close()
