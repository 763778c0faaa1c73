"""SQLite: the relevance computed in Python (search.bm25_scores) is FTS5's own bm25, to the last bit.

The oracle is FTS5: `-bm25(actors_structure_fts, 10, 4, 1)` of every match of each query of the relevance
set, and of a few more (prefixes, joined compounds, synonyms, several words), on the whole demo.
"""

import math

import pytest
from django.db import connection

from actors.core import search_index
from tests.actors.search_relevance import CASES

pytestmark = [
    pytest.mark.usefixtures("demo_data", "db"),
    pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL ranks with ts_rank, in the query"),
]
MORE = ["mediatheque", "espace numerique poitiers", "tiers lieu", "tierslieu", "st", "x", "cyber base",
        "aide aux demarches administratives", "france services", "numerique", "bibliotheque limoges"]


def expression_of(text: str) -> str:
    query = search_index.parse(text)
    query.expand(search_index.known_words(query.prefixes()))
    return query.expression()


@pytest.mark.parametrize("text", sorted({case.query for case in CASES} | set(MORE)))
def test_every_match_has_the_score_fts5_gives_it(text):
    expression = expression_of(text)
    columns, params = search_index.bm25_statistics_columns(expression)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns.values())}", params)
        statistics = search_index.bm25_statistics(cursor.fetchone())
        cursor.execute("SELECT rowid, -bm25(actors_structure_fts, 10.0, 4.0, 1.0), nom, termes, description "
                       "FROM actors_structure_fts WHERE actors_structure_fts MATCH %s", [expression])
        found = cursor.fetchall()
    scores = search_index.bm25_scores([(pk, *texts) for pk, _rank, *texts in found], expression=expression,
                                statistics=statistics)
    assert {pk: rank for pk, rank, *_texts in found} == scores


def test_the_index_totals_are_read_from_fts5s_own_record():
    columns, params = search_index.bm25_statistics_columns('"mediatheque"')
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(columns.values())}", params)
        block, _hits = cursor.fetchone()
        cursor.execute("SELECT count(*), sum(length(nom) > 0) FROM actors_structure_fts")
        rows, _named = cursor.fetchone()
        cursor.execute("SELECT nom, termes, description FROM actors_structure_fts")
        tokens = [sum(len(text.split()) for text in texts) for texts in cursor.fetchall()]
    counted, *sizes = search_index.varints(bytes(block))
    assert counted == rows > 1000
    assert sum(sizes) == sum(tokens)


def test_sqlite_varints():
    assert search_index.varints(bytes([0x86, 0x8D, 0x20, 0x05])) == [100_000, 5]
    assert search_index.varints(bytes([0xFF] * 8 + [0x01])) == [(1 << 64) - 255]


def test_an_empty_index_has_statistics_too():
    assert search_index.bm25_statistics((None, 0)) == (1.0, [math.log(0.5 / 0.5) or 1e-6])
