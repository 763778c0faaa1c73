"""Hostile data in Chromium: every public page type and the admin show markup as text, run no script from the
data, and break no rule of the Content-Security-Policy while still drawing their maps."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from actors.models import CorrectionReport, Structure
from territories.models import QPV
from tests.fixtures.hostile import payload

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]

PASSWORD = "mot-de-passe-tres-long-42"  # noqa: S105 - a test account
# Each violation is logged by the page itself, with the directive and the blocked sample, as a console error.
REPORT_VIOLATIONS = """
document.addEventListener('securitypolicyviolation', function (event) {
  console.error('CSP violation: ' + event.violatedDirective + ' ' + event.blockedURI + ' ' + (event.sample || ''));
});
"""


class Watch:
    """Everything a page did that data must never make it do: dialogs, a set `window.__pwned`, CSP violations."""

    def __init__(self, page):
        self.page = page
        self.dialogs: list[str] = []
        self.violations: list[str] = []
        self.errors: list[str] = []
        page.add_init_script(REPORT_VIOLATIONS)
        page.on("dialog", self._dialog)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _dialog(self, dialog):
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _console(self, message):
        if "Content Security Policy" in message.text or message.text.startswith("CSP violation"):
            self.violations.append(f"{self.page.url}: {message.text}")

    def goto(self, url: str):
        response = self.page.goto(url)
        assert response.status == 200, f"{url}: {response.status}"
        expect(self.page.locator("body")).to_be_visible()
        return response

    def assert_clean(self, where: str) -> None:
        self.page.wait_for_load_state("load")
        pwned = self.page.evaluate("window.__pwned || null")
        assert pwned is None, f"{where}: script from the data ran ({pwned})"
        assert not self.dialogs, f"{where}: dialogs opened {self.dialogs}"
        assert not self.violations, f"{where}: {self.violations}"
        assert not self.errors, f"{where}: JavaScript errors {self.errors}"


@pytest.fixture
def watch(page):
    yield Watch(page)
    cache.clear()  # the correction and the logins counted here must not limit later tests


def tiles_drawn(map_selector: str, page) -> None:
    expect(page.locator(f"{map_selector} .leaflet-tile-loaded").first).to_be_attached()


def test_hostile_places_run_no_script_and_keep_every_public_page_working(page, watch, live_server,
                                                                        hostile_places):
    base = live_server.url
    centre, quartier = hostile_places["centre"], hostile_places["quartier"]

    watch.goto(f"{base}/")
    titles = page.locator(".result__title a")
    expect(titles).to_have_count(2)
    expect(titles.filter(has_text=centre.nom)).to_have_count(1)  # the markup is shown as text
    watch.assert_clean("list")

    watch.goto(f"{base}/lieux/?q=Espace&services=aide-aux-demarches-administratives&tri=nom")
    watch.assert_clean("filtered list")

    for place in (centre, quartier):
        watch.goto(base + place.get_absolute_url())
        expect(page.locator("h1")).to_have_text(place.nom)
        marker = page.locator("#structure-map path.leaflet-interactive")
        marker.hover()
        expect(page.locator(".leaflet-tooltip")).to_have_text(place.nom)
        tiles_drawn("#structure-map", page)
        watch.assert_clean(f"detail of {place.source_id}")

        watch.goto(base + reverse("actors:referral_sheet", args=[place.slug]))
        watch.assert_clean(f"referral sheet of {place.source_id}")

        watch.goto(base + reverse("actors:correction", args=[place.slug]))
        watch.assert_clean(f"correction form of {place.source_id}")

    watch.goto(f"{base}/orientation/?lieux={centre.slug}&lieux={quartier.slug}")
    watch.assert_clean("referral of two places")

    for url in ("/carte/?commune=86194", "/embed/carte/?commune=86194"):
        watch.goto(base + url)
        expect(page.locator(".map-app[data-state=ready]")).to_have_count(1)
        tiles_drawn("#carte", page)
        markers = page.locator(".leaflet-marker-icon.map-pin")
        expect(markers).to_have_count(2)
        expect(page.locator("#map-list .map-item__name").filter(has_text=centre.nom)).to_have_count(1)
        popup_name = page.locator(".leaflet-popup-content .map-popup__name")
        for index in range(2):
            # The pan a popup makes reloads the view: its markers are redrawn, so click once it is drawn. On a
            # busy machine a click can still meet a marker being redrawn: a person clicks again, so does this.
            for _attempt in range(3):
                expect(page.locator(".map-app[data-state=ready]")).to_have_count(1)
                markers.nth(index).click()
                try:
                    popup_name.wait_for(timeout=5000)
                    break
                except PlaywrightTimeout:
                    continue
            expect(popup_name).to_have_text(re.compile("^Espace <img src=x onerror="))
            page.locator(".leaflet-popup-close-button").click()
            page.locator("#map-list .map-item").nth(index).hover()
        watch.assert_clean(url)

    qpv = QPV.objects.get()
    for url in ("/territoires/communes/86194/", "/territoires/epci/200069854/", "/territoires/departements/86/"):
        watch.goto(base + url)
        expect(page.locator("#territory-map[data-ready=true]")).to_be_visible()
        tiles_drawn("#territory-map", page)
        page.locator("#territory-map path.leaflet-interactive").first.hover()
        tooltip = page.locator(".leaflet-tooltip")
        expect(tooltip).to_have_text(f"{qpv.name} ({qpv.code})")
        watch.assert_clean(url)

    watch.goto(f"{base}/territoires/?q=CU")
    expect(page.locator(".territory-results")).to_contain_text("CU <img src=x")
    watch.assert_clean("territory search")


def test_hostile_places_run_no_script_in_the_admin_and_its_map_widget_still_drags(page, watch, live_server,
                                                                                  hostile_places,
                                                                                  django_user_model):
    django_user_model.objects.create_superuser("admin@example.org", "admin@example.org", PASSWORD)
    base = live_server.url
    place = hostile_places["centre"]
    watch.goto(base + reverse("admin:login"))
    page.fill("#id_username", "admin@example.org")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
    watch.assert_clean("admin index")

    watch.goto(base + reverse("admin:actors_structure_changelist"))
    expect(page.locator("#result_list")).to_contain_text("Espace <img src=x")
    watch.assert_clean("structure change list")

    watch.goto(base + reverse("admin:actors_structure_change", args=[place.pk]))
    expect(page.locator("#id_nom")).to_have_value(place.nom)
    marker = page.locator(".leaflet-marker-icon.leaflet-marker-draggable")
    expect(marker).to_have_count(1)
    tiles_drawn(".leaflet-container", page)
    expect(page.locator(".coord-hours-preview")).to_contain_text("Aperçu")
    marker.scroll_into_view_if_needed()
    box = marker.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] - 4
    page.mouse.move(x, y)
    page.mouse.down()
    page.mouse.move(x + 40, y + 20, steps=8)
    page.mouse.up()
    page.wait_for_function("document.querySelector('#id_location').value.indexOf('Point') !== -1")
    watch.assert_clean("structure change form")

    watch.goto(base + reverse("admin:actors_structure_history", args=[place.pk]))
    watch.assert_clean("structure history")

    watch.goto(base + reverse("admin:territories_qpv_changelist"))
    watch.assert_clean("QPV change list")


def test_a_hostile_name_proposed_by_a_correction_and_accepted_runs_no_script_on_the_detail_page(
        page, watch, live_server, detail_places, django_user_model):
    """The attack as reported: an anonymous correction, accepted by a coordinator, then a hover on the marker."""
    django_user_model.objects.create_superuser("admin@example.org", "admin@example.org", PASSWORD)
    base = live_server.url
    place = detail_places["rich"]
    name = payload("correction")
    watch.goto(base + reverse("actors:correction", args=[place.slug]))
    page.get_by_label("Nom du lieu", exact=True).check()
    page.fill("#id_proposed_value", name)
    page.get_by_role("button", name="Envoyer le signalement").click()
    page.wait_for_url(re.compile(re.escape(place.get_absolute_url()) + "$"))
    report = CorrectionReport.objects.get(structure=place)

    watch.goto(base + reverse("admin:login"))
    page.fill("#id_username", "admin@example.org")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
    watch.goto(base + reverse("admin:actors_correctionreport_change", args=[report.pk]))
    watch.assert_clean("correction report in the admin")
    page.click("input[name=_accept]")
    page.wait_for_selector(".messagelist .success")
    assert Structure.objects.get(pk=place.pk).nom == name

    watch.goto(base + place.get_absolute_url())
    page.locator("#structure-map path.leaflet-interactive").hover()
    expect(page.locator(".leaflet-tooltip")).to_have_text(name)
    watch.assert_clean("detail page after the accepted correction")


def test_an_inline_script_injected_into_a_page_is_refused_by_the_policy(page, live_server, hostile_places):
    """Should some markup ever slip through, the policy still refuses inline handlers and inline scripts."""
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(live_server.url + hostile_places["centre"].get_absolute_url())
    page.evaluate("""() => {
        document.body.insertAdjacentHTML('beforeend', '<img src=x onerror="window.__pwned=1;alert(1)">');
        const script = document.createElement('script');
        script.textContent = 'window.__pwned = 2';
        document.body.appendChild(script);
    }""")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.__pwned || null") is None
    assert not dialogs
