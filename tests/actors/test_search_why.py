"""The queries quoted in issue 21's « Why », run on the whole demo: their counts and top 3 are printed
(before → after figures), and the properties the issue asks for are checked."""

import pytest
from django.http import QueryDict

from actors.directory.filters import StructureFilter
from tests.fixtures.search import SCORES

WHY = [
    {"q": "imprimer un document"}, {"q": "imprimer"}, {"q": "imprimante"},
    {"q": "mediatheque de limoges"}, {"q": "mediatheque limoges"}, {"q": "aide pour la caf"},
    {"q": "caf poitiers"}, {"q": "ccas poitiers"}, {"q": "France services Gueret"},
    {"q": "france services creuse"}, {"q": "ANTS"}, {"q": "titre de séjour"}, {"q": "pronote"},
    {"q": "FLE"}, {"q": "France services", "pres_de": "Guéret"}, {"pres_de": "St Junien"},
]


def run(params: dict) -> StructureFilter:
    data = QueryDict(mutable=True)
    data.update(params)
    return StructureFilter(data)


@pytest.mark.django_db
def test_the_queries_of_the_issue_are_measured(demo_places):
    lines = ["Requêtes de l'issue 21 (nombre de lieux ; trois premiers) :"]
    for params in WHY:
        found = run(params)
        rows = list(found.qs[:3])
        count = found.qs.count()
        shown = "; ".join(f"{s.nom} ({s.commune_nom})" for s in rows)
        lines.append(f"  {params} -> {count} : {shown}")
    SCORES.append("\n".join(lines))


@pytest.mark.django_db
def test_a_need_and_a_place_in_the_box_find_the_place_in_that_commune(demo_places):
    found = run({"q": "mediatheque limoges"})
    assert found.cleaned["commune"] == "87085"
    rows = list(found.qs)
    assert rows and all(row.commune_id == "87085" for row in rows)
    assert all("diath" in row.nom.lower() or "bfm" in row.nom.lower() for row in rows[:3])


@pytest.mark.django_db
def test_st_is_saint_in_the_box_and_in_pres_de(demo_places):
    assert run({"q": "St Junien"}).cleaned["commune"] == "87154"
    near = run({"pres_de": "St Junien"})
    count = near.qs.count()
    assert near.place is not None and near.place.name == "Saint-Junien"
    assert 0 < count < 1726


@pytest.mark.django_db
def test_a_day_word_becomes_the_opening_filter_and_as_typed_keeps_the_words(demo_places):
    found = run({"q": "france services samedi"})
    found.qs  # noqa: B018 - builds the conditions
    assert found.cleaned["jour"] == "samedi" and found.window is not None
    assert found.text == "france services"
    literal = run({"q": "france services samedi", "tels_quels": "1"})
    assert not literal.cleaned.get("jour")


@pytest.mark.django_db
def test_acronyms_in_capitals_match_whole_words_only(demo_places):
    names = [s.nom.lower() for s in run({"q": "FLE"}).qs]
    assert not any("fleix" in name or "fleuve" in name or "fleurus" in name for name in names)
