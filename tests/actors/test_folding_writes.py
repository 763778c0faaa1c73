"""The write paths keep folding and honest facts up to date: imports, admin saves, state changes, re-imports."""

import datetime as dt

import pytest
from django.contrib.gis.geos import Point

from actors.core import honest_facts
from actors.core.writes import structure_save, structure_upsert, structures_set_state
from actors.duplicates import folding
from actors.models import DuplicateCandidate, Structure
from actors.vocabulary.enums import PublicationState

pytestmark = pytest.mark.django_db


def upsert(source: str, source_id: str, nom: str, point: Point | None, **extra):
    values = {
        "source": source, "source_id": source_id, "nom": nom, "adresse": "4 rue Jules Ferry", "code_postal": "86000",
        "commune_nom": "Poitiers", "code_insee": "86194", "date_maj": dt.date(2026, 10, 1), "location": point,
        "horaires": "Mo-Fr 09:00-12:00",
    }
    values.update(extra.pop("values", {}))
    return structure_upsert(values, {"services": ["aide-aux-demarches-administratives"], **extra}).structure


def test_two_sources_of_one_place_fold_after_a_write_and_unfold_when_the_kept_one_is_archived(vienne, terms):
    first = upsert("Liste A", "1", "CCAS de Poitiers", Point(0.3400, 46.5800, srid=4326))
    second = upsert("Liste B", "x9", "C.C.A.S. de Poitiers", Point(0.3401, 46.5801, srid=4326),
                    values={"date_maj": dt.date(2026, 11, 1)})
    assert Structure.objects.public().count() == 2
    counts = folding.refresh(pks=[second.pk])
    assert (counts.groups, counts.copies) == (1, 1)
    assert Structure.objects.public().get() == second  # hours from both, the freshest source stands for it
    pair = DuplicateCandidate.objects.get()
    assert pair.folds and "même nom" in pair.reasons

    structures_set_state([second], PublicationState.ARCHIVED)
    assert Structure.objects.public().get() == first
    structures_set_state([Structure.objects.get(pk=second.pk)], PublicationState.PUBLISHED)
    assert Structure.objects.public().get() == second


def test_an_admin_edit_that_makes_two_records_differ_unfolds_them(vienne, terms):
    first = upsert("Liste A", "1", "Médiathèque de Poitiers", Point(0.3400, 46.5800, srid=4326))
    second = upsert("Liste B", "2", "Médiathèque de Poitiers", Point(0.3400, 46.5800, srid=4326))
    folding.refresh()
    assert Structure.objects.public().count() == 1
    second.nom, second.adresse = "Mairie de Poitiers", "15 place du Maréchal Leclerc"
    structure_save(second)
    assert Structure.objects.public().count() == 2
    assert not DuplicateCandidate.objects.get().folds
    assert first.pk != second.pk


def test_a_far_point_is_replaced_by_the_commune_centre_and_a_second_import_changes_nothing(vienne, terms):
    marseille = Point(5.3698, 43.2965, srid=4326)
    structure = upsert("Liste A", "1", "Espace numérique", marseille)
    assert structure.location_is_approximate
    assert structure.source_location.equals_exact(marseille, 1e-9)
    assert structure.location.equals_exact(vienne["poitiers"].centre, 1e-9)
    again = structure_upsert({
        "source": "Liste A", "source_id": "1", "nom": "Espace numérique", "adresse": "4 rue Jules Ferry",
        "code_postal": "86000", "commune_nom": "Poitiers", "code_insee": "86194", "date_maj": dt.date(2026, 10, 1),
        "location": marseille, "horaires": "Mo-Fr 09:00-12:00",
    }, {"services": ["aide-aux-demarches-administratives"]})
    assert again.action == "unchanged"
    # A coordinator who places the point by hand clears the flag.
    structure.location = Point(0.3410, 46.5810, srid=4326)
    structure_save(structure)
    structure.refresh_from_db()
    assert structure.source_location is None and not structure.location_is_approximate


def test_a_record_that_ticks_nearly_every_public_and_care_value_makes_blanket_claims():
    vocabulary = {"publics": {"a", "b", "c", "d", "e"}, "care": {"v", "w", "x", "y", "z", "s", "t"}}
    assert honest_facts.claims_are_blanket({"publics": {"a", "b", "c"}, "care": {"v", "w", "x", "y", "z"}}, vocabulary)
    assert honest_facts.claims_are_blanket({"care": {"v", "w", "x", "y", "z", "s", "t"}}, vocabulary)  # a whole list
    assert not honest_facts.claims_are_blanket({"publics": {"a", "b", "c"}, "care": {"v", "w", "x"}}, vocabulary)
    assert not honest_facts.claims_are_blanket({"care": {"s"}}, vocabulary)
