"""Limits in French (descriptions, file size, line length) and exit codes that scripts can test.

Measured before the fix: a 25-million-character description was stored; a 50 MB line failed with the csv
module's English message; a refused file and a missing file both exited with code 0.
"""

import csv
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from actors.imports import import_file
from actors.imports.reading import MAX_FILE_BYTES, MAX_LINE_BYTES
from actors.models import Structure
from tests.fixtures.imports import write_rows

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_a_standard_description_over_10000_characters_refuses_the_file_when_strict(vienne, terms, import_data):
    lenient = import_file(import_data / "description_trop_longue.csv", apply=False)
    assert lenient.ok and any("coupée à 10000" in p.reason for p in lenient.problems)
    report = import_file(import_data / "description_trop_longue.csv", apply=True, strict=True)
    assert not report.ok and Structure.objects.count() == 0
    [problem] = [p for p in report.problems if p.rejected]
    assert problem.column == "presentation_detail"
    assert "10500 caractères : 10000 au maximum" in problem.reason


def test_a_legacy_description_over_10000_characters_is_cut_with_a_warning(vienne, terms, import_data, tmp_path):
    with open(import_data / "france_services_horaires.csv", encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    rows[0]["commentaire"] = "Accueil et accompagnement. " * 1200  # 32,400 characters
    report = import_file(write_rows(tmp_path / "fs.csv", rows), apply=True)
    assert report.created == 2
    assert max(len(s.presentation_detail) for s in Structure.objects.all()) == 10_000
    assert any("coupée à 10000" in p.reason for p in report.problems)


def test_a_file_over_20_mb_is_refused_in_french(db, tmp_path, import_data):
    path = tmp_path / "gros.csv"
    header = (import_data / "valide.csv").read_text(encoding="utf-8").splitlines()[0]
    with open(path, "w", encoding="utf-8") as stream:
        stream.write(header + "\n")
        stream.write(("a," * 500 + "\n") * (MAX_FILE_BYTES // 1000 + 10))
    report = import_file(path, apply=False)
    assert report.fatal.startswith("Fichier trop volumineux : 20,")
    assert "20,0 Mo au plus" in report.fatal


def test_a_csv_line_over_1_mb_is_refused_in_french(vienne, terms, tmp_path, import_data):
    lines = (import_data / "valide.csv").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "ligne.csv"
    path.write_text("\n".join([lines[0], lines[1].replace("Médiathèque", "M" * (MAX_LINE_BYTES + 10), 1)]) + "\n",
                    encoding="utf-8")
    report = import_file(path, apply=False)
    assert report.fatal.startswith("Ligne 2 trop longue : 1,0 Mo, 1,0 Mo au plus par ligne")


def test_a_json_value_over_1_mb_is_refused_in_french(db, tmp_path):
    path = tmp_path / "lieux.json"
    path.write_text('[{"id": "1", "nom": "' + "x" * (MAX_LINE_BYTES + 1) + '"}]', encoding="utf-8")
    report = import_file(path, apply=False)
    assert "Lieu 1, colonne « nom » : valeur trop longue" in report.fatal


def test_a_broken_csv_or_json_is_refused_in_french(db, tmp_path):
    path = tmp_path / "casse.json"
    path.write_text('[{"id": "1",}]', encoding="utf-8")
    assert "syntaxe invalide" in import_file(path, apply=False).fatal


@pytest.mark.parametrize("name", ["format_inconnu.csv", "absent.csv"])
def test_a_refused_or_missing_file_exits_with_code_1(db, import_data, name):
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_lieux", str(import_data / name), stdout=out)
    assert raised.value.returncode == 1
    assert "refusé" in str(raised.value)


def test_exit_code_2_when_a_row_is_rejected_and_strict_writes_nothing(vienne, terms, import_data, tmp_path):
    lines = (import_data / "cnfs_horaires.csv").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "cnfs.csv"
    path.write_text("\n".join([lines[0], lines[1], lines[2].replace("ccas st aubin de medoc", "", 1)]) + "\n",
                    encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("import_lieux", str(path), "--apply", "--strict", stdout=StringIO())
    assert raised.value.returncode == 1
    assert Structure.objects.count() == 0  # all or nothing: the valid row is not written either
    with pytest.raises(CommandError) as raised:
        call_command("import_lieux", str(path), "--apply", stdout=StringIO())
    assert raised.value.returncode == 2
    assert Structure.objects.count() == 1  # the valid row is written; the exit code says one was not


def test_the_process_exit_code_is_what_a_script_sees(import_data, tmp_path):
    """One real process: `manage.py import_lieux` on a missing file exits 1 with a French message."""
    result = subprocess.run([sys.executable, "manage.py", "import_lieux", str(tmp_path / "absent.csv")],
                            cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env={"DATABASE_URL": f"spatialite:///{tmp_path / 'db.sqlite3'}", "PATH": "/usr/bin:/bin",
                                     "SECRET_KEY": "test-only-" + "k" * 50})
    assert result.returncode == 1, result.stderr
    assert "Fichier introuvable" in result.stdout
    assert "refusé" in result.stderr
