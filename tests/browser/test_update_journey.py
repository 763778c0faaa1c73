"""Issue 15, « Done when »: a coordinator of 87 asks three places for an update; the test's SMTP server receives
the three e-mails; one place confirms, one proposes new Saturday hours the coordinator accepts, one link has
expired; the public pages then show « vérifié le … », the new Saturday hours, and « À vérifier »."""

import datetime as dt
import re
import time
from unittest import mock

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core import signing
from django.urls import reverse
from opening_hours import OpeningHours, State

from actors.models import CorrectionReport, Structure
from tests.browser.test_coordination import sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]
LINK = re.compile(r"https?://\S+?(/mise-a-jour/[^/\s]+/)")


@pytest.fixture
def inbox(smtp_server):
    """The test's SMTP server (tests/fixtures/campaigns.py) and what it received."""
    return smtp_server


def link_in(message) -> str:
    return LINK.search(message.get_body(preferencelist=("plain",)).get_content()).group(1)


class Later:
    """The clock of django.core.signing, 61 days on: every link given today has expired (60 days)."""

    @staticmethod
    def time() -> float:
        return time.time() + 61 * 86400


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [v["id"] for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def saturday_oracle(horaires: str) -> str:
    """The next Saturday's intervals read by opening-hours-py, as the public table writes them."""
    today = dt.date.today()
    saturday = today + dt.timedelta(days=(5 - today.weekday()) % 7 or 7)
    start = dt.datetime.combine(saturday, dt.time())
    parts = [f"{begin.hour}:{begin.minute:02d}–{stop.hour}:{stop.minute:02d}"
             for begin, stop, state, _comment in OpeningHours(horaires, country="FR").intervals(
                 start, start + dt.timedelta(days=1)) if state == State.OPEN]
    return ", ".join(parts)


def test_a_campaign_of_87_confirmed_corrected_and_expired(page, live_server, limoges_and_bordeaux, inbox):
    base = live_server.url
    confirms, corrects, expires = limoges_and_bordeaux["places"]
    sign_in(page, base, "coord87@example.org")

    # The coordinator selects the three places of 87 and sends the update request.
    page.goto(base + reverse("admin:actors_structure_changelist"))
    for structure in (confirms, corrects, expires):
        page.check(f"input[name=_selected_action][value='{structure.pk}']")
    page.select_option("select[name=action]", "request_update")
    page.click("button[name=index]")
    # First the page saying who would be written to; nothing has left yet.
    page.wait_for_selector("input[name=_send]")
    assert all(s.courriels in page.locator("#content-main").inner_text() for s in (confirms, corrects, expires))
    assert inbox.messages == []
    page.click("input[name=_send]")
    page.wait_for_selector(".messagelist .success")
    assert "3 demandes de mise à jour envoyées" in page.locator(".messagelist").inner_text()

    assert sorted(rcpt[0] for rcpt, _message in inbox.messages) == sorted(
        s.courriels for s in (confirms, corrects, expires))
    links = {rcpt[0]: link_in(message) for rcpt, message in inbox.messages}

    # 1. « Rien n'a changé ».
    page.goto(base + links[confirms.courriels])
    page.get_by_role("button", name="Rien n'a changé").click()
    page.wait_for_selector("text=est confirmée")

    # 2. New Saturday hours, read back in French as they are typed.
    page.goto(base + links[corrects.courriels])
    page.click("summary:has-text('Corriger')")
    page.uncheck("#id_day_5_closed")
    page.fill("#id_day_5_open1", "10:00")
    page.fill("#id_day_5_close1", "12:30")
    page.wait_for_function(
        "document.getElementById('hours-preview').textContent.includes('samedi 10:00–12:30')")
    assert page.locator("#hours-preview").inner_text() == "du lundi au vendredi 9:00–12:00 ; samedi 10:00–12:30"
    assert serious_violations(page) == []
    page.click("button[name=correct]")
    page.wait_for_selector("text=transmise à la coordination")

    # 3. The third link has expired (61 days later): explained in French, with a way to get a new one.
    with mock.patch.object(signing, "time", Later):
        page.goto(base + links[expires.courriels])
        assert page.locator("h1").inner_text() == "Ce lien a expiré"
        assert serious_violations(page) == []
        page.get_by_role("button", name="Recevoir un nouveau lien").click()
        page.wait_for_selector("text=Demande enregistrée")
    assert [rcpt for rcpt, _message in inbox.messages[3:]] == [[expires.courriels]]  # its public address only

    # The coordinator accepts the Saturday hours from the moderation queue.
    page.goto(base + reverse("admin:actors_correctionreport_changelist"))
    page.locator("#result_list a", has_text=corrects.nom).first.click()
    table = page.locator("table.coord-proposal")
    assert "samedi 10:00–12:30" in table.inner_text() and "Mo-Fr 09:00-12:00" in table.inner_text()
    page.click("input[name=_decide_proposal]")
    page.wait_for_selector(".messagelist .success")

    # The public pages.
    horaires = Structure.objects.get(pk=corrects.pk).horaires
    assert CorrectionReport.objects.get(structure=corrects, field="horaires").status == "accepted"
    assert saturday_oracle(horaires) == "10:00–12:30"
    for structure, verified in ((confirms, True), (corrects, True), (expires, False)):
        page.goto(base + structure.get_absolute_url())
        text = page.locator("main").inner_text()
        # The place's own « Rien n'a changé » is its word; an accepted proposal was checked by the coordination.
        said = {confirms: "Confirmé par le lieu le", corrects: "Vérifié par la coordination le"}.get(structure)
        assert (said in text) if said else ("Confirmé par le lieu" not in text and "Vérifié par la" not in text)
        assert ("À vérifier" in text) is not verified, structure.nom
    page.goto(base + corrects.get_absolute_url())
    saturday = page.locator(".hours-table tr", has=page.locator("th", has_text="Samedi"))
    assert saturday.locator("td").inner_text() == saturday_oracle(horaires)
