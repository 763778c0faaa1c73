"""Issue 26's journey: a coordinator of the Vienne registers a place's agenda (iCalendar, then an OpenAgenda JSON
export) and reads it from the admin; the weekly series and the one-off show on /ateliers/ filtered by territory
and theme, on the place's page and in /ateliers.ics; the cancelled session shows nowhere; reading the agenda again
writes nothing; the pages read in French and in English. Desktop and phone screenshots."""

import functools
import http.server
import threading

import icalendar
import pytest
from django.db.models import Max
from django.urls import reverse

from actors.models import AtelierSession
from tests.fixtures.ateliers import SMARTPHONE, agenda_ics, agenda_openagenda, next_monday
from tests.fixtures.browser import SCREENSHOTS
from tests.fixtures.coordination import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


@pytest.fixture
def agenda_server(tmp_path):
    """The place's own web site, publishing its agenda on a loopback port."""
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield tmp_path, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
@pytest.mark.parametrize("kind", ["ics", "openagenda"])
def test_an_agenda_read_in_the_admin_shows_on_every_page_and_its_cancelled_session_nowhere(
        request, live_server, two_territories, agenda_server, kind, viewport):
    page = request.getfixturevalue(viewport)
    folder, base = agenda_server
    monday = next_monday()
    name = "agenda.ics" if kind == "ics" else "events.json"
    (folder / name).write_bytes(agenda_ics(monday) if kind == "ics" else agenda_openagenda(monday))
    place = two_territories["ours"]["structure"]

    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "coord86@example.org")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(live_server.url + reverse("admin:actors_atelierfeed_add"))
    page.fill("#id_structure", str(place.pk))
    page.fill("#id_url", f"{base}/{name}")
    with page.expect_navigation():
        page.click("input[name=_save]")
    page.check("input[name=_selected_action]")
    page.select_option("select[name=action]", "read_now")
    with page.expect_navigation():
        page.click("button[name=index]")
    assert "1 agenda lu." in page.locator(".messagelist").inner_text()
    written = AtelierSession.objects.aggregate(Max("updated_at"), Max("pk"))
    weekly = 5 if kind == "ics" else 3

    # The public list, by territory then by theme (the form keeps the territory).
    page.context.clear_cookies()
    page.goto(live_server.url + reverse("actors:ateliers") + "?departement=86")
    assert page.locator(".atelier").count() == weekly + 1
    page.select_option("#theme", SMARTPHONE)
    with page.expect_navigation():
        page.click("form.ateliers__filters button[type=submit]")
    assert "departement=86" in page.url and f"theme={SMARTPHONE}" in page.url
    assert page.locator(".atelier__title").all_inner_texts() == ["Smartphone pour débutants"] * weekly
    assert page.locator(".atelier__place a").first.inner_text() == place.nom
    assert "Découvrir la tablette" not in page.content()
    page.screenshot(path=SCREENSHOTS / f"ateliers-list-{kind}-{viewport}.png", full_page=True)
    page.goto(live_server.url + reverse("actors:ateliers") + "?departement=87")
    assert page.locator(".atelier").count() == 0 and "import_ateliers" in page.content()

    # The place's page, then the subscription feed.
    page.goto(live_server.url + place.get_absolute_url())
    section = page.locator("#ateliers")
    assert section.locator(".atelier").count() == min(5, weekly + 1)  # the next five sessions at most
    assert "Mes démarches CAF en ligne" in section.inner_text() and "tablette" not in section.inner_text()
    page.screenshot(path=SCREENSHOTS / f"ateliers-place-{kind}-{viewport}.png", full_page=True)
    feed = page.request.get(live_server.url + reverse("actors:ateliers_ics") + "?departement=86")
    summaries = [str(event["summary"]) for event in icalendar.Calendar.from_ical(feed.body()).walk("VEVENT")]
    assert sorted(summaries) == sorted(["Smartphone pour débutants"] * weekly + ["Mes démarches CAF en ligne"])

    # In English.
    page.goto(live_server.url + reverse("actors:ateliers") + "?departement=86")
    page.select_option("#language-select", "en")
    with page.expect_navigation():
        page.click(".language-switcher button[type=submit]")
    assert page.locator("h1").inner_text() == "Digital workshops"
    assert "upcoming sessions" in page.locator(".ateliers__count").inner_text()
    page.goto(live_server.url + place.get_absolute_url())
    assert page.locator("#ateliers-titre").inner_text() == "Upcoming workshops"

    # Reading the agenda again writes nothing.
    page.goto(live_server.url + reverse("admin:login"))
    page.fill("#id_username", "coord86@example.org")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(live_server.url + reverse("admin:actors_atelierfeed_changelist"))
    page.check("input[name=_selected_action]")
    page.select_option("select[name=action]", "read_now")
    with page.expect_navigation():
        page.click("button[name=index]")
    assert AtelierSession.objects.aggregate(Max("updated_at"), Max("pk")) == written
