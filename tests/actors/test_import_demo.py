"""The demo is built by the importer from the real files, restores in one go, and a second run changes nothing."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from actors import demo
from actors.importers import import_file
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
