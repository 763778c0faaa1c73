"""Likely duplicates across sources are recorded as ordered pairs with a score and reasons, never merged."""

import datetime as dt

import pytest
from django.contrib.gis.geos import Point

from actors.core.writes import structure_upsert
from actors.duplicates.pairs import find_duplicates, name_similarity, record_duplicates
from actors.models import DuplicateCandidate, Structure

pytestmark = pytest.mark.django_db


def place(source, source_id, nom, lon=0.3404, lat=46.5802, **extra):
    values = {"source": source, "source_id": source_id, "nom": nom, "date_maj": dt.date(2024, 1, 1),
              "adresse": "1 rue A", "code_postal": "86000", "commune_nom": "Poitiers", "code_insee": "86194",
              "location": Point(lon, lat, srid=4326), "pivot": "00000000000000", **extra}
    return structure_upsert(values).structure


def test_names_are_compared_on_folded_words():
    assert name_similarity("Médiathèque de Poitiers", "MEDIATHEQUE POITIERS") == 1
    assert name_similarity("CCAS de Poitiers", "Mission locale") == 0


def test_close_points_with_similar_names_in_two_sources_make_a_pair(vienne, terms):
    first = place("cnfs", "1", "Médiathèque François-Mitterrand")
    second = place("fs", "9", "Mediatheque Francois Mitterrand", lon=0.3405)
    [(a, b, score, reasons)] = find_duplicates([second.pk])
    assert (a.pk, b.pk) == (first.pk, second.pk)
    assert "noms proches" in reasons and score >= 40


def test_same_siret_phone_and_email_add_up(vienne, terms):
    place("cnfs", "1", "Espace numérique", pivot="21860194600013", telephone="+33549000000", courriels="a@b.fr")
    other = place("fs", "1", "France services", lon=0.36, pivot="21860194600013", telephone="+33549000000",
                  courriels="x@y.fr|a@b.fr")
    [(_a, _b, score, reasons)] = find_duplicates([other.pk])
    assert reasons == "même SIRET, même téléphone, même courriel"
    assert score == 90


def test_places_of_one_source_or_far_apart_are_not_paired(vienne, terms):
    place("cnfs", "1", "Médiathèque")
    place("cnfs", "2", "Médiathèque")  # the source's own ids tell them apart
    far = place("fs", "1", "Médiathèque", lon=0.40)
    assert find_duplicates([far.pk]) == []


def test_recording_twice_keeps_one_pair_and_leaves_dismissed_pairs_alone(vienne, terms):
    place("cnfs", "1", "Médiathèque François-Mitterrand")
    second = place("fs", "9", "Médiathèque François-Mitterrand")
    pairs = record_duplicates([second.pk])
    record_duplicates([second.pk])
    candidate = DuplicateCandidate.objects.get()
    assert candidate.first_id < candidate.second_id and len(pairs) == 1
    candidate.status = "dismissed"
    candidate.save()
    record_duplicates([second.pk])
    assert DuplicateCandidate.objects.get().status == "dismissed"
    assert Structure.objects.count() == 2


def test_finding_duplicates_reads_only_the_neighbourhood(vienne, terms, django_assert_max_num_queries):
    pks = [place("s", str(i), f"Lieu {i}", lon=0.3404 + i * 0.01).pk for i in range(5)]
    with django_assert_max_num_queries(2):
        find_duplicates(pks)
