"""Text search: what a query means, bounded costs on broad matches, and the hard time limit per request."""

import pytest
from django.db import connection, transaction
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext, override_settings

from actors.core import planner_statistics, search_index
from actors.directory import text_query
from actors.directory.filters import StructureFilter
from actors.timelimit import QueryTimeLimitExceeded, query_time_limit


def names(query: str) -> list[str]:
    return [s.nom for s in StructureFilter(QueryDict(query)).qs]


def slow_sql() -> str:
    if connection.vendor == "postgresql":
        return "SELECT pg_sleep(2)"
    return ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000000) "
            "SELECT count(*) FROM n")


def test_the_synonyms_file_gives_groups_both_ways():
    # Groups hold analysed words: stems, without small words (« d' »).
    groups = search_index.synonym_groups()
    assert any(("st",) in group and ("saint",) in group for group in groups)
    assert any(("ccas",) in group and ("centr", "communal", "action", "social") in group for group in groups)


def test_a_query_means_prefixes_from_three_letters_synonyms_and_joined_compounds():
    query = search_index.parse("St Jun")
    assert query.slots[0] == [search_index.Alternative(("st",)), search_index.Alternative(("saint",))]
    assert search_index.Alternative(("jun",), prefix=True) in query.slots[1]
    assert search_index.parse("x").slots == [[search_index.Alternative(("x",))]]  # a 1-letter word is never a prefix
    assert search_index.parse("de la") is None  # only stop words: no text search
    assert "cyberbas" in search_index.parse("cyber base").expression()  # the stem of « cyberbase »
    assert search_index.parse("!!") is None


@pytest.mark.django_db
def test_short_words_match_whole_words_only(directory):
    assert names("q=me") == []
    assert "Médiathèque François-Mitterrand" in names("q=med")


@pytest.mark.django_db
def test_a_misspelt_word_is_corrected_and_the_page_says_so(directory):
    filterset = StructureFilter(QueryDict("q=mediateque"))
    assert [s.nom for s in filterset.qs][:1] == ["Médiathèque François-Mitterrand"]
    # The index holds stems: the notice names the corrected stem (« mediathequ… »), and the word typed.
    assert any("« mediateque »" in notice and "mediathequ" in notice for notice in filterset.notices)


@pytest.mark.django_db
def test_a_text_query_ranks_in_one_pass_with_a_constant_number_of_queries(directory, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as captured:
        assert names("q=mediatheque")[0] == "Médiathèque François-Mitterrand"
    rows = [q["sql"] for q in captured.captured_queries if "ORDER BY" in q["sql"] and "rank" in q["sql"]]
    assert len(rows) == 1
    if connection.vendor != "postgresql":
        # The FTS result is joined once; no correlated subquery per row.
        assert rows[0].count("MATCH") == 1 and rows[0].count("bm25") == 1


@pytest.mark.django_db
def test_a_broad_match_reads_only_the_first_matches_and_lists_them_by_name(many_places, client, monkeypatch):
    monkeypatch.setattr(text_query, "MATCH_CAP", 50)
    # Statistics of these places, as production keeps them after its writes: an earlier test's (committed by a
    # live server) would plan this query for other data.
    planner_statistics.refresh_statistics()
    with CaptureQueriesContext(connection) as captured:
        filterset = StructureFilter(QueryDict("q=lieu"))
        rows = list(filterset.qs)
    assert filterset.text_search.broad and filterset.text_search.count == 51
    assert len(rows) == 50 and [r.nom for r in rows] == sorted(r.nom for r in rows)
    found = [q["sql"] for q in captured.captured_queries if "LIMIT 51" in q["sql"]]
    assert len(found) == 1  # the matches are read up to the cap, never counted whole
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + found[0])
            plan = [row[-1] for row in cursor.fetchall()]
        # The FTS result drives the join, so reading stops at the cap.
        assert "VIRTUAL TABLE" in next(step for step in plan if "SCAN" in step or "SEARCH" in step), plan
    body = client.get("/?q=lieu").content.decode()
    assert "Plus de 50 lieux trouvés" in body and "seuls les 50 premiers" in body
    assert 'class="option__count"' not in body  # per-option counts would read every match


@pytest.mark.django_db
def test_a_query_past_the_time_limit_is_interrupted_and_the_connection_stays_usable():
    # A savepoint: on PostgreSQL the cancelled statement aborts the test's transaction.
    with pytest.raises(QueryTimeLimitExceeded), transaction.atomic(), query_time_limit(0.05):
        with connection.cursor() as cursor:
            cursor.execute(slow_sql())
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone()[0] == 1


@pytest.mark.django_db(transaction=True)  # no test transaction for the cancelled statement to abort
def test_the_list_page_says_in_french_that_the_search_was_too_broad(directory, client, monkeypatch):
    from actors.directory import facets

    def slow_counts(filterset):
        with connection.cursor() as cursor:
            cursor.execute(slow_sql())
        return {}

    monkeypatch.setattr(facets, "term_counts", slow_counts)
    with override_settings(QUERY_TIME_LIMIT_SECONDS=0.05):
        response = client.get("/?q=mediatheque")
    assert response.status_code == 503
    assert "La recherche est trop large" in response.content.decode()
