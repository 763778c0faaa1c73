import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_mediatheque_without_accents_finds_the_mediatheques(page, live_server, directory):
    page.goto(live_server.url + "/")
    page.get_by_label("Que cherchez-vous ?").fill("mediatheque")
    page.get_by_role("button", name="Rechercher").click()
    expect(page.locator("#result-count")).to_have_text("2 lieux trouvés")
    titles = page.locator(".result__title")
    expect(titles.first).to_have_text("Médiathèque François-Mitterrand")
    expect(page.get_by_text("CCAS de Poitiers")).to_have_count(0)
    assert "q=mediatheque" in page.url


def test_filters_pagination_and_the_back_button_keep_their_state(page, live_server, many_places):
    page.goto(live_server.url + "/")
    expect(page.locator("#result-count")).to_have_text("300 lieux trouvés")
    page.locator("input[name=frais][value=payant]").check()
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page.locator("#result-count")).to_have_text("100 lieux trouvés")
    assert "frais=payant" in page.url

    page.get_by_role("link", name="Suivante ›").click()
    expect(page.get_by_text("Page 2 sur 5")).to_be_visible()
    assert "frais=payant" in page.url and "page=2" in page.url
    expect(page.locator("input[name=frais][value=payant]")).to_be_checked()
    expect(page.locator("#result-count")).to_have_text("100 lieux trouvés")

    expect(page.locator("#filtres[data-ready=true]")).to_have_count(1)  # the sort submits itself once scripts run
    page.get_by_label("Trier par").select_option("verification")
    expect(page).to_have_url(re.compile(r"tri=verification"))
    assert "frais=payant" in page.url and "page=" not in page.url

    page.go_back()
    expect(page.get_by_text("Page 2 sur 5")).to_be_visible()
    page.go_back()
    expect(page.get_by_text("Page 1 sur 5")).to_be_visible()
    page.go_back()
    expect(page.locator("#result-count")).to_have_text("300 lieux trouvés")
    expect(page.locator("input[name=frais][value=payant]")).not_to_be_checked()


def test_at_most_three_places_can_be_picked_for_the_referral_sheet(page, live_server, directory):
    page.goto(live_server.url + "/")
    picks = page.locator("[data-referral-pick]")
    expect(page.get_by_role("button", name="Préparer la fiche d'orientation")).to_be_disabled()
    for index in range(3):
        picks.nth(index).check()
    expect(page.get_by_text("3 lieux choisis (3 au maximum)")).to_be_visible()
    expect(picks.nth(3)).to_be_disabled()
    page.get_by_role("button", name="Préparer la fiche d'orientation").click()
    page.wait_for_url(re.compile(r"/orientation/\?lieux=.+&lieux=.+&lieux=.+"))


def test_on_a_phone_filters_fold_and_still_apply(phone_page, live_server, directory):
    page = phone_page
    page.goto(live_server.url + "/?q=poitiers")
    filters = page.locator("[data-filters]")
    expect(filters).not_to_have_attribute("open", "")
    page.get_by_text("Filtres", exact=False).first.click()
    page.locator("input[name=services][value=aide-aux-demarches-administratives]").check()
    page.get_by_role("button", name="Appliquer les filtres").click()
    expect(page.locator("#result-count")).to_have_text("3 lieux trouvés")
    assert "services=aide-aux-demarches-administratives" in page.url and "q=poitiers" in page.url
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390


def test_the_list_has_no_serious_accessibility_violation(page, live_server, directory):
    from axe_playwright_python.sync_playwright import Axe

    page.goto(live_server.url + "/?frais=gratuit")
    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == [], [v["id"] for v in serious]


def test_picks_made_on_two_pages_stay_and_print_on_one_sheet(page, live_server, many_places):
    page.goto(live_server.url + "/")
    first = page.locator("[data-referral-pick]").first
    first_slug = first.get_attribute("value")
    first.check()
    # From the first pick the bar is on screen, next to the cards, not thousands of pixels below.
    bar = page.locator("[data-referral].is-active")
    expect(bar).to_be_visible()
    box = bar.bounding_box()
    assert 0 <= box["y"] and box["y"] + box["height"] <= 900, box
    expect(bar).to_contain_text("1 lieu choisi")
    page.locator(".pagination a").last.click()
    page.wait_for_url(re.compile(r"page=2"))
    expect(page.locator("[data-referral].is-active")).to_contain_text("1 lieu choisi")
    second = page.locator("[data-referral-pick]").nth(2)
    second_slug = second.get_attribute("value")
    second.check()
    expect(page.locator("[data-referral-status]")).to_have_text("2 lieux choisis")
    page.get_by_role("button", name="Préparer la fiche d'orientation").click()
    page.wait_for_url(re.compile(r"/orientation/\?"))
    assert page.locator(".referral-sheet").count() == 2
    assert sorted(page.url.split("?")[1].split("&")) == sorted([f"lieux={first_slug}", f"lieux={second_slug}"])
    # Back on the list, the picks are still ticked; « Tout retirer » empties them.
    page.go_back()
    expect(page.locator(f"[data-referral-pick][value='{second_slug}']")).to_be_checked()
    page.get_by_role("button", name="Tout retirer").click()
    expect(page.locator("[data-referral-pick]:checked")).to_have_count(0)
    expect(page.get_by_role("button", name="Préparer la fiche d'orientation")).to_be_disabled()
