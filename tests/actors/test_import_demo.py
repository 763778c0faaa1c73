"""The demo is built by the importer from the real files, restores in one go, and a second run changes nothing."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from actors.devdata import demo
from actors.imports import import_file
from actors.models import DuplicateCandidate, Structure, WeeklySlot

pytestmark = pytest.mark.django_db
HAUTE_VIENNE = demo.SOURCES_DIR / "haute_vienne_87.json"


def test_the_shipped_snapshot_holds_the_eight_sources():
    data = demo.read_snapshot()
    assert len(demo.SOURCE_FILES) == 8
    assert all((demo.SOURCES_DIR / name).exists() for name in demo.SOURCE_FILES)
    assert len({record["source"] for record in data["structures"]}) == 8
    assert len(data["structures"]) == 2162
    keys = [(record["source"], record["source_id"]) for record in data["structures"]]
    assert len(set(keys)) == len(keys)


def test_load_demo_without_territories_says_what_to_load_first(db):
    with pytest.raises(CommandError, match="load_territories"):
        call_command("load_demo", stdout=StringIO())
    assert Structure.objects.count() == 0


def test_a_real_directory_imports_once_and_its_snapshot_restores_the_same_places(
    territories_vienne_haute_vienne, terms
):
    dry = import_file(HAUTE_VIENNE, apply=False)
    assert (dry.rows, dry.places, dry.created) == (561, 209, 205)
    assert dry.unmapped[("condition", "Accès sur RDV")] == 88
    assert Structure.objects.count() == 0
    first = import_file(HAUTE_VIENNE, apply=True)
    second = import_file(HAUTE_VIENNE, apply=True)
    assert first.created == 205
    assert (second.created, second.updated, second.unchanged) == (0, 0, 205)

    data = demo.snapshot(first.sources)
    slots = WeeklySlot.objects.count()
    approximate = Structure.objects.filter(location_is_approximate=True).count()
    Structure.objects.all().delete()
    counts = demo.restore(data)
    assert counts["created"] == 205
    assert WeeklySlot.objects.count() == slots
    assert Structure.objects.filter(location_is_approximate=True).count() == approximate
    assert Structure.history.count() >= 205
    assert demo.restore(data)["created"] == 0
    assert DuplicateCandidate.objects.count() == len(data["duplicates"])



FORMATS = {
    "france_services_2022-12-01_nouvelle-aquitaine.csv": "france-services",
    "cnfs_permanences_2022-12_nouvelle-aquitaine.csv": "cnfs",
    "lieux_mednum_via_data_inclusion_2023-02_nouvelle-aquitaine.csv": "data-inclusion",
    "gironde_33.json": "gironde",
    "haute_vienne_87.json": "haute-vienne",
    "la_creuse_23.json": "creuse",
    "fibre64_pyrenees_atlantiques_64.json": "fibre64",
    "bus_france_services_charente_16.json": "bus",
}


def test_each_demo_file_is_read_by_its_own_adapter_and_the_bus_keeps_its_twelve_stops(terms):
    call_command("load_territories", departements="16,17,19,23,24,33,40,47,64,79,86,87", force=True,
                 stdout=StringIO())
    assert set(FORMATS) == set(demo.SOURCE_FILES)
    for name, expected in FORMATS.items():
        report = import_file(demo.SOURCES_DIR / name, apply=False)
        assert (name, report.format, report.ok) == (name, expected, True)
        if expected == "bus":
            # The file also carries the standard v0.1's columns, with an empty date_maj.
            assert (report.rows, report.rejected, report.created) == (12, 0, 12)
