"""Applying filters from the keyboard: Enter on a select submits, and « Voir les N résultats » follows the first
changed filter as the next Tab stop, with the number the list then shows."""
import re

import pytest
from playwright.sync_api import expect

from tests.fixtures.directory import DEMARCHES

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("fixture", ["page", "phone_page"])
def test_see_the_results_follows_the_first_changed_filter_with_the_list_s_number(request, live_server, directory,
                                                                                fixture):
    page = request.getfixturevalue(fixture)
    page.goto(live_server.url + "/")
    expect(page.locator("#filtres[data-ready=true]")).to_have_count(1)  # the list's script has run
    summary = page.locator("[data-filters] > summary")
    if page.locator("[data-filters]").get_attribute("open") is None:
        summary.click()  # folded on a phone
    box = page.locator(f"[data-filters] input[name=services][value=\"{DEMARCHES}\"]")
    box.focus()
    page.keyboard.press("Space")
    see = page.locator(".filter-see button")
    expect(see).to_have_text("Voir les 3 résultats")
    # A name of its own: the panel's « Appliquer les filtres » stays the only button so named.
    expect(page.get_by_role("button", name="Appliquer les filtres")).to_have_count(1)
    # Right after the ticked option: the next Tab stop, on screen.
    page.keyboard.press("Tab")
    expect(see).to_be_focused()
    expect(see).to_be_in_viewport()
    # A second filter changes the number, not the place of the button.
    page.locator("[data-filters] input[name=frais][value=payant]").check()
    expect(see).to_have_text("Aucun résultat : voir comment élargir")
    page.locator("[data-filters] input[name=frais][value=payant]").uncheck()
    page.locator("[data-filters] input[name=frais][value=gratuit]").check()
    expect(see).to_have_text("Voir les 2 résultats")
    expect(page.locator(".filter-see")).to_have_count(1)
    see.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"frais=gratuit"))
    expect(page.locator("#result-count")).to_have_text(re.compile(r"^\s*2 lieux trouvés\s*$"))


def test_enter_on_a_select_applies_the_filters(page, live_server, directory):
    page.goto(live_server.url + "/")
    expect(page.locator("#filtres[data-ready=true]")).to_have_count(1)  # the list's script has run
    day = page.locator("#jour")
    day.select_option("samedi")
    day.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"jour=samedi"))
    expect(page.locator("#jour")).to_have_value("samedi")
    expect(page.locator("#result-count")).to_have_text(re.compile(r"^\s*2 lieux trouvés\s*$"))
