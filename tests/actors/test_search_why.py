"""The queries quoted in issue 21's « Why », run on the whole demo: their counts and top 3 are printed
(before → after figures), and the properties the issue asks for are checked."""

import json
from pathlib import Path

import pytest
from django.http import QueryDict

from actors.core import search_index
from actors.directory.filters import StructureFilter
from actors.models import Structure
from territories.text import fold
from tests.fixtures.search import SCORES

ENUMS = Path(search_index.__file__).resolve().parent.parent / "data" / "enums.json"
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


@pytest.mark.django_db
def test_need_words_reach_the_places_offering_their_service(demo_places):
    found = run({"q": "titre de séjour"})
    rows = list(found.qs)
    assert len(rows) > 1  # one place writes « titre de séjour »; the others offer the démarches
    offering = set(Structure.objects.filter(terms__code="aide-aux-demarches-administratives")
                   .values_list("pk", flat=True))

    def says(row, words: str) -> bool:
        return words in fold(f"{row.nom} {row.presentation_resume} {row.presentation_detail} {row.adresse}")

    # Each place offers the service, or says the words or the service in its own text.
    assert all(row.pk in offering or says(row, "sejour") or says(row, "demarches administratives") for row in rows)
    assert rows[0].pk not in offering or "sejour" in fold(f"{rows[0].nom} {rows[0].presentation_resume} "
                                                          f"{rows[0].presentation_detail}")
    literal = run({"q": "titre de séjour", "tels_quels": "1"})
    assert literal.qs.count() < len(rows)


def test_every_need_names_a_service_of_the_standard():
    labels = {entry["label"] for entry in json.loads(ENUMS.read_text(encoding="utf-8"))["services"]}
    assert {label for _expressions, label in search_index.need_groups()} <= labels


@pytest.mark.django_db
def test_removing_an_understood_chip_removes_its_words_from_the_box(client, demo_places):
    response = client.get("/", {"q": "mediatheque limoges samedi"})
    chips = {chip["name"]: chip["url"] for chip in response.context["directory"]["chips"]}
    assert "q=mediatheque+limoges&" in chips["jour"] + "&" and "jour=" not in chips["jour"]
    assert "q=mediatheque+samedi" in chips["commune"]
    assert "tels_quels=1" in response.context["directory"]["as_typed_url"]
    body = response.content.decode()
    assert "Chercher les mots tels quels" in body and 'value="mediatheque limoges samedi"' in body
