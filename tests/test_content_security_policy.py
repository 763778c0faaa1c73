"""The Content-Security-Policy: no inline script or style on any page, a nonce for the admin's map widget only,
and no JavaScript of ours that turns a string into markup. The browser side is in tests/browser/test_hostile_data.py.
"""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from territories.models import QPV
from tests.test_hostile_input import ROUTES, url_for

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
# An attribute of a tag (not text): `<a onclick=`, `<div style=`.
INLINE_HANDLER = re.compile(r"<[a-zA-Z][^<>]*\s(on[a-z]+|style)\s*=", re.S)


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}


def inline_scripts(html: str) -> list[tuple[str, str]]:
    """(attributes, body) of every script the browser would run that is not a file."""
    return [(attributes, body) for attributes, body in SCRIPT_TAG.findall(html)
            if "src=" not in attributes and "application/json" not in attributes]


@pytest.mark.parametrize(("name", "kwarg_names"), ROUTES, ids=[name for name, _ in ROUTES])
def test_no_public_page_allows_or_contains_inline_scripts_and_styles(client, detail_places, vienne, name,
                                                                     kwarg_names):
    url = url_for(name, kwarg_names, detail_places)
    response = client.get(url, {"lieux": detail_places["rich"].slug} if name == "actors:referral" else {})
    policy = directives(response)
    assert policy["script-src"] == ["'self'"], url  # no 'unsafe-inline', no nonce: the same header every time
    assert policy["style-src"] == ["'self'"], url
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'self'"]
    if "html" in response.get("Content-Type", ""):
        html = response.content.decode()
        assert inline_scripts(html) == [], url
        assert INLINE_HANDLER.findall(html) == [], url
        assert "javascript:" not in html, url


def test_maps_of_public_pages_start_from_a_static_file_with_options_in_json(client, detail_places, vienne):
    for url in (detail_places["rich"].get_absolute_url(), reverse("actors:map"), reverse("actors:map_embed"),
                reverse("territories:commune", args=["86194"])):
        html = client.get(url).content.decode()
        assert 'id="' in html and '-leaflet-options" type="application/json"' in html, url
        assert "js/leaflet-maps.js" in html, url


def test_the_admin_map_widget_runs_with_the_nonce_of_its_own_policy_only(client, detail_places, django_user_model):
    admin = django_user_model.objects.create_superuser("admin@example.org", "admin@example.org", "x")
    client.force_login(admin)
    url = reverse("admin:actors_structure_change", args=[detail_places["rich"].pk])
    first, second = client.get(url), client.get(url)
    nonces = []
    for response in (first, second):
        script_src = directives(response)["script-src"]
        assert "'unsafe-inline'" not in script_src
        assert script_src[0] == "'self'" and script_src[1].startswith("'nonce-")
        nonce = script_src[1][len("'nonce-"):-1]
        scripts = inline_scripts(response.content.decode())
        assert len(scripts) >= 2  # django-leaflet's widget and its map loader
        assert all(f'nonce="{nonce}"' in attributes for attributes, _body in scripts)
        nonces.append(nonce)
    assert nonces[0] != nonces[1] and len(nonces[0]) >= 22

    territory = client.get(reverse("admin:territories_qpv_change", args=[QPV.objects.get().pk]))
    nonce = directives(territory)["script-src"][1][len("'nonce-"):-1]
    assert all(f'nonce="{nonce}"' in attributes for attributes, _body in inline_scripts(territory.content.decode()))


# Sinks that parse a string as HTML or code. Leaflet's `html:` option, bindTooltip and bindPopup also parse
# strings: our modules give them elements (see map.js, detail.js, territory-map.js).
SINKS = re.compile(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|"
                   r"html:\s*[\"'`]|bind(Tooltip|Popup)\(\s*[^)]*[\"'`+]")


def test_no_module_of_ours_turns_a_string_into_markup():
    offenders = []
    for path in sorted((ROOT / "static" / "js").glob("*.js")):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if SINKS.search(line):
                offenders.append(f"{path.name}:{number}: {line.strip()}")
    assert offenders == []


def test_no_template_marks_data_safe_or_writes_inline_script_or_style():
    offenders = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        text = path.read_text()
        for attributes, body in SCRIPT_TAG.findall(text):
            if "src=" not in attributes and body.strip():
                offenders.append(f"{path.relative_to(ROOT)}: inline script")
        for pattern in (r"\|\s*safe\b", r"{%\s*autoescape\s+off", r"<style\b"):
            if re.search(pattern, text):
                offenders.append(f"{path.relative_to(ROOT)}: {pattern}")
        # An attribute of a tag, outside the escaped text of a textarea (the embed snippet shows one as text).
        visible = re.sub(r"<textarea\b.*?</textarea>", "", text, flags=re.S)
        if INLINE_HANDLER.search(visible):
            offenders.append(f"{path.relative_to(ROOT)}: inline handler or style attribute")
    assert offenders == []
