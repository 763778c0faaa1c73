import re

import pytest
from playwright.sync_api import expect

from territories.models import QPV, Commune

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_the_page_of_poitiers_draws_the_map_and_every_qpv_perimeter(page, live_server,
                                                                   territories_vienne_haute_vienne):
    qpv_count = QPV.objects.filter(communes="86194").count()
    assert qpv_count == 4
    page.goto(f"{live_server.url}/territoires/communes/86194/")
    expect(page.locator("h1")).to_have_text("Poitiers")
    expect(page.locator("#territory-map[data-ready=true]")).to_be_visible()
    expect(page.locator("#territory-map path.leaflet-interactive")).to_have_count(qpv_count)
    expect(page.locator(".territory-qpv__list tbody tr")).to_have_count(qpv_count)
    expect(page.locator(".territory-qpv__list")).to_contain_text("Couronneries Saint-Eloi")


def test_a_resident_finds_poitiers_from_the_header_search_box(page, live_server, territories_vienne_haute_vienne):
    page.goto(f"{live_server.url}/territoires/communes/87085/")
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Territoires").click()
    page.get_by_label("Commune, intercommunalité, département ou quartier prioritaire").fill("poitiers")
    page.get_by_role("button", name="Chercher").click()
    expect(page.get_by_role("status")).to_contain_text("pour « poitiers »")
    page.locator(".territory-results").get_by_role("link", name="Poitiers", exact=True).click()
    expect(page).to_have_url(re.compile(r"/territoires/communes/86194/$"))
    page.get_by_role("link", name="Vienne (86)").first.click()
    page.get_by_text("Voir les").click()
    page.get_by_label("Filtrer les communes").fill("chatellerault")
    expected = Commune.objects.filter(departement="86", name_folded__contains="chatellerault").count()
    assert 0 < expected < 5
    expect(page.locator("#communes-list li:visible")).to_have_count(expected)
    expect(page.locator("#communes-list li:visible").first).to_contain_text("Châtellerault")
    expect(page.locator("#communes-status")).to_have_text(f"{expected} commune(s) affichée(s)")


def test_the_page_of_poitiers_is_usable_on_a_phone(phone_page, live_server, territories_vienne_haute_vienne):
    phone_page.goto(f"{live_server.url}/territoires/communes/86194/")
    expect(phone_page.locator("#territory-map path.leaflet-interactive")).to_have_count(4)
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
