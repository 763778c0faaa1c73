"""Hostile input on every public URL: no 500, and nothing sent is ever reflected as markup.

The public URLs are read from the URLconf (every pattern outside the admin, plus the admin's login page), so a
new view is covered as soon as it is routed; its parameters are the names of the forms and links its own pages
show, the filters of the FilterSets, and every `request.GET.get("…")` name the source reads.
"""

import re
from functools import partial
from pathlib import Path
from urllib.parse import quote, urlsplit

import django_filters
import pytest
from django.core.cache import cache
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[1]
PROBE = "xss-probe"
# Each markup payload carries the probe tag: a response that contains `<xss-probe` reflected it unescaped.
PAYLOADS = [
    f"<{PROBE}>",
    f"\"'><{PROBE} onmouseover=alert(1)>",
    f"</script><{PROBE}>",
    f"javascript:alert(1)//<{PROBE}>",
    "' OR '1'='1' --",
    "1; DROP TABLE actors_structure; --",
    "%_\\%' ESCAPE '\\",
    "99999999999999999999999999",
    "-99999999999",
    "1e309",
    "NaN",
    "a\x00b",
    "\u202emoc.elpmaxe\u202c \u200f\u200e",
    "９９",  # full-width digits
    "𝕏" * 300,
    "x" * 5000,
]
# Sent as raw query strings: broken percent-encoding, bare and bracketed names, NUL, repeated names.
RAW_QUERIES = ["{name}=%ff%fe%fd&{name}=%c3%28", "{name}=%&{name}=%zz", "{name}=%00", "{name}[]=1&{name}", "{name}=-1"]
# Parameters the JavaScript of the pages sends, which no HTML form shows.
SCRIPT_PARAMETERS = {"bbox", "zoom"}

# Sample keyword arguments per route: a route missing here fails the test, so that it gets covered.
SAMPLE_KWARGS = {
    "actors:detail": {"slug": "rich"},
    "actors:referral_sheet": {"slug": "rich"},
    "actors:correction": {"slug": "rich"},
    "actors:update": {"token": "rich"},  # a valid update link of that place
    "actors:update_ateliers": {"token": "rich"},  # the same link's ateliers page
    "actors:export": {"fmt": "csv"},
    "territories:departement": {"code": "86"},
    "territories:epci": {"siren": "200069854"},
    "territories:commune": {"code": "86194"},
    "territories:qpv": {"code": "QN08605M"},
    "territories:departement_diagnostic": {"code": "86"},
    "territories:departement_diagnostic_csv": {"code": "86"},
    "territories:departement_diagnostic_print": {"code": "86"},
    "api:place_detail": {"slug": "rich"},
    "api:correct": {"slug": "rich"},
}
# Public routes outside the apps' URLconfs: the admin's login form.
EXTRA_ROUTES = ["admin:login"]


def public_routes() -> list[tuple[str, list[str]]]:
    """(route name, keyword argument names) of every pattern outside the admin."""
    routes, seen = [], set()

    def walk(patterns, namespace: str):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                view = getattr(pattern.callback, "view_class", pattern.callback)
                if view in seen:  # the same view under a second address (/ and /lieux/)
                    continue
                seen.add(view)
                kwargs = list(getattr(pattern.pattern, "converters", {})) or list(pattern.pattern.regex.groupindex)
                routes.append((namespace + pattern.name, kwargs))

    walk(get_resolver().url_patterns, "")
    return routes + [(name, []) for name in EXTRA_ROUTES]


ROUTES = public_routes()


def source_parameter_names() -> set[str]:
    names = set()
    for folder in ("actors", "territories", "inclusion"):
        for path in (ROOT / folder).rglob("*.py"):
            names |= set(re.findall(r"""(?:GET|POST|query|params)\.(?:get|getlist)\(\s*["'](\w+)["']""",
                                    path.read_text()))
    return names


def filter_names() -> set[str]:
    names = set()
    subclasses = list(django_filters.FilterSet.__subclasses__())
    while subclasses:
        filterset = subclasses.pop()
        subclasses.extend(filterset.__subclasses__())
        names |= set(filterset.base_filters)
    return names


FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.S)
FIELD = re.compile(r"""<(?:input|select|textarea|button)\b[^>]*\bname=["']([^"']+)["']""")
LINK_PARAM = re.compile(r"""href=["'][^"'#]*\?([^"'#]+)""")


def page_parameters(html: str, page_url: str) -> tuple[set[str], dict[str, set[str]]]:
    """Names of GET parameters (forms and links), and the fields of each POST form by the path it posts to."""
    get_names, post_forms = set(), {}
    for attributes, body in FORM.findall(html):
        names = set(FIELD.findall(body)) - {"csrfmiddlewaretoken"}
        if re.search(r"""method=["']post["']""", attributes, re.I):
            action = re.search(r"""action=["']([^"']*)["']""", attributes)
            target = urlsplit(action.group(1) if action and action.group(1) else page_url).path
            post_forms.setdefault(target, set()).update(names)
        else:
            get_names |= names
    for query in LINK_PARAM.findall(html):
        get_names |= {part.split("=")[0] for part in query.replace("&amp;", "&").split("&") if part}
    return get_names, post_forms


def html_of(response) -> str:
    return response.content.decode("utf-8", "replace") if "html" in response.get("Content-Type", "") else ""


@pytest.fixture
def places(detail_places, settings):
    # Every POST to the login form hashes a password: the fast hasher keeps the file within seconds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield detail_places
    cache.clear()  # the failed logins and corrections counted here must not lock later tests out


