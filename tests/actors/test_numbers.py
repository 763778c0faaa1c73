"""Numbers on pages and printouts: French style, rounded half up (never cut), the same as their CSV."""

import csv
import io
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.http import QueryDict
from django.template import Context, Template

from actors.core.numbers import MISSING, french_number, french_percent
from actors.directory.counts import filter_set_key, filters_key, summary_key
from actors.directory.filters import StructureFilter
from actors.duplicates.folding import normalise_address, normalise_name
from actors.duplicates.pairs import name_tokens
from actors.map import data as mapdata
from actors.map.data import parse_viewport
from actors.models import Structure
from territories.text import STOP_WORDS
from tests.territories.test_diagnostic import diagnosed  # noqa: F401  (fixture)

NNBSP = "\u202f"


@pytest.mark.parametrize(("value", "decimals", "shown"), [
    (0.05, 1, "0,1"),
    (80.95, 1, "81,0"),
    (6.753, 1, "6,8"),
    (6.75, 1, "6,8"),
    (6.749, 1, "6,7"),
    (2.5, 0, "3"),
    (3.5, 0, "4"),
    (0.5, 0, "1"),
    (-2.5, 0, "-3"),
    (-1.25, 1, "-1,3"),
    (-0.04, 1, "0,0"),  # no sign on a zero
    (0, 1, "0,0"),
    (90_240, 0, f"90{NNBSP}240"),
    (1_234_567.891, 2, f"1{NNBSP}234{NNBSP}567,89"),
    (999.96, 1, f"1{NNBSP}000,0"),
    (12, 0, "12"),
    (None, 1, MISSING),
    (float("nan"), 1, MISSING),
    (float("inf"), 0, MISSING),
])
def test_numbers_round_half_up_in_french(value, decimals, shown):
    assert french_number(value, decimals=decimals) == shown


@pytest.mark.parametrize(("share", "shown"), [
    (0.8095, f"81,0{NNBSP}%"),  # 0.8095 * 100 is 80.9499… in floats: scaled in decimal
    (0.19, f"19,0{NNBSP}%"),
    (0.0005, f"0,1{NNBSP}%"),
    (1, f"100,0{NNBSP}%"),
    (-0.0125, f"-1,3{NNBSP}%"),
    (None, MISSING),
])
def test_percentages_round_half_up(share, shown):
    assert french_percent(share) == shown


def test_shares_that_make_a_whole_show_a_whole():
    assert french_percent(0.1905) == f"19,1{NNBSP}%" and french_percent(0.8095) == f"81,0{NNBSP}%"
    assert french_percent(80.95, scale=1, decimals=0) == f"81{NNBSP}%"


def test_the_template_filters_use_the_same_rounding():
    rendered = Template(
        "{% load numbers %}{{ a|number }}|{{ b|decimal }}|{{ c|percent }}|{{ d|per_cent }}|{{ e|number:1 }}"
        "|{{ f|percent }}"
    ).render(Context({"a": 90_240, "b": 6.753, "c": 0.8095, "d": 80.5, "e": 0.05, "f": None}))
    assert rendered == f"90{NNBSP}240|6,8|81,0{NNBSP}%|81{NNBSP}%|0,1|{MISSING}"


def _half_up(text: str, *, scale: int = 1, decimals: int = 1) -> str:
    value = (Decimal(text) * scale).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return str(value).replace(".", ",")


