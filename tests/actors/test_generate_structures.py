import io

import pytest
from django.core.management import CommandError, call_command

from actors.core import search_index
from actors.devdata.synthetic import SOURCE, Generator, candidate_communes
from actors.models import Structure, StructureQPV, WeeklySlot
from actors.open_data.exports import iter_rows
from actors.standard import parse_row


def generate(*args):
    call_command("generate_structures", *args, stdout=io.StringIO())


def exported_rows():
    return [row for row, _point in iter_rows(Structure.objects.filter(source=SOURCE))]


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_rows(vienne, terms):
    generate("--count", "120", "--seed", "7")
    first = exported_rows()
    generate("--count", "120", "--seed", "7", "--replace")
    assert exported_rows() == first
    generate("--count", "120", "--seed", "8", "--replace")
    assert exported_rows() != first
    assert Structure.objects.count() == 120


@pytest.mark.django_db
def test_structures_are_spread_in_proportion_to_population(vienne, terms):
    generate("--count", "400", "--seed", "1")
    in_poitiers = Structure.objects.filter(commune=vienne["poitiers"]).count()
    # Poitiers has 90,240 of the 100,240 inhabitants: 90 %.
    assert 0.85 * 400 < in_poitiers < 0.95 * 400
    assert Structure.objects.filter(commune__isnull=True).count() == 0


@pytest.mark.django_db
def test_generated_rows_are_valid_in_the_national_standard(vienne, terms):
    generate("--count", "300", "--seed", "3")
    for row in exported_rows():
        parsed = parse_row(row)
        assert parsed.ok, (row["id"], parsed.errors)


@pytest.mark.django_db
def test_generated_rows_have_hours_slots_qpv_links_itinerant_and_approximate_places(vienne, terms):
    generate("--count", "600", "--seed", "1")
    structures = Structure.objects.filter(source=SOURCE)
    assert WeeklySlot.objects.filter(weekday=5).exists()  # Saturdays
    assert WeeklySlot.objects.filter(closes__gt=18 * 60).exists()  # evenings
    assert StructureQPV.objects.filter(distance_m=0).exists()
    itinerant = structures.with_term("itinerance", ["itinerant"])
    assert itinerant.exists() and all(s.service_area.count() == 2 for s in itinerant[:5])
    approximate = structures.filter(location_is_approximate=True)
    assert 0 < approximate.count() < 0.1 * 600
    assert {s.location.coords for s in approximate} <= {vienne["poitiers"].centre.coords,
                                                       vienne["buxerolles"].centre.coords}
    names = " ".join(structures.values_list("nom", flat=True))
    assert "Médiathèque Poitiers" in names and "CCAS de " in names
    assert structures.values("slug").distinct().count() == 600


@pytest.mark.django_db
def test_slots_and_qpv_links_match_the_single_row_write_path(vienne, terms):
    """The bulk derivations give what structure_upsert gives for the same structure."""
    from actors.core.writes import structure_upsert
    from actors.standard import structure_to_row

    generate("--count", "200", "--seed", "5")
    for structure in Structure.objects.filter(source=SOURCE, location_is_approximate=False)[:40]:
        slots = list(structure.slots.values_list("weekday", "opens", "closes"))
        links = set(structure.qpv_links.values_list("qpv_id", "distance_m"))
        parsed = parse_row(structure_to_row(structure) | {"id": structure.source_id + "-copie"})
        copy = structure_upsert(parsed.values, parsed.terms).structure
        assert list(copy.slots.values_list("weekday", "opens", "closes")) == slots
        assert set(copy.qpv_links.values_list("qpv_id", "distance_m")) == links


@pytest.mark.django_db
def test_generation_refuses_to_pile_up_and_explains_missing_territories(db, terms):
    with pytest.raises(CommandError, match="load_territories"):
        generate("--count", "10")


@pytest.mark.django_db
def test_existing_synthetic_rows_need_replace(vienne, terms):
    generate("--count", "10")
    with pytest.raises(CommandError, match="--replace"):
        generate("--count", "10")


@pytest.mark.django_db
def test_departements_option_limits_the_communes(vienne, terms):
    assert candidate_communes(["87"]) == []
    assert [place.code for place in candidate_communes(["86"])] == ["86041", "86194"]
    assert len(list(Generator(1, candidate_communes(["86"])).items(5))) == 5


@pytest.mark.django_db
def test_generated_structures_are_found_by_text_search_and_leave_no_index_rows_when_replaced(vienne, terms):
    generate("--count", "200", "--seed", "2")
    # "Médiathèque X" by its name, "Bibliothèque municipale de X" by its typology's label.
    expected = Structure.objects.with_term("typologie", ["BIB"]).count()
    assert Structure.objects.filter(nom__startswith="Médiathèque").count() < expected
    assert Structure.objects.filter(search_index.matches("mediatheque")).count() == expected
    generate("--count", "200", "--seed", "4", "--replace")
    found = Structure.objects.filter(search_index.matches("mediatheque")).count()
    assert found == Structure.objects.with_term("typologie", ["BIB"]).count()
