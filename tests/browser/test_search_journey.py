"""Issue 21's phone journey: a need, a place and a day typed in one box, the chips of what was understood,
a chip removed, a suggestion picked with the keyboard, a place's sheet reached."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_social_worker_types_a_need_a_place_and_a_day_on_a_phone(phone_page, live_server, demo_86_87):
    page = phone_page
    page.goto(live_server.url + "/")
    page.get_by_label("Que cherchez-vous ?").fill("aide caf poitiers samedi")
    page.get_by_role("button", name="Rechercher").click()
    chips = page.get_by_role("list", name="Filtres actifs")
    expect(chips.get_by_text(re.compile(r"Commune : Poitiers"))).to_be_visible()
    saturday = chips.get_by_role("link", name=re.compile(r"Ouvert le : samedi"))
    expect(saturday).to_be_visible()
    with_saturday = page.locator("#result-count").inner_text()

    saturday.click()
    expect(page.get_by_role("list", name="Filtres actifs").get_by_text(re.compile("samedi"))).to_have_count(0)
    expect(page.get_by_label("Que cherchez-vous ?")).to_have_value("aide caf poitiers")
    count = int(re.match(r"\d+", page.locator("#result-count").inner_text()).group(0))
    assert count > 0 and page.locator("#result-count").inner_text() != with_saturday

    box = page.get_by_label("Que cherchez-vous ?")
    expect(page.locator("[data-suggest][role=combobox]")).to_have_count(1)  # the suggestions' script has run
    box.fill("")
    box.press_sequentially("mediatheque poit", delay=30)
    listbox = page.get_by_role("listbox", name="Suggestions")
    expect(listbox).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    place = listbox.get_by_role("option").filter(has_text="Lieu").first
    expect(place).to_be_visible()
    # innerText follows the kind's capitals (CSS): « LIEU Médiathèque … (Poitiers) ».
    name = re.sub(r"^lieu\s+", "", place.inner_text(), flags=re.IGNORECASE).rsplit(" (", 1)[0]
    options = listbox.get_by_role("option")
    index = [text.lower().startswith("lieu") for text in options.all_inner_texts()].index(True)
    for _step in range(index + 1):
        box.press("ArrowDown")
    expect(options.nth(index)).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.nth(index).get_attribute("id"))
    box.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def test_escape_closes_the_suggestions_and_enter_then_searches_the_words(page, live_server, demo_86_87):
    page.goto(live_server.url + "/")
    box = page.get_by_label("Que cherchez-vous ?")
    expect(page.locator("[data-suggest][role=combobox]")).to_have_count(1)  # the suggestions' script has run
    box.press_sequentially("st junien", delay=30)
    listbox = page.get_by_role("listbox", name="Suggestions")
    first = listbox.get_by_role("option").first
    expect(first).to_have_text(re.compile(r"Commune\s+Saint-Junien \(87\)", re.IGNORECASE))
    box.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"q=st\+junien"))
    expect(page.get_by_role("list", name="Filtres actifs").get_by_text(re.compile("Saint-Junien"))).to_be_visible()
