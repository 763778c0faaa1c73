"""The call sheet of a campaign printed by Chromium: 30 places to call fit on a few A4 pages, one line each."""

import re

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse

from actors.campaigns import sending
from actors.models import Structure
from tests.browser.test_coordination import sign_in
from tests.fixtures.coordination import place

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_thirty_places_to_call_print_on_a_few_pages(page, phone_page, live_server, two_territories):
    limoges = two_territories["limoges"]
    for number in range(30):
        place(f"call-{number}", f"Point numérique n° {number + 1:02d}", limoges, Point(1.25 + number / 1000, 45.83),
              telephone=f"+335550000{number:02d}",
              presentation_resume="Ateliers et aide aux démarches en ligne, sur rendez-vous." if number % 2 else "")
    places = list(Structure.objects.filter(source_id__startswith="call-"))
    campaign = sending.campaign_start(label="Appels de novembre", structures=[], to_call=places)
    url = live_server.url + reverse("admin:actors_updatecampaign_call_sheet", args=[campaign.pk])

    sign_in(page, live_server.url, "coord87@example.org")
    page.goto(url)
    rows = page.locator(".call-sheet-table tbody tr")
    assert rows.count() == 30
    assert "+33555000007" in rows.nth(7).inner_text()
    page.emulate_media(media="print")
    assert not page.locator("#header").is_visible()  # the admin's header stays off the paper
    pdf = page.pdf(prefer_css_page_size=True, print_background=False)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 2 <= pages <= 6, pages

    sign_in(phone_page, live_server.url, "coord87@example.org")
    phone_page.goto(url)
    first = phone_page.locator(".call-sheet-table tbody tr").first
    assert first.bounding_box()["width"] <= 390  # one card per place on a phone, no sideways scrolling
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
