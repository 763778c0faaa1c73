"""The whole demo, exported then imported into an empty database, exports the same files and keeps its URLs."""

import csv
import io
import json
from io import StringIO

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command

from actors.core.locate import find_commune
from actors.core.writes import structures_bulk_delete
from actors.devdata import demo
from actors.imports import import_file
from actors.imports.bulk import CommuneIndex
from actors.models import DuplicateCandidate, Structure
from actors.open_data.exports import export_chunks, public_structures

pytestmark = pytest.mark.django_db


def exports() -> dict[str, str]:
    return {fmt: "".join(export_chunks(public_structures(), fmt)) for fmt in ("csv", "json", "geojson")}


def urls() -> dict[tuple[str, str], str]:
    """The public places' URLs (a folded copy is not exported: its old URL leads to the place it folds into)."""
    return {(s.source, s.source_id): s.get_absolute_url() for s in Structure.objects.public()}


def served() -> dict[tuple[str, str], set[str]]:
    return {(s.source, s.source_id): {c.pk for c in s.service_area.all()}
            for s in Structure.objects.public().prefetch_related("service_area") if s.service_area.all()}


def test_the_demo_export_imported_into_an_empty_database_gives_identical_files_and_urls(terms, tmp_path):
    call_command("load_territories", force=True, stdout=StringIO())
    demo.restore(demo.read_snapshot())
    before, before_urls, before_served = exports(), urls(), served()
    public = Structure.objects.public().count()
    assert len(before_urls) == public and len(before_served) == 12  # the bus stops serve the tour's communes
    path = tmp_path / "demo.csv"
    path.write_text(before["csv"], encoding="utf-8")

    DuplicateCandidate.objects.all().delete()
    structures_bulk_delete(Structure.objects.all())
    assert Structure.objects.count() == 0
    report = import_file(path, apply=True)
    assert report.ok, (report.summary(), [(p.row, p.column, p.reason) for p in report.problems if p.rejected])
    assert (report.created, report.rejected) == (public, 0)

    after = exports()
    for fmt in ("csv", "json", "geojson"):
        assert after[fmt] == before[fmt], fmt
    assert urls() == before_urls
    assert served() == before_served
    again = import_file(path, apply=True)
    assert (again.created, again.updated, again.unchanged) == (0, 0, public)

    # The communes read once for a file give what find_commune's own queries give, row by row.
    rows = list(csv.DictReader(io.StringIO(before["csv"], newline="")))
    index = CommuneIndex(rows)
    for row in rows:
        point = Point(float(row["longitude"]), float(row["latitude"]), srid=4326) if row["latitude"] else None
        args = (row["code_insee"], row["code_postal"], row["commune"], point)
        assert find_commune(*args, lookups=index) == find_commune(*args), row["id"]


def test_the_demo_export_is_valid_csv_with_the_standard_columns_first(terms):
    call_command("load_territories", departements="16", force=True, stdout=StringIO())
    data = demo.read_snapshot()
    bus = [r for r in data["structures"] if r["service_area"]]
    demo.restore({"structures": bus, "duplicates": []})
    rows = list(csv.DictReader(io.StringIO(exports()["csv"], newline="")))
    assert len(rows) == 12
    assert all(row["slug"] and len(row["communes_desservies"].split("|")) == 12 for row in rows)
    assert json.loads(exports()["json"])[0]["slug"] == rows[0]["slug"]