def url_for(name: str, kwargs_names: list[str], places) -> str:
    if not kwargs_names:
        return reverse(name)
    assert name in SAMPLE_KWARGS, f"New public route {name}: add sample {kwargs_names} to SAMPLE_KWARGS"
    kwargs = dict(SAMPLE_KWARGS[name])
    if "slug" in kwargs:
        kwargs["slug"] = places[kwargs["slug"]].slug
    if "token" in kwargs:
        from actors.campaigns import update_links

        kwargs["token"] = update_links.make_token(structure=places[kwargs["token"]])
    return reverse(name, kwargs=kwargs)


def assert_safe(send, what: str) -> None:
    """`send()` makes the request; an exception raised by the view fails with the request that caused it."""
    try:
        response = send()
    except Exception as error:
        raise AssertionError(f"{what}: {error!r}") from error
    assert response.status_code < 500, f"{what}: {response.status_code}"
    content_type = response.get("Content-Type", "")
    if "html" in content_type and not getattr(response, "streaming", False):
        body = response.content.decode("utf-8", "replace")
        assert f"<{PROBE}" not in body, f"{what}: the probe is reflected as markup"
    if "json" in content_type:
        assert response.get("X-Content-Type-Options") == "nosniff", what


@pytest.mark.parametrize(("name", "kwarg_names"), ROUTES, ids=[name for name, _ in ROUTES])
def test_hostile_parameters_on_every_public_url_give_no_error_and_no_reflection(client, places, name,
                                                                                  kwarg_names):
    url = url_for(name, kwarg_names, places)
    first = client.get(url)
    assert first.status_code < 500, f"{url}: {first.status_code}"
    get_names, own_forms = page_parameters(html_of(first), url)
    # The forms that post to this URL, shown on its own page or on every page (the language switcher).
    home = reverse("actors:list")
    fields = own_forms.get(url, set()) | page_parameters(html_of(client.get(home)), home)[1].get(url, set())
    names = sorted(get_names | filter_names() | source_parameter_names() | SCRIPT_PARAMETERS)

    # Each round gives every parameter two payloads (a repeated parameter); over the rounds, each parameter
    # meets every payload. One request per round keeps the whole file within seconds.
    for offset in range(len(PAYLOADS)):
        query = {parameter: [PAYLOADS[(index + offset) % len(PAYLOADS)],
                             PAYLOADS[(index + offset + 1) % len(PAYLOADS)]] for index, parameter in enumerate(names)}
        assert_safe(partial(client.get, url, query), f"{url} round {offset}")
    for raw in RAW_QUERIES:
        query = "&".join(raw.format(name=parameter) for parameter in names)
        assert_safe(partial(client.get, f"{url}?{query}"), f"{url} {raw}")

    if fields:
        for payload in PAYLOADS:
            assert_safe(partial(client.post, url, dict.fromkeys(fields, payload)), f"POST {url} {payload!r}")
        assert_safe(partial(client.post, url, "%ff%fe=%c3%28&x", content_type="application/x-www-form-urlencoded"),
                    f"POST {url} broken encoding")


@pytest.mark.parametrize(("name", "kwarg_names"), [r for r in ROUTES if r[1]], ids=[r[0] for r in ROUTES if r[1]])
def test_hostile_path_segments_give_a_not_found_page_without_reflection(client, places, name, kwarg_names):
    url = url_for(name, kwarg_names, places)
    sample = SAMPLE_KWARGS[name]
    for kwarg in kwarg_names:
        value = places[sample[kwarg]].slug if kwarg == "slug" else sample[kwarg]
        for payload in [*PAYLOADS, "%ff%fe", "%00", "-1", "0"]:
            encoded = payload if payload.startswith("%") else quote(payload, safe="")
            if not encoded:
                continue
            hostile = url.replace(f"/{value}/", f"/{encoded}/", 1).replace(f".{value}", f".{encoded}", 1)
            assert_safe(partial(client.get, hostile), hostile)


def test_every_public_route_is_enumerated_and_has_parameters_to_attack(client, places):
    """The enumeration itself: the directory, the map and its data, territories, corrections and the login."""
    names = {name for name, _kwargs in ROUTES}
    assert {"actors:list", "actors:detail", "actors:map", "actors:map_data", "actors:map_embed", "actors:export",
            "actors:correction", "actors:referral", "territories:search", "territories:commune",
            "set_language", "admin:login"} <= names
    home = reverse("actors:list")
    get_names, post_forms = page_parameters(client.get(home).content.decode(), home)
    assert {"q", "services", "tri"} <= get_names
    assert {"page", "bbox", "zoom", "q", "lieux"} <= get_names | filter_names() | source_parameter_names() \
        | SCRIPT_PARAMETERS
    assert post_forms[reverse("set_language")] == {"language", "next"}
    correction = url_for("actors:correction", ["slug"], places)
    fields = page_parameters(client.get(correction).content.decode(), correction)[1][correction]
    assert {"field", "proposed_value", "message", "contact_email", "website"} <= fields


def test_a_query_string_is_never_reflected_in_the_page_unescaped(client, places):
    """One oracle that fails when escaping is lost: the list echoes `q` back in its search box and chips."""
    response = client.get(reverse("actors:list"), {"q": f"<{PROBE}>"})
    body = response.content.decode()
    assert f"&lt;{PROBE}&gt;" in body
    assert f"<{PROBE}" not in body
