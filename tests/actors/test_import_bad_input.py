"""Every kind of bad input gets a precise French message, and nothing is written for that file."""

import pytest

from actors.imports import import_file
from actors.models import Structure

pytestmark = pytest.mark.django_db


def run(path, apply=True):
    return import_file(path, apply=apply)


def test_a_valid_standard_file_is_written_only_with_apply(vienne, terms, import_data):
    dry = run(import_data / "valide.csv", apply=False)
    assert (dry.ok, dry.format, dry.created) == (True, "standard", 2)
    assert Structure.objects.count() == 0
    applied = run(import_data / "valide.csv")
    assert applied.created == 2
    assert Structure.objects.get(source_id="poitiers-1").commune == vienne["poitiers"]


def test_a_second_apply_changes_nothing(vienne, terms, import_data):
    run(import_data / "valide.csv")
    again = run(import_data / "valide.csv")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)


@pytest.mark.parametrize("name", ["excel_latin1.csv", "excel_bom.csv"])
def test_excel_exports_are_read_correctly_with_a_note(vienne, terms, import_data, name):
    report = run(import_data / name)
    assert report.ok and report.created == 2
    assert report.notes
    assert Structure.objects.get(source_id="poitiers-1").nom == "Médiathèque François-Mitterrand"


@pytest.mark.parametrize(
    "name, expected",
    [
        ("format_inconnu.csv", "Format de fichier inconnu"),
        ("colonne_manquante.csv", "Colonnes obligatoires absentes : adresse"),
        ("point_virgule.csv", "Séparateur « ; »"),
        ("vide.csv", "Le fichier est vide"),
    ],
)
def test_a_file_level_problem_rejects_the_file(vienne, terms, import_data, name, expected):
    report = run(import_data / name)
    assert not report.ok
    assert expected in report.fatal
    assert Structure.objects.count() == 0


@pytest.mark.parametrize(
    "name, column, expected",
    [
        ("siret_invalide.csv", "pivot", "clé de contrôle"),
        ("horaires_impossibles.csv", "horaires", "Horaires illisibles"),
        ("hors_de_france.csv", "latitude", "hors de France"),
        ("lat_lon_inverses.csv", "latitude", "inversées"),
        ("date_future.csv", "date_maj", "dans le futur"),
    ],
)
def test_one_bad_row_of_a_standard_file_rejects_the_whole_file_when_strict_and_names_row_and_column(
    vienne, terms, import_data, name, column, expected
):
    lenient = run(import_data / name, apply=False)
    assert lenient.ok and lenient.created >= 1  # by default the other row (and the row's valid fields) stay
    assert (2, column) in {(p.row, p.column) for p in lenient.problems}
    report = import_file(import_data / name, apply=True, strict=True)
    assert not report.ok
    assert "rien n'est écrit" in report.fatal
    [problem] = [p for p in report.problems if p.rejected]
    assert (problem.row, problem.column) == (2, column)
    assert expected in problem.reason
    assert Structure.objects.count() == 0


def test_a_missing_file_is_reported_not_raised(db, tmp_path):
    report = run(tmp_path / "absent.csv")
    assert not report.ok and "Fichier introuvable" in report.fatal


def test_a_json_file_that_is_not_a_list_of_places_is_refused(db, tmp_path):
    path = tmp_path / "lieux.json"
    path.write_text('{"a": 1}', encoding="utf-8")
    assert "liste d'objets" in run(path).fatal


def test_rows_outside_the_coordinators_territory_are_rejected(vienne, terms, import_data):
    from actors.core.scope import coordinator_create
    from actors.models import CoordinatorScope

    user = coordinator_create("poitiers@example.org", communes=["86194"])
    assert CoordinatorScope.objects.filter(user=user).count() == 1
    report = import_file(import_data / "valide.csv", apply=True, user=user)
    assert report.ok and report.exit_code == 2  # the row outside is rejected alone, the one inside written
    [problem] = [p for p in report.problems if p.rejected]
    assert problem.row == 2 and "hors de votre territoire" in problem.reason
    assert list(Structure.objects.values_list("source_id", flat=True)) == ["poitiers-1"]
    strict = import_file(import_data / "valide.csv", apply=True, user=user, strict=True)
    assert not strict.ok and strict.created == 0


def test_the_command_is_a_dry_run_unless_told_to_apply(vienne, terms, import_data, tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    out = StringIO()
    call_command("import_lieux", str(import_data / "valide.csv"), "--report", str(tmp_path / "r.csv"), stdout=out)
    assert "Simulation" in out.getvalue() and Structure.objects.count() == 0
    with pytest.raises(CommandError) as refused:
        call_command("import_lieux", str(import_data / "siret_invalide.csv"), "--apply", "--strict",
                     "--report", str(tmp_path / "r.csv"), stdout=out)
    assert refused.value.returncode == 1
    assert "clé de contrôle" in (tmp_path / "r.csv").read_text(encoding="utf-8")
    assert Structure.objects.count() == 0