def test_the_diagnostic_page_shows_its_csv_values_rounded_half_up(client, diagnosed):  # noqa: F811
    response = client.get("/territoires/departements/86/diagnostic.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    values = {(r[2], r[3]): r[4] for r in rows[1:]}
    page = client.get("/territoires/departements/86/diagnostic/").content.decode()
    key_figures = page[page.index('id="key-title"'):page.index('id="map-title"')]
    shown = re.findall(r"<dd>([^<]*)</dd>", key_figures)
    assert _half_up(values[("86", "places_per_10k")]) in shown
    assert _half_up(values[("86", "population_with_place_share")], scale=100) + f"{NNBSP}%" in shown
    # The CSV is unrounded: more digits than the page shows.
    assert len(values[("86", "places_per_10k")].split(".")[1]) > 1
    comparison = page[page.index("diagnostic-compare"):]
    assert f"<td>{_half_up(values[('86', 'fresh_share')], scale=100)}{NNBSP}%</td>" in comparison
    # The région (France is not compared: the fixture's data covers one département of its 101).
    assert f"<td>{_half_up(values[('75', 'fresh_share')], scale=100)}{NNBSP}%</td>" in comparison
    # Every unit of the table: its ratios as the CSV has them, rounded half up.
    table = page[page.index('class="diagnostic-table"'):]
    for (code, name), value in values.items():
        if name in ("places_per_10k", "nearest_km", "services_near") and value and not code.startswith(("86", "75")):
            assert f"<td>{_half_up(value)}</td>" in table, (code, name, value)


# --- One list of small words -------------------------------------------------------------------------

def test_folding_and_duplicate_pairs_ignore_the_same_small_words():
    for word in sorted(STOP_WORDS):
        name = f"Espace {word} numérique"
        assert name_tokens(name) == {"espace", "numerique"}, word
        assert normalise_name(name) == "espace numerique", word
        assert normalise_address(f"3 rue {word} Moulin") == "3 rue moulin", word
    assert normalise_name("Aide pour l'emploi") == normalise_name("Aide à l'emploi") == "aide emploi"
    assert name_tokens("Aide pour l'emploi") == name_tokens("Aide à l'emploi")


# --- One key per filter set ----------------------------------------------------------------------------

A = "aide-aux-demarches-administratives"
B = "acces-internet-et-materiel-informatique"


def _filterset(query: str) -> StructureFilter:
    return StructureFilter(QueryDict(query.replace("=a", f"={A}").replace("=b", f"={B}")),
                           queryset=Structure.objects.none())


def test_equal_filter_sets_give_one_key_whatever_the_order(terms):
    first = _filterset("services=b&services=a&departement=86&page=3&tri=nom&zoom=8&bbox=x")
    second = _filterset("departement=86&services=a&services=b")
    assert filter_set_key(first) == filter_set_key(second)
    assert filter_set_key(first) == f"departement=86&services={B}&services={A}"
    assert summary_key("/lieux/", first, "v1") == summary_key("/lieux/", second, "v1")
    viewport = parse_viewport("0,46,1,47", "8")
    assert mapdata.cache_key(first.data, viewport, "v1") == mapdata.cache_key(second.data, viewport, "v1")
    assert filters_key({"services": [B, A], "departement": "86", "page": "2"}) == filter_set_key(first)


def test_different_filter_sets_give_different_keys(terms):
    keys = {filter_set_key(_filterset(query)) for query in (
        "", "services=a", "services=a&services=b", "services=b", "departement=86",
        "departement=86&services=a", "frais=gratuit")}
    assert len(keys) == 7
    viewport = parse_viewport("0,46,1,47", "8")
    same = _filterset("services=a&services=b")
    one = _filterset("services=a").data
    assert mapdata.cache_key(same.data, viewport, "v1") != mapdata.cache_key(one, viewport, "v1")
    assert mapdata.cache_key(same.data, viewport, "v1") != mapdata.cache_key(same.data, viewport, "v2")
    assert (mapdata.cache_key(same.data, viewport, "v1")
            != mapdata.cache_key(same.data, parse_viewport("0,45,1,46", "9"), "v1"))
    assert summary_key("/lieux/", same, "v1") != summary_key("carte", same, "v1")


def test_opening_filters_are_asked_again_each_minute_for_open_now(terms):
    import datetime as dt

    from django.utils import timezone
    monday = timezone.make_aware(dt.datetime(2026, 3, 2, 10, 0))
    now, later = _filterset("ouvert=1"), _filterset("ouvert=1")
    now.now, later.now = monday, monday + dt.timedelta(minutes=1)
    assert filter_set_key(now) != filter_set_key(later)
