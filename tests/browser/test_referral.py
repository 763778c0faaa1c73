"""Journey (a), the detail/referral side: a place's page, its status and hours, then its printable sheet."""

import re
from urllib.parse import unquote

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from actors.models import Structure
from territories.models import Commune
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
    # The page's own loads (the favicon, the web app manifest) finish first: only what copying asks counts.
    page.wait_for_load_state("networkidle")
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.get_by_text("Texte prêt à copier").click()
    page.get_by_role("button", name="Copier le texte").click()
    page.get_by_text("Texte copié").wait_for()
    assert "Médiathèque François-Mitterrand" in page.evaluate("navigator.clipboard.readText()")
    assert requests == []


def fill_visit(page):
    page.get_by_label("Orienté(e) par").fill("Camille Martin")
    page.get_by_label("Structure", exact=True).fill("CCAS de Limoges")
    page.get_by_label("Rendez-vous le").fill("2026-12-03")
    page.get_by_label("Heure", exact=True).fill("14:30")
    page.get_by_label("Note pour la personne").fill("Apportez votre carte Vitale.")


def test_three_places_picked_in_a_list_print_on_two_a4_pages_at_most_with_the_appointment(page, live_server,
                                                                                          detail_places):
    slugs = [detail_places[name].slug for name in ["ccas", "rich", "bus"]]
    page.goto(live_server.url + "/orientation/?" + "&".join(f"lieux={slug}" for slug in slugs))
    assert page.locator(".referral-sheet").count() == 3
    assert page.locator(".referral-sheet__qr svg").count() == 3
    fill_visit(page)
    pdf = page.pdf(format="A4")
    # Type of 10 pt (issue 23) instead of 8.5 pt: three places take two pages, not one.
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) <= 2
    page.emulate_media(media="print")
    # Printed in the page's language, whatever the browser's own date format.
    expect(page.locator("[data-visit-print=visit-date]")).to_have_text("jeudi 3 décembre 2026")
    expect(page.locator("[data-visit-print=visit-time]")).to_have_text("14:30")
    expect(page.locator("[data-visit-print=visit-note]")).to_be_visible()
    expect(page.locator("#visit-note")).to_be_hidden()


def test_the_appointment_fields_are_never_sent_but_join_the_email_and_sms_texts(page, live_server, detail_places):
    page.goto(live_server.url + f"/orientation/?lieux={detail_places['rich'].slug}")
    page.wait_for_load_state("networkidle")  # the favicon and the manifest are the page's own loads
    requests = []
    page.on("request", lambda request: requests.append(request.url + (request.post_data or "")))
    fill_visit(page)
    assert page.locator("[data-visit] input[name], [data-visit] textarea[name]").count() == 0
    assert page.locator("[data-visit]").evaluate("node => node.closest('form')") is None
    mail = page.get_by_role("link", name="Envoyer par courriel").get_attribute("href")
    sms = page.get_by_role("link", name="Envoyer par SMS").get_attribute("href")
    for href in (mail, sms):
        text = unquote(href)
        assert "Orienté(e) par : Camille Martin" in text
        assert "Rendez-vous le : jeudi 3 décembre 2026" in text
        assert "Apportez votre carte Vitale." in text
    assert "Camille Martin" in page.locator("#referral-message").input_value()
    assert requests == []


def test_the_detail_page_reads_well_on_a_phone(phone_page, live_server, detail_places):
    phone_page.goto(live_server.url + detail_places["bus"].get_absolute_url())
    assert "Position approximative" in phone_page.content()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    assert serious_violations(phone_page) == []


@pytest.fixture
def haute_vienne_demo(territories_vienne_haute_vienne, terms):
    """The shipped demo places of the Haute-Vienne (87), restored as `manage.py load_demo` does."""
    from actors.devdata import demo

    data = demo.read_snapshot()
    known = set(Commune.objects.values_list("pk", flat=True))
    records = [r for r in data["structures"]
               if r["commune"] and r["commune"].startswith("87") and set(r["service_area"]) <= known]
    keys = {(r["source"], r["source_id"]) for r in records}
    pairs = [p for p in data["duplicates"] if tuple(p[0]) in keys and tuple(p[1]) in keys]
    demo.restore({"structures": records, "duplicates": pairs})


