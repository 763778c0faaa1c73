"""The diagnostic as a coordinator uses it: on a phone, and printed for a meeting."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_the_printable_summary_of_haute_vienne_fits_one_a4_page(page, live_server, demo_86_87):
    page.goto(f"{live_server.url}/territoires/departements/87/diagnostic/")
    expect(page.locator("h1")).to_contain_text("Haute-Vienne")
    page.get_by_role("link", name="Version imprimable (1 page)").click()
    expect(page.locator("h1")).to_contain_text("Diagnostic de l'inclusion numérique : Haute-Vienne")
    expect(page.locator(".diagnostic-coverage").first).to_contain_text("L'annuaire couvre")
    expect(page.get_by_role("heading", name="Définitions")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(re.compile(r"au \d{4}-\d{2}-\d{2}"))  # a French date
    assert [v["id"] for v in Axe().run(page).response["violations"]] == []
    page.screenshot(path="/tmp/h24-print.png", full_page=True)
    page.emulate_media(media="print")
    assert pdf_pages(page.pdf(format="A4", print_background=True)) == 1


def test_the_diagnostic_reads_on_a_phone_without_sideways_scrolling(phone_page, live_server, demo_86_87):
    phone_page.goto(f"{live_server.url}/territoires/epci/200069854/diagnostic/")
    expect(phone_page.locator(".diagnostic-map svg circle").first).to_be_attached()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(phone_page.locator(".diagnostic-coverage").first).to_contain_text("L'annuaire couvre")
    expect(phone_page.get_by_role("heading", name="Définitions")).to_be_attached()
    violations = [v["id"] for v in Axe().run(phone_page).response["violations"]]
    assert violations == []
    phone_page.screenshot(path="/tmp/h24-phone.png", full_page=True)


def test_choosing_an_indicator_redraws_the_map_and_sorting_reorders_the_table(page, live_server, demo_86_87):
    page.goto(f"{live_server.url}/territoires/epci/200069854/diagnostic/")
    page.screenshot(path="/tmp/h24-desktop.png", full_page=True)
    assert [v["id"] for v in Axe().run(page).response["violations"]] == []
    page.get_by_label("Indicateur").select_option("nearest_km")
    page.get_by_role("button", name="Afficher").first.click()
    expect(page).to_have_url(re.compile(r"indicateur=nearest_km"))
    expect(page.locator("#map-caption")).to_contain_text("Distance au lieu le plus proche")
    page.locator(".diagnostic-table").first.get_by_role("link", name=re.compile("Lieux")).first.click()
    expect(page).to_have_url(re.compile(r"tri=places"))
    first_rows = page.locator(".diagnostic-table").first.locator("tbody tr td:nth-child(3)")
    counts = [int(text) for text in first_rows.all_inner_texts()]
    assert counts == sorted(counts)
