"""A coordinator's import checks both sides of every row: the stored place and the new values must lie in the
coordinator's territories. Every combination, through the admin upload and through `import_lieux --as`.

The takeover measured before the fix: a coordinator of 87 exported a Gironde place, changed its commune to
one of 87 and imported it; the dry run said « 1 lieu modifié » and the place moved into 87.
"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from actors.models import Structure
from actors.standard import structure_to_row
from tests.fixtures.imports import newer, write_rows

pytestmark = pytest.mark.django_db
COORDINATOR_87 = "coord87@example.org"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def exported(structure: Structure) -> dict[str, str]:
    """The place's row as the public export writes it (the fixtures' places have no SIRET: placeholder)."""
    return {**structure_to_row(structure), "pivot": "00000000000000"}


def moved_to(row: dict[str, str], commune, point) -> dict[str, str]:
    return {**newer(row), "commune": commune.name, "code_postal": commune.postal_code_list[0],
            "code_insee": commune.code, "latitude": str(point[1]), "longitude": str(point[0])}


def case_row(case: str, places) -> tuple[dict[str, str], Structure | None]:
    """The row a coordinator of 87 imports for `case`, and the stored place it aims at (None: a creation)."""
    limoges, bordeaux = places["limoges"], places["bordeaux"]
    in_87, in_33 = places["theirs"]["structure"], places["bordelais"]["structure"]
    new = {**exported(in_87), "id": "nouveau-1", "nom": "Nouvel espace numérique"}
    rows = {
        "in/in": ({**exported(in_87), "telephone": "+33555000000"}, in_87),
        "in/out": (moved_to(exported(in_87), bordeaux, (-0.5750, 44.8400)), in_87),
        "out/in": (moved_to(exported(in_33), limoges, (1.2600, 45.8300)), in_33),
        "out/out": ({**exported(in_33), "telephone": "+33556000000"}, in_33),
        "create in": (new, None),
        "create out": (moved_to({**new, "id": "nouveau-2"}, bordeaux, (-0.5750, 44.8400)), None),
    }
    return rows[case]


EXPECTED_WRITE = {"in/in": "updated", "in/out": None, "out/in": None, "out/out": None,
                  "create in": "created", "create out": None}


def run_admin(client, user, path):
    client.force_login(user)
    with open(path, "rb") as handle:
        dry = client.post(reverse("admin:actors_structure_import"), {"file": handle})
    assert dry.status_code == 200
    token = dry.context.get("token")
    applied = client.post(reverse("admin:actors_structure_import"), {"_confirm": "1", "token": token})
    return dry.context["report"], applied


def run_command(path):
    out = StringIO()
    try:
        call_command("import_lieux", str(path), "--apply", "--as", COORDINATOR_87, stdout=out)
    except CommandError as error:  # its only row rejected or held: nothing written, exit code 1
        assert error.returncode == 1
    return out.getvalue()


def snapshot(structure: Structure) -> tuple:
    structure.refresh_from_db()
    return (structure.commune_id, structure.telephone, structure.nom, structure.updated_at)


@pytest.mark.parametrize("path_kind", ["admin", "command"])
@pytest.mark.parametrize("case", list(EXPECTED_WRITE))
def test_a_coordinator_of_87_writes_only_when_both_sides_lie_in_87(
    client, gironde_and_haute_vienne, tmp_path, case, path_kind
):
    places = gironde_and_haute_vienne
    row, target = case_row(case, places)
    path = write_rows(tmp_path / "lieux.csv", [row])
    before = snapshot(target) if target else None
    count = Structure.objects.count()

    if path_kind == "admin":
        report, _response = run_admin(client, places["other_coordinator"], path)
        rejected_in_dry_run = report.rejected == 1
    else:
        output = run_command(path)
        rejected_in_dry_run = "hors de votre territoire" in output

    expected = EXPECTED_WRITE[case]
    if expected is None:
        assert rejected_in_dry_run, case
        assert Structure.objects.count() == count
        if target:
            assert snapshot(target) == before, "the stored place must not change"
    elif expected == "created":
        assert Structure.objects.count() == count + 1
        assert Structure.objects.get(source_id="nouveau-1").commune == places["limoges"]
    else:
        assert snapshot(target)[1] == "+33555000000"


def test_the_measured_takeover_is_refused_with_the_reason(gironde_and_haute_vienne, tmp_path):
    from actors.imports import import_file

    places = gironde_and_haute_vienne
    bordeaux_place = places["bordelais"]["structure"]
    row = moved_to(exported(bordeaux_place), places["limoges"], (1.2600, 45.8300))
    report = import_file(write_rows(tmp_path / "export-modifie.csv", [row]), apply=True,
                         user=places["other_coordinator"])
    assert report.updated == 0
    [problem] = [p for p in report.problems if p.rejected]
    # The refusal never names a place of another coordinator's territory (nor its commune).
    assert "un lieu hors de votre territoire" in problem.reason
    assert bordeaux_place.nom not in problem.reason and "Bordeaux" not in problem.reason
    bordeaux_place.refresh_from_db()
    assert bordeaux_place.commune == places["bordeaux"]
    from actors.models import Structure as Model

    assert not Model.objects.editable_by(places["other_coordinator"]).filter(pk=bordeaux_place.pk).exists()


def test_without_as_the_command_is_the_operators_and_has_no_territory_limit(gironde_and_haute_vienne, tmp_path):
    places = gironde_and_haute_vienne
    row = moved_to(exported(places["bordelais"]["structure"]), places["limoges"], (1.2600, 45.8300))
    call_command("import_lieux", str(write_rows(tmp_path / "l.csv", [row])), "--apply", stdout=StringIO())
    places["bordelais"]["structure"].refresh_from_db()
    assert places["bordelais"]["structure"].commune == places["limoges"]


def test_the_scope_of_new_values_is_the_scope_of_editable_by_on_every_commune(gironde_and_haute_vienne):
    from actors.core.scope import commune_acceptor
    from territories.models import Commune

    places = gironde_and_haute_vienne
    for user in (places["coordinator"], places["other_coordinator"]):
        accept = commune_acceptor(user)
        editable = set(Structure.objects.editable_by(user).values_list("commune_id", flat=True))
        for commune in Commune.objects.all():
            has_places = Structure.objects.filter(commune=commune).exists()
            if has_places:
                assert accept(commune) == (commune.pk in editable), (user, commune)
