"""The API's documentation page, served from the site's own static files, runs inside the site's CSP."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path("var/test-screenshots")
WATCH_CSP = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__violations.push(e.violatedDirective + " " + e.blockedURI));
"""


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_the_api_docs_render_every_operation_without_a_csp_violation(request, live_server, viewport):
    page = request.getfixturevalue(viewport)
    refused = []
    page.on("console", lambda message: refused.append(message.text) if "Content Security Policy" in message.text
            else None)
    page.add_init_script(WATCH_CSP)
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/lieux/modifications")).to_have_count(1)
    assert page.locator(".opblock").count() >= 8
    page.locator(".opblock-summary", has_text="/api/v1/lieux/modifications").first.click()
    expect(page.locator(".opblock-body").first).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"api-docs-{viewport}.png"))
    assert page.evaluate("window.__violations") == [] and refused == []


@pytest.mark.parametrize("viewport", ["page", "phone_page"])
def test_the_open_data_page_presents_the_api(request, live_server, viewport, two_territories):
    page = request.getfixturevalue(viewport)
    page.goto(f"{live_server.url}/donnees-ouvertes/")
    link = page.get_by_role("link", name="Documentation de l'API (essayer chaque requête)")
    expect(link).to_be_visible()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("h2", has_text="L'API").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / f"open-data-api-{viewport}.png"))
    link.click()
    expect(page.locator(".opblock").first).to_be_visible()
