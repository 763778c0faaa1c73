"""One bad row never refuses a file, two files of one producer converge, and the edges of an import are clean.

Measured before (issue 22): a v1 JSON with one SIRET failing its check digit was refused whole; a coordinator's
4-row file with one row outside the territory wrote nothing; two same-producer files with equal `date_maj`
rewrote each other on every pass (placeholder SIRET over real ones, 6th-decimal coordinates counted as a
change); `--report` into a missing folder committed the rows and then crashed with exit code 1; a PNG was
answered with a separator message; `slug` and `communes_desservies` were reported « ignorée ».
"""

import csv
import json
import os
import time
from io import StringIO

import pytest
from django.contrib.gis.db.models.functions import Distance
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command

from actors.core.scope import coordinator_create
from actors.imports import import_file, jobs
from actors.models import Structure
from actors.vocabulary.enums import UNKNOWN_PIVOT
from territories.models import Commune
from tests.fixtures.imports import write_rows

pytestmark = pytest.mark.django_db


def rows_of(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_a_v1_json_with_a_bad_siret_key_keeps_the_row_with_an_unknown_siret(vienne, terms, import_data, tmp_path):
    path = tmp_path / "lieux.json"
    path.write_text(json.dumps(rows_of(import_data / "siret_invalide.csv")), encoding="utf-8")
    report = import_file(path, apply=True)
    assert (report.ok, report.format, report.created, report.rejected, report.exit_code) == (
        True, "standard", 2, 0, 0)
    [warning] = report.problems
    assert (warning.row, warning.column, warning.rejected) == (2, "pivot", False)
    assert "21860194600014" in warning.reason and "clé de contrôle" in warning.reason
    assert Structure.objects.get(source_id="poitiers-2").pivot == UNKNOWN_PIVOT
    assert Structure.objects.get(source_id="poitiers-1").pivot == "21860194600013"
    refused = import_file(path, apply=True, strict=True)
    assert not refused.ok and refused.exit_code == 1


def test_a_coordinators_row_outside_the_territory_is_rejected_alone(vienne, terms, import_data, tmp_path):
    user = coordinator_create("poitiers@example.org", communes=["86194"])
    first, buxerolles = rows_of(import_data / "valide.csv")
    rows = [{**first, "id": f"centre-{n}", "nom": f"{first['nom']} {n}"} for n in (1, 2, 3)] + [buxerolles]
    report = import_file(write_rows(tmp_path / "quatre.csv", rows), apply=True, user=user)
    assert (report.created, report.rejected, report.exit_code) == (3, 1, 2)
    [problem] = [p for p in report.problems if p.rejected]
    assert problem.row == 4 and problem.reason == "Buxerolles : hors de votre territoire."
    assert Structure.objects.count() == 3


def same_producer_files(import_data, tmp_path, *, newer: bool):
    """Two files carrying the same producer's record: B has the placeholder SIRET, another phone, another
    summary and the point rounded differently at the 6th decimal (11 cm), at the same or a newer date."""
    [row] = [r for r in rows_of(import_data / "valide.csv") if r["id"] == "poitiers-1"]
    a = {**row, "telephone": "+33549523151", "latitude": "46.580200"}
    b = {**row, "pivot": UNKNOWN_PIVOT, "telephone": "+33549000000", "presentation_resume": "Prêt de livres",
         "latitude": "46.580201", "date_maj": "2025-06-01" if newer else row["date_maj"]}
    return write_rows(tmp_path / "a.csv", [a]), write_rows(tmp_path / "b.csv", [b])


def test_two_files_of_one_producer_with_equal_dates_converge_and_a_second_pass_writes_nothing(
    vienne, terms, import_data, tmp_path
):
    a, b = same_producer_files(import_data, tmp_path, newer=False)
    assert import_file(a, apply=True).created == 1
    filled = import_file(b, apply=True)
    assert filled.updated == 1  # the summary was blank: filled
    [kept] = [p for p in filled.problems if "Même date" in p.reason]
    assert kept.column == "pivot, telephone"
    history = Structure.history.count()
    for path in (a, b, a, b):
        again = import_file(path, apply=True)
        assert (again.created, again.updated, again.unchanged) == (0, 0, 1), path.name
    assert Structure.history.count() == history
    place = Structure.objects.get()
    assert (place.pivot, place.telephone, place.presentation_resume) == (
        "21860194600013", "+33549523151", "Prêt de livres")


def test_a_newer_date_wins_but_never_with_a_placeholder(vienne, terms, import_data, tmp_path):
    a, b = same_producer_files(import_data, tmp_path, newer=True)
    import_file(a, apply=True)
    report = import_file(b, apply=True)
    assert report.updated == 1
    assert any(p.column == "pivot" and "SIRET inconnu" in p.reason for p in report.problems)
    place = Structure.objects.get()
    assert (place.pivot, place.telephone) == ("21860194600013", "+33549000000")
    history = Structure.history.count()
    assert [import_file(path, apply=True).updated for path in (b, b)] == [0, 0]
    assert Structure.history.count() == history


@pytest.mark.parametrize("content, kind", [
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "une image PNG"),
    (b"PK\x03\x04\x14\x00\x06\x00", "classeur Excel (.xlsx)"),
    (b"%PDF-1.7\n", "un document PDF"),
    (b"id,nom\x00\x00\x01", "un fichier binaire"),
])
def test_a_binary_file_is_named_as_such(db, tmp_path, content, kind):
    path = tmp_path / "lieux.csv"
    path.write_bytes(content)
    report = import_file(path, apply=True)
    assert kind in report.fatal and "pas un fichier texte" in report.fatal
    assert "Séparateur" not in report.fatal


