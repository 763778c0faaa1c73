"""A word every place has, on a national directory: the page answers within the hard time limit on SpatiaLite.

Before the bounded text search, `?q=numerique` over 100,000 places held a worker past 600 s on SpatiaLite. The
places come from the benchmark's generator (`generate_structures`, the same seed as `make bench`) over the
communes of the fixtures; the limit is production's (QUERY_TIME_LIMIT_SECONDS, 5 s): a page it cuts
would answer « recherche trop large » (503), not the list.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actors.core import planner_statistics, search_index
from actors.devdata import synthetic
from actors.directory import text_query
from actors.models import Structure
from actors.timelimit import limit_seconds

pytestmark = pytest.mark.skipif(connection.vendor != "sqlite",
                                reason="SpatiaLite is the engine whose text search once never answered")
PLACES = 100_000


def generate(count: int) -> None:
    """The generator's places, written as `generate_structures` writes them; of its after-change work only the
    statistics (national export files and warm caches are not read here)."""
    synthetic.create(count=count, seed=1, places=synthetic.candidate_communes())
    planner_statistics.refresh_statistics()


@pytest.mark.django_db
def test_a_word_every_place_has_and_a_single_letter_answer_within_the_limit(vienne, terms, client, settings):
    generate(PLACES)
    assert Structure.objects.count() == PLACES and Structure.objects.public().count() > 0.9 * PLACES
    settings.QUERY_TIME_LIMIT_SECONDS = 5  # production's (the suite's pages run with a generous one)
    assert limit_seconds() == 5
    answers_within_the_limit(client, "numerique")
    # « a » is a stop word of the French analysis: no text condition, the whole directory, within the limit.
    response = client.get("/?q=a")
    assert response.status_code == 200
    assert response.context["directory"]["total"] == Structure.objects.public().count()


def answers_within_the_limit(client, text: str) -> None:
    everywhere = Structure.objects.public().filter(search_index.matches(text)).count()
    assert everywhere > text_query.MATCH_CAP * 10  # tens of thousands of places hold the word
    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/?q={text}")
    assert response.status_code == 200  # not the « trop large » page of a cut query
    directory = response.context["directory"]
    assert directory["total_capped"] and directory["total"] == text_query.MATCH_CAP
    rows = directory["rows"]
    assert len(rows) == 20 and [row.nom for row in rows] == sorted(row.nom for row in rows)
    holding = set(Structure.objects.filter(search_index.matches(text)).values_list("pk", flat=True))
    assert {row.pk for row in rows} <= holding
    # The matches are read up to the cap, once, never counted whole.
    assert sum(f"LIMIT {text_query.MATCH_CAP + 1}" in query["sql"] for query in captured.captured_queries) == 1
    assert len(captured.captured_queries) <= 12