def free_saturday_paperwork_places(commune: str):
    return (Structure.objects.published().in_commune(commune).with_term("frais_a_charge", ["gratuit"])
            .with_term("services", ["aide-aux-demarches-administratives"]).filter(slots__weekday=5).distinct())


def find_refer_and_print(page, live_server, commune: str) -> None:
    """Journey (a): list filtered on a commune, free, open on Saturday, paperwork; open one; print its sheet."""
    page.goto(live_server.url + f"/?commune={commune}")
    page.locator("input[name=frais][value=gratuit]").first.check()
    page.locator("input[name=services][value=aide-aux-demarches-administratives]").first.check()
    page.locator("select[name=jour]").first.select_option("samedi")
    page.get_by_role("button", name="Appliquer les filtres").first.click()
    page.wait_for_url(re.compile(r"jour=samedi"))
    results = page.locator(".result__title a")
    assert results.count() >= 1

    results.first.click()
    page.wait_for_url(re.compile(r"/lieux/[-\w]+/$"))
    assert re.search(r"Ouvert|Fermé|Ouvre", page.locator(".structure__summary .opening-status").inner_text())
    saturday = page.locator("table.hours-table tr", has_text="Samedi")
    assert re.search(r"\d{1,2}:\d{2}–\d{1,2}:\d{2}", saturday.inner_text())
    assert "Gratuit" in page.locator(".structure__summary").inner_text()
    assert "Aide aux démarches administratives" in page.content()

    page.get_by_role("link", name="Fiche d'orientation : imprimer ou envoyer").click()
    page.wait_for_url("**/fiche/")
    assert re.search(r"\d{1,2}:\d{2}–\d{1,2}:\d{2}",
                     page.locator(".referral-sheet table.hours-table tr", has_text="Samedi").inner_text())
    assert len(page.locator("svg.qr-code path").get_attribute("d")) > 500
    page.emulate_media(media="print")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"journey-a-{commune}-print.png"), full_page=True)


def test_journey_a_from_the_list_to_the_printed_sheet_in_poitiers(page, live_server, detail_places):
    assert free_saturday_paperwork_places("86194").count() == 2
    find_refer_and_print(page, live_server, "86194")


def test_journey_a_in_the_limoges_demo_data(page, live_server, haute_vienne_demo):
    # The BFM (bibliothèques) of Limoges: Saturday hours and free workshops, from the Haute-Vienne directory.
    assert free_saturday_paperwork_places("87085").count() >= 3
    find_refer_and_print(page, live_server, "87085")


def test_the_printed_sheet_is_readable_body_10_pt_warnings_9_pt_and_a_qr_code_of_25_mm(page, live_server,
                                                                                    detail_places):
    slugs = [detail_places[name].slug for name in ["ccas", "rich", "bus"]]
    page.goto(live_server.url + "/orientation/?" + "&".join(f"lieux={slug}" for slug in slugs))
    page.emulate_media(media="print")
    # CSS pixels to points and millimetres: 96 px = 72 pt = 25.4 mm (CSS 2.1).
    sizes = page.evaluate("""() => {
        const pt = (node) => parseFloat(getComputedStyle(node).fontSize) * 72 / 96;
        const all = (selector) => [...document.querySelectorAll(selector)].filter((n) => n.offsetParent !== null);
        const min = (selector) => Math.min(...all(selector).map(pt));
        return {
          body: min('.referral-sheet__body td, .referral-sheet__body th, .referral-sheet__body li, '
                    + '.referral-sheet__address, .referral-sheet__fees'),
          warnings: min('.referral-sheet__footer, .referral-sheet__freshness, .hours-table__note, '
                        + '.referral-sheet__qr figcaption'),
          qr: Math.min(...all('.referral-sheet__qr svg').map((n) => n.getBoundingClientRect().width * 25.4 / 96)),
        };
    }""")
    # 10 pt is 13.33 px: the browser rounds it to 1/64 px.
    assert sizes["body"] >= 9.99 and sizes["warnings"] >= 8.99 and sizes["qr"] >= 25, sizes