def test_a_report_in_a_missing_folder_is_refused_before_anything_is_written(vienne, terms, import_data, tmp_path):
    with pytest.raises(CommandError) as refused:
        call_command("import_lieux", str(import_data / "valide.csv"), "--apply",
                     "--report", str(tmp_path / "absent" / "r.csv"), stdout=StringIO())
    assert refused.value.returncode == 1 and "n'existe pas" in str(refused.value)
    assert Structure.objects.count() == 0


def test_exit_codes_0_all_written_2_some_rejected_1_nothing_written(vienne, terms, import_data, tmp_path):
    call_command("import_lieux", str(import_data / "valide.csv"), "--apply", stdout=StringIO())  # 0: no error
    with pytest.raises(CommandError) as some:
        call_command("import_lieux", str(import_data / "commune_introuvable.csv"), "--apply", stdout=StringIO())
    assert some.value.returncode == 2
    [row] = [r for r in rows_of(import_data / "commune_introuvable.csv") if r["id"] == "x-1"]
    with pytest.raises(CommandError) as none:
        call_command("import_lieux", str(write_rows(tmp_path / "x.csv", [row])), "--apply", stdout=StringIO())
    assert none.value.returncode == 1


def test_the_extension_columns_are_read_not_ignored(vienne, terms, import_data, tmp_path):
    rows = [{**row, "slug": f"lieu-{row['id']}", "communes_desservies": "86194"}
            for row in rows_of(import_data / "valide.csv")]
    report = import_file(write_rows(tmp_path / "ext.csv", rows), apply=True)
    assert report.ignored_columns == {}
    assert Structure.objects.get(source_id="poitiers-1").slug == "lieu-poitiers-1"


def test_uploads_older_than_a_day_are_swept(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    old = default_storage.save(f"{jobs.UPLOADS}/old", ContentFile(b"id,nom\n"))
    fresh = default_storage.save(f"{jobs.UPLOADS}/fresh", ContentFile(b"id,nom\n"))
    day_ago = time.time() - 25 * 3600
    os.utime(default_storage.path(old), (day_ago, day_ago))
    assert jobs.sweep_uploads() == 1
    assert (default_storage.exists(old), default_storage.exists(fresh)) == (False, True)


def test_a_lone_wrong_insee_code_is_outvoted_by_name_postcode_and_point(territories_vienne_haute_vienne, terms,
                                                                        import_data, tmp_path):
    """The Arras case on our own data: Poitiers' name, postcode and point, with Limoges' INSEE code."""
    rows = [{**row, "code_insee": "87085"} if row["id"] == "poitiers-1" else row
            for row in rows_of(import_data / "valide.csv")]
    report = import_file(write_rows(tmp_path / "insee.csv", rows), apply=True)
    [line] = [p for p in report.problems if p.column == "code_insee"]
    limoges, poitiers = (Commune.objects.get(pk=code) for code in ("87085", "86194"))
    km = round(Commune.objects.filter(pk="86194").annotate(
        d=Distance("centre", limoges.centre, spheroid=True)).get().d.m / 1000)
    assert line.reason == (f"Commune retenue {poitiers} : code INSEE 87085 ({limoges}, à {km} km) écarté : le nom, "
                           f"le code postal et la position désignent {poitiers}.")
    place = Structure.objects.get(source_id="poitiers-1")
    assert (place.commune_id, place.commune_is_approximate, place.location_is_approximate) == ("86194", False, False)
    assert (round(place.location.y, 4), round(place.location.x, 4)) == (46.5802, 0.3404)  # the file's point kept


def test_an_insee_code_backed_by_the_point_stands(territories_vienne_haute_vienne, terms, import_data, tmp_path):
    rows = [{**row, "code_insee": "87085", "latitude": "45.8336", "longitude": "1.2611"}
            if row["id"] == "poitiers-1" else row for row in rows_of(import_data / "valide.csv")]
    report = import_file(write_rows(tmp_path / "insee.csv", rows), apply=True)
    assert not [p for p in report.problems if p.column == "code_insee"]
    place = Structure.objects.get(source_id="poitiers-1")
    assert (place.commune_id, place.commune_is_approximate) == ("87085", True)
