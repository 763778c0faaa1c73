"""Journey (a), the detail/referral side: a place's page, its status and hours, then its printable sheet."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.fixtures.browser import SCREENSHOTS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def test_a_social_worker_opens_a_place_then_prints_its_referral_sheet(page, live_server, detail_places):
    structure = detail_places["rich"]
    page.goto(live_server.url + structure.get_absolute_url())

    status = page.locator(".structure__summary .opening-status")
    assert re.search(r"Ouvert|Fermé|Ouvre", status.inner_text())
    table = page.locator("table.hours-table")
    assert table.locator("tr").count() == 7
    assert "9:00–12:00, 14:00–17:30" in table.inner_text()
    assert page.locator(".hours-table__today").count() == 1
    assert page.locator("#structure-map.leaflet-container").count() == 1
    assert serious_violations(page) == []

    page.get_by_role("link", name="Fiche d'orientation : imprimer ou envoyer").click()
    page.wait_for_url("**/fiche/")
    sheet = page.locator(".referral-sheet")
    assert "9:00–12:00, 14:00–17:30" in sheet.locator("table.hours-table").inner_text()
    qr = sheet.locator("svg.qr-code")
    assert qr.count() == 1
    assert len(qr.locator("path").get_attribute("d")) > 500  # one path drawing hundreds of modules
    assert page.locator("a[href^='mailto:?subject=']").count() == 1
    assert page.locator("a[href^='sms:']").count() == 1
    assert serious_violations(page) == []

    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.get_by_role("button", name="Imprimer").is_visible()
    assert qr.is_visible() and sheet.locator("table.hours-table").is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "referral-print.png"), full_page=True)


def test_the_ready_made_text_can_be_copied_without_any_request(page, live_server, detail_places):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(live_server.url + detail_places["rich"].get_absolute_url() + "fiche/")
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.get_by_text("Texte prêt à copier").click()
    page.get_by_role("button", name="Copier le texte").click()
    page.get_by_text("Texte copié").wait_for()
    assert "Médiathèque François-Mitterrand" in page.evaluate("navigator.clipboard.readText()")
    assert requests == []


def test_three_places_picked_in_a_list_print_on_three_pages(page, live_server, detail_places):
    slugs = [detail_places[name].slug for name in ["ccas", "rich", "bus"]]
    page.goto(live_server.url + "/orientation/?" + "&".join(f"lieux={slug}" for slug in slugs))
    assert page.locator(".referral-sheet").count() == 3
    pdf = page.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 3


def test_the_detail_page_reads_well_on_a_phone(phone_page, live_server, detail_places):
    phone_page.goto(live_server.url + detail_places["bus"].get_absolute_url())
    assert "Position approximative" in phone_page.content()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert serious_violations(phone_page) == []
