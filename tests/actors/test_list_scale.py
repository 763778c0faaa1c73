"""The national-scale list paths give the answers of the plain ones, on the whole demo.

A text search with filters finds its matches once (the core filters' matches, actors/directory/text_query.py) and every
count then reads those ids; a page's rows are picked by a narrow subquery (actors/directory/views.py). The
oracles: the text match and the filters evaluated separately, and the whole ordered list read in one query.
"""

from math import ceil

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from actors.core import planner_statistics, search_index
from actors.directory import text_query
from actors.directory.filters import StructureFilter
from actors.directory.views import PAGE_SIZE
from actors.models import Structure
from actors.vocabulary.enums import TermKind

pytestmark = pytest.mark.usefixtures("demo_data", "db")
HOST = {"HTTP_HOST": "127.0.0.1"}


def filtered(query: str) -> StructureFilter:
    filterset = StructureFilter(QueryDict(query), Structure.objects.public())
    filterset.qs  # noqa: B018
    return filterset


def ids_of(query: str) -> set[int]:
    return set(filtered(query).qs.values_list("pk", flat=True))


def text_matches(text: str) -> set[int]:
    """Every public place containing the words, whatever their number (no cap): the search index alone."""
    return set(Structure.objects.public().filter(search_index.matches(text)).values_list("pk", flat=True))


def pages(client, query: str) -> list[int]:
    first = client.get("/?" + query, **HOST).context["directory"]
    found = [row.pk for row in first["rows"]]
    for number in range(2, ceil(first["total"] / PAGE_SIZE) + 1):
        found += [row.pk for row in client.get(f"/?{query}&page={number}", **HOST).context["directory"]["rows"]]
    return found


@pytest.mark.parametrize(("text", "filters"), [
    ("mediatheque", "departement=86"),
    ("espace numerique", "departement=33&services=aide-aux-demarches-administratives"),
    ("numerique", "services=aide-aux-demarches-administratives&frais=gratuit"),  # frais: counted apart
    ("numerique", "departement=33&frais=gratuit&frais=payant&jour=mardi"),  # any-of values, opening question
    ("centre social", "typologie=CS"),
])
def test_text_with_filters_lists_the_filters_places_that_contain_the_words(client, text, filters):
    expected = ids_of(filters) & text_matches(text)
    assert expected, "a combination that finds nothing proves little"
    query = f"q={text.replace(' ', '+')}&{filters}"
    directory = client.get("/?" + query, **HOST).context["directory"]
    assert directory["total"] == len(expected)
    assert set(filtered(query).qs.values_list("pk", flat=True)) == expected
    # Facets of "all" vocabularies: exactly the results carrying the option.
    rows = Structure.objects.filter(pk__in=expected).prefetch_related("terms")
    carried = {}
    for row in rows:
        for term in row.terms.all():
            if term.kind == TermKind.SERVICES:
                carried[term.code] = carried.get(term.code, 0) + 1
    shown = {option.code: option.count for _label, options in directory["service_groups"] for option in options}
    assert {code: n for code, n in shown.items() if n} == carried


def test_any_of_options_are_counted_without_their_own_filter_when_text_is_asked(client):
    query = "q=numerique&departement=33&frais=gratuit"
    directory = client.get("/?" + query, **HOST).context["directory"]
    fees = {option.code: option.count for name, _legend, options in directory["fieldsets"] if name == "frais"
            for option in options}
    # « payant » counts what ticking it instead of « gratuit » would list: the oracle is that list.
    for code, count in fees.items():
        assert count == len(ids_of(f"departement=33&frais={code}") & text_matches("numerique")), code


def test_relax_counts_remove_each_filter_even_those_the_text_ids_hold(client):
    # Poitiers is not in the Gironde: each suggestion says what removing one filter gives.
    query = "q=poitiers&departement=33&frais=gratuit"
    directory = client.get("/?" + query, **HOST).context["directory"]
    assert directory["total"] == 0
    suggested = {item["url"]: item["count"] for item in directory["relax"]}
    assert len(suggested) >= 2, "removing the text, or the département, gives places"
    for url, count in suggested.items():
        without = QueryDict(url.lstrip("?"), mutable=True)
        text = without.pop("q", [""])[-1]
        expected = ids_of(without.urlencode())
        assert count == len(expected & text_matches(text) if text else expected), url


@pytest.mark.parametrize("query", ["pres_de=86000&rayon=20", "pres_de=86000&rayon=20&tri=nom", "departement=86",
                                   "q=mairie", "q=numerique&departement=33", "q=espace+numerique&frais=gratuit",
                                   "q=mediatheque&tri=pertinence"])
@pytest.mark.parametrize("python_units", [0, 10**9])  # SQLite: the MATCH ranks, or Python (TextSearch.ranked_ids)
def test_every_page_is_the_slice_of_the_whole_ordered_list(client, query, python_units, monkeypatch):
    monkeypatch.setattr(text_query, "PYTHON_RANKING_UNITS", python_units)
    whole = [row.pk for row in filtered(query).qs]
    assert len(whole) > PAGE_SIZE
    assert pages(client, query) == whole


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's planner, with the statistics production keeps")
def test_the_detail_page_reads_no_table_whole(client):
    with connection.cursor() as cursor:
        cursor.execute("SELECT tbl, idx, stat FROM sqlite_stat1")
        saved = cursor.fetchall()
    try:
        planner_statistics.refresh_statistics()
        place = Structure.objects.public().exclude(location=None).first()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(place.get_absolute_url(), **HOST).status_code == 200
        for query in captured.captured_queries:
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
                plan = [row[-1] for row in cursor.fetchall()]
            # (The freshness policies, part of the data version, hold one row per département at most.)
            assert not [step for step in plan if step.startswith("SCAN") and "VIRTUAL TABLE" not in step
                        and "actors_term" not in step and "CONSTANT ROW" not in step
                        and "actors_freshnesspolicy" not in step], (query["sql"], plan)
            assert not [step for step in plan if "actors_structure_state" in step], (query["sql"], plan)
    finally:
        # The connection keeps statistics in memory beyond the rollback: later tests plan as before this one.
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM sqlite_stat1")
            cursor.executemany("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (%s, %s, %s)", saved)
            cursor.execute("ANALYZE sqlite_master")
