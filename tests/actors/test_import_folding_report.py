"""Folding by an import is never silent (issue 22, item 5): the report counts and lists the duplicate pairs
stored, the new places hidden from the public because folded, and the public places replaced on the site,
with the representative rule's reason and a link; a dry run says what applying does.

Measured before: a report said « 0 doublons probables » while 237 pairs were stored and 174 new places were
hidden; an imported copy replaced 7 existing public places without a line.
"""

import csv
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from actors.imports import import_file, jobs, write_csv
from actors.models import DuplicateCandidate, Structure
from tests.fixtures.imports import write_rows

pytestmark = pytest.mark.django_db


def copies(import_data) -> list[dict[str, str]]:
    """Another producer's copies of the two places of valide.csv: Poitiers' with hours and a newer date (it
    must stand for the place), Buxerolles' older and without hours (it must hide behind the stored one)."""
    with open(import_data / "valide.csv", encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    poitiers = {**rows[0], "id": "copie-1", "source": "Réseau des médiathèques", "date_maj": "2025-01-06"}
    buxerolles = {**rows[1], "id": "copie-2", "source": "Réseau des médiathèques", "date_maj": "2023-01-06",
                  "horaires": ""}
    return [poitiers, buxerolles]


def test_a_dry_run_says_which_places_join_and_leave_the_public_site(vienne, terms, import_data, tmp_path):
    import_file(import_data / "valide.csv", apply=True)
    public_before = set(Structure.objects.public().values_list("pk", flat=True))
    path = write_rows(tmp_path / "copies.csv", copies(import_data))

    dry = import_file(path, apply=False)
    assert set(Structure.objects.public().values_list("pk", flat=True)) == public_before
    applied = import_file(path, apply=True)
    public_after = set(Structure.objects.public().values_list("pk", flat=True))

    poitiers = Structure.objects.get(source_id="poitiers-1")
    buxerolles = Structure.objects.get(source_id="poitiers-2")
    copy_1, copy_2 = (Structure.objects.get(source_id=ident) for ident in ("copie-1", "copie-2"))
    # The oracle is the public verb itself: one place left the site, one new record joined it, one is hidden.
    assert public_before - public_after == {poitiers.pk} and public_after - public_before == {copy_1.pk}
    assert copy_2.folded_into_id == buxerolles.pk
    stored = DuplicateCandidate.objects.filter(first__in=[copy_1, copy_2]) | DuplicateCandidate.objects.filter(
        second__in=[copy_1, copy_2])
    for report in (dry, applied):
        assert (report.pairs_stored, report.hidden_new, report.replaced) == (stored.count(), 1, 1)
        assert "2 paires de doublons probables enregistrées, 1 nouveaux lieux masqués car regroupés, 1 lieux " \
               "publics remplacés sur le site." in report.summary()
    replaced = [line for line in applied.folding if line.kind == "lieu public remplacé"]
    assert [(line.row, line.link) for line in replaced] == [(1, ("place", poitiers.pk))]
    assert replaced[0].text == (
        f"#{poitiers.pk} « {poitiers.nom} », public avant l'import, est remplacé sur le site par #{copy_1.pk} "
        f"« {copy_1.nom} » (même lieu), car sa mise à jour est plus récente (2025-01-06 contre 2024-04-02).")
    [hidden] = [line for line in dry.folding if line.kind == "nouveau lieu masqué (regroupé)"]
    assert hidden.row == 2 and hidden.link == ("place", buxerolles.pk)
    assert hidden.text == (f"ligne 2 « {copy_2.nom} » n'apparaît pas sur le site public : regroupé avec "
                           f"#{buxerolles.pk} « {buxerolles.nom} », qui le représente car il donne des horaires, "
                           "l'autre non.")
    # A dry run names no record that will not exist; the applied report links every pair.
    assert all(line.link is None for line in dry.folding if not line.public_change)
    assert {line.link[1] for line in applied.folding if not line.public_change} == set(
        stored.values_list("pk", flat=True))


def test_the_csv_report_the_command_and_a_background_job_keep_the_folding_lines(vienne, terms, import_data,
                                                                               tmp_path):
    import_file(import_data / "valide.csv", apply=True)
    path = write_rows(tmp_path / "copies.csv", copies(import_data))
    report = import_file(path, apply=False)
    stream = StringIO()
    write_csv([report], stream)
    lines = [row for row in csv.reader(StringIO(stream.getvalue())) if row[3] == "lieu public remplacé"]
    poitiers = Structure.objects.get(source_id="poitiers-1")
    assert [row[-1] for row in lines] == [reverse("admin:actors_structure_change", args=[poitiers.pk])]
    again = jobs.report_from_dict(jobs.report_to_dict(report))
    assert (again.folding, again.replaced, again.hidden_new) == (report.folding, 1, 1)
    out = StringIO()
    call_command("import_lieux", str(path), stdout=out)  # a dry run: every row would be written (exit 0)
    assert "lieu public remplacé" in out.getvalue() and "nouveau lieu masqué (regroupé)" in out.getvalue()
