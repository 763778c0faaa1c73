"""Text search: what a query means, bounded costs on broad matches, and the hard time limit per request."""

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext, override_settings

from actors import search, textsearch
from actors.filters import StructureFilter
from actors.timelimit import QueryTimeLimitExceeded, query_time_limit


def names(query: str) -> list[str]:
    return [s.nom for s in StructureFilter(QueryDict(query)).qs]


def slow_sql() -> str:
    if connection.vendor == "postgresql":
        return "SELECT pg_sleep(2)"
    return ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 50000000) "
            "SELECT count(*) FROM n")


def test_the_synonyms_file_gives_groups_both_ways():
    groups = search.synonym_groups()
    assert any(("st",) in group and ("saint",) in group for group in groups)
    assert any(("ccas",) in group and ("centre", "communal", "d", "action", "sociale") in group for group in groups)


def test_a_query_means_prefixes_from_three_letters_synonyms_and_joined_compounds():
    query = search.parse("St Jun")
    assert query.slots[0] == [search.Alternative(("st",)), search.Alternative(("saint",))]
    assert search.Alternative(("jun",), prefix=True) in query.slots[1]
    assert search.parse("a").slots == [[search.Alternative(("a",))]]  # a 1-letter word is never a prefix
    assert "cyberbase" in search.parse("cyber base").expression()
    assert search.parse("!!") is None


@pytest.mark.django_db
def test_short_words_match_whole_words_only(directory):
    assert names("q=me") == []
    assert "Médiathèque François-Mitterrand" in names("q=med")


@pytest.mark.django_db
def test_a_misspelt_word_is_corrected_and_the_page_says_so(directory):
    filterset = StructureFilter(QueryDict("q=mediateque"))
    assert [s.nom for s in filterset.qs][:1] == ["Médiathèque François-Mitterrand"]
    assert any("mediatheque" in notice for notice in filterset.notices)


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
def test_a_broad_match_is_capped_listed_by_name_and_not_sorted_whole(many_places, client, monkeypatch):
    monkeypatch.setattr(textsearch, "MATCH_CAP", 50)
    filterset = StructureFilter(QueryDict("q=lieu"))
    rows = list(filterset.qs[:20])
    assert filterset.text_search.broad and filterset.text_search.count == 51
    assert [r.nom for r in rows] == sorted(r.nom for r in rows)
    body = client.get("/?q=lieu").content.decode()
    assert "Plus de 50 lieux trouvés" in body and "classés par nom" in body
    if connection.vendor != "postgresql":
        sql, params = filterset.qs[:20].query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plan = " | ".join(row[-1] for row in cursor.fetchall())
        assert "actors_structure_search_name" in plan and "TEMP B-TREE" not in plan, plan


@pytest.mark.django_db
def test_a_query_past_the_time_limit_is_interrupted_and_the_connection_stays_usable():
    with pytest.raises(QueryTimeLimitExceeded), query_time_limit(0.05):
        with connection.cursor() as cursor:
            cursor.execute(slow_sql())
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone()[0] == 1


@pytest.mark.django_db
def test_the_list_page_says_in_french_that_the_search_was_too_broad(directory, client, monkeypatch):
    from actors import facets

    def slow_counts(filterset):
        with connection.cursor() as cursor:
            cursor.execute(slow_sql())
        return {}

    monkeypatch.setattr(facets, "term_counts", slow_counts)
    with override_settings(QUERY_TIME_LIMIT_SECONDS=0.05):
        response = client.get("/?q=mediatheque")
    assert response.status_code == 503
    assert "La recherche est trop large" in response.content.decode()
