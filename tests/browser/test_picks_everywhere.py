"""A place is picked for the referral sheet from its page and from its map popup, into the same store as the
list's boxes: the list, the map and the sheet then agree on the picks."""
import re

import pytest
from playwright.sync_api import expect

from tests.fixtures.map import map_ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_places_picked_on_a_page_and_in_a_popup_join_the_list_and_print_on_one_sheet(page, live_server,
                                                                                      directory):
    mediatheque, ccas = directory["mediatheque"], directory["ccas"]
    page.goto(live_server.url + mediatheque.get_absolute_url())
    pick = page.get_by_role("button", name="Choisir pour la fiche")
    pick.click()
    expect(page.get_by_role("button", name="Retirer de la fiche")).to_have_attribute("aria-pressed", "true")
    bar = page.locator("[data-referral]")
    expect(bar.locator("[data-referral-status]")).to_have_text("1 lieu choisi")
    expect(bar.locator("[data-referral-names]")).to_have_text(mediatheque.display_name)

    page.goto(f"{live_server.url}/carte/?commune=86194")
    app = map_ready(page)
    # The place's page pick is already in the map page's bar.
    expect(page.locator("[data-referral-status]")).to_have_text("1 lieu choisi")
    page.locator(f".leaflet-marker-icon.map-pin[title=\"{ccas.display_name}\"]").click()
    expect(app).to_have_attribute("data-popup", str(ccas.pk))
    map_ready(page)
    popup_pick = page.locator(".leaflet-popup").get_by_role("button", name="Choisir pour la fiche")
    popup_pick.click()
    expect(page.locator(".leaflet-popup [data-pick-toggle]")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("[data-referral-status]")).to_have_text("2 lieux choisis")
    link = page.locator("[data-referral-link]")
    expect(link).to_have_attribute("href", re.compile(rf"lieux={mediatheque.slug}&lieux={ccas.slug}$"))

    # The list shows both picks ticked, and its bar sends both to the sheet.
    page.goto(live_server.url + "/")
    expect(page.locator(f"[data-referral-pick][value=\"{mediatheque.slug}\"]")).to_be_checked()
    expect(page.locator(f"[data-referral-pick][value=\"{ccas.slug}\"]")).to_be_checked()
    expect(page.locator("[data-referral-status]")).to_have_text("2 lieux choisis")
    page.locator("[data-referral-submit]").click()
    page.wait_for_url(re.compile(r"/orientation/"))
    expect(page.locator("h1").first).to_contain_text("2 lieux")
    for place in (mediatheque, ccas):
        expect(page.get_by_role("heading", name=place.display_name)).to_be_visible()

    # Back on the map, the popup's button says the place is picked, and removing it there updates the bar.
    page.goto(f"{live_server.url}/carte/?commune=86194")
    map_ready(page)
    page.locator(f".leaflet-marker-icon.map-pin[title=\"{ccas.display_name}\"]").click()
    remove = page.locator(".leaflet-popup").get_by_role("button", name="Retirer de la fiche")
    expect(remove).to_have_attribute("aria-pressed", "true")
    map_ready(page)
    remove.click()
    expect(page.locator("[data-referral-status]")).to_have_text("1 lieu choisi")


def test_the_embed_offers_no_pick(page, live_server, directory):
    page.goto(f"{live_server.url}/embed/carte/?commune=86194")
    map_ready(page)
    page.locator(".leaflet-marker-icon.map-pin").first.click()
    expect(page.locator(".leaflet-popup .map-popup__link")).to_have_count(1)
    expect(page.locator("[data-pick-toggle], [data-referral]")).to_have_count(0)
