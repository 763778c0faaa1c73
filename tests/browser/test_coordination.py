"""Coordinator journeys in Chromium: drag the marker, save, revert from history; corrections reach the right queue."""

import re

import pytest
from django.urls import reverse

from actors.models import CorrectionReport, Structure
from tests.fixtures.coordination import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def sign_in(page, base: str, email: str) -> None:
    page.context.clear_cookies()
    page.goto(base + reverse("admin:login"))
    page.fill("#id_username", email)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_selector("#coord-dashboard-title")


def test_a_coordinator_drags_the_marker_saves_sees_the_history_and_reverts(page, live_server, two_territories):
    structure = two_territories["ours"]["structure"]
    original = structure.location.clone()
    sign_in(page, live_server.url, "coord86@example.org")
    page.goto(live_server.url + reverse("admin:actors_structure_change", args=[structure.pk]))
    marker = page.locator(".leaflet-marker-icon").first
    marker.wait_for()
    marker.scroll_into_view_if_needed()
    box = marker.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] - 4
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 60, y + 30, steps=12)
    page.mouse.up()
    page.wait_for_function("document.querySelector('#id_location').value.length > 0")
    assert page.locator(".coord-hours-preview").inner_text().startswith("Aperçu : du lundi au vendredi 9:00–12:00")
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    moved = Structure.objects.get(pk=structure.pk).location
    assert not moved.equals_exact(original, 1e-6)

    page.goto(live_server.url + reverse("admin:actors_structure_history", args=[structure.pk]))
    rows = page.locator("#change-history tbody tr")
    assert rows.count() >= 2
    assert "coord86@example.org" in rows.first.inner_text()
    rows.last.locator("a").first.click()
    page.click("input[name=_save]")
    page.wait_for_selector(".messagelist .success")
    reverted = Structure.objects.get(pk=structure.pk).location
    assert reverted.equals_exact(original, 1e-6)

    other = two_territories["theirs"]["structure"]
    response = page.goto(live_server.url + reverse("admin:actors_structure_change", args=[other.pk]))
    assert response.status in (403, 404)


def test_a_public_correction_reaches_its_coordinator_and_nobody_else(page, live_server, two_territories):
    structure = two_territories["ours"]["structure"]
    page.goto(live_server.url + reverse("actors:correction", args=[structure.slug]))
    page.get_by_label("Horaires").check()
    page.fill("#id_proposed_value", "Mo-Fr 10:00-18:00")
    page.fill("#id_message", "Nouveaux horaires depuis septembre")
    page.click(".correction__form button[type=submit]")
    page.wait_for_url(re.compile(re.escape(structure.get_absolute_url()) + "$"))
    report = CorrectionReport.objects.get(proposed_value="Mo-Fr 10:00-18:00")

    queue = reverse("admin:actors_correctionreport_changelist")
    sign_in(page, live_server.url, "coord86@example.org")
    page.goto(live_server.url + queue)
    assert page.locator("#result_list").get_by_text("Mo-Fr 10:00-18:00").count() == 1

    sign_in(page, live_server.url, "coord87@example.org")
    page.goto(live_server.url + queue)
    assert page.get_by_text("Mo-Fr 10:00-18:00").count() == 0
    response = page.goto(live_server.url + reverse("admin:actors_correctionreport_change", args=[report.pk]))
    assert response.status in (403, 404)
