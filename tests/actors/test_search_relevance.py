"""The search relevance set (tests/actors/search_relevance.py) on the whole shipped demo.

The score is printed at the end of the test run ("Pertinence de la recherche : ...").
"""

import pytest
from django.http import QueryDict

from actors.directory.filters import StructureFilter
from actors.models import Structure
from tests.actors.search_relevance import CASES, FIRST_CASES, evaluate, places_of, summary
from tests.fixtures.search import SCORES

# The score reached on both engines; a change that lowers it fails here.
# 42 / 42 before folding; with one card per place, « conseiller numérique » ranks a programme place (its name
# does not say it) third: 41.7 / 42.
MINIMUM_SCORE = 41.5 / 42
# The whole set, with the queries of issue 21 (sentences, needs, a place or a day in words): recorded below.
MINIMUM_WHOLE_SCORE = 86.5 / 91  # 87.0 / 91 on SQLite on 7 December 2026


def top3(query: str) -> list[int]:
    data = QueryDict(mutable=True)
    data["q"] = query
    return list(StructureFilter(data).qs.values_list("pk", flat=True)[:3])


@pytest.mark.django_db
def test_the_relevance_set_scores_at_least_its_recorded_level(demo_places, django_db_blocker):
    assert demo_places > 2000
    assert len(CASES) >= 80
    places = places_of(Structure.objects.public().select_related("commune").prefetch_related("terms"))
    results = evaluate(places, top3)
    assert all(result.relevant_total for result in results), "every query has relevant places in the demo"
    text = summary(results)
    SCORES.append(text)
    first = results[:FIRST_CASES]
    assert sum(result.score for result in first) / len(first) >= MINIMUM_SCORE, text  # none of the 42 regresses
    score = sum(result.score for result in results) / len(results)
    assert score >= MINIMUM_WHOLE_SCORE, text
