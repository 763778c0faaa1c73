"""A place is keyed by (producer, producer's id); updates come only from the same producer, are listed field by
field, and a change of both name and commune waits for an explicit confirmation.

Measured before the fix: the data·inclusion adapter keyed every row under its own name, so ids of different
producers collided: places of one producer were replaced by another's, and distinct places were rejected as
« Identifiant déjà utilisé ».
"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from actors.imports import import_file
from actors.models import Structure
from tests.fixtures.imports import newer, write_rows

pytestmark = pytest.mark.django_db
TWO_PRODUCERS = "data_inclusion_deux_producteurs.csv"


def test_two_producers_with_the_same_id_are_two_places(territories_vienne_haute_vienne, terms, import_data):
    report = import_file(import_data / TWO_PRODUCERS, apply=True)
    assert (report.created, report.rejected) == (2, 0)
    assert not [p for p in report.problems if "déjà utilisé" in p.reason]
    assert set(Structure.objects.values_list("source", "source_id")) == {("siao", "1712"), ("dora", "1712")}


def test_a_producers_row_never_replaces_another_producers_place(territories_vienne_haute_vienne, terms,
                                                                 import_data, tmp_path):
    lines = (import_data / TWO_PRODUCERS).read_text(encoding="utf-8").splitlines()
    first = tmp_path / "siao.csv"
    first.write_text("\n".join(lines[:2]) + "\n", encoding="utf-8")
    second = tmp_path / "dora.csv"
    second.write_text("\n".join([lines[0], lines[2]]) + "\n", encoding="utf-8")
    import_file(first, apply=True)
    ccas = Structure.objects.get()
    report = import_file(second, apply=True)
    assert (report.created, report.updated) == (1, 0)
    ccas.refresh_from_db()
    assert (ccas.nom, ccas.date_maj.isoformat()) == ("ALT CCAS", "2022-07-26")


def test_the_same_producers_id_in_another_file_updates_its_place(territories_vienne_haute_vienne, terms,
                                                                 import_data, tmp_path):
    import_file(import_data / TWO_PRODUCERS, apply=True)
    lines = (import_data / TWO_PRODUCERS).read_text(encoding="utf-8").splitlines()
    newer = lines[1].replace("05 55 45 97 39", "05 55 45 97 40").replace("2022-07-26", "2022-09-01")
    path = tmp_path / "siao-2.csv"
    path.write_text("\n".join([lines[0], newer]) + "\n", encoding="utf-8")
    dry = import_file(path, apply=False)
    assert dry.updated == 1
    [change] = dry.changes
    fields = {item.field: (item.old, item.new) for item in change.changes}
    assert fields["telephone"] == ("+33555459739", "+33555459740")
    assert fields["date_maj"] == ("2022-07-26", "2022-09-01")
    assert Structure.objects.get(source="siao").telephone == "+33555459739"  # a dry run writes nothing


def test_an_older_row_does_not_set_a_place_back_in_time(territories_vienne_haute_vienne, terms, import_data,
                                                        tmp_path):
    import_file(import_data / TWO_PRODUCERS, apply=True)
    lines = (import_data / TWO_PRODUCERS).read_text(encoding="utf-8").splitlines()
    older = lines[1].replace("ALT CCAS", "Ancien nom").replace("2022-07-26", "2017-07-26")
    path = tmp_path / "ancien.csv"
    path.write_text("\n".join([lines[0], older]) + "\n", encoding="utf-8")
    report = import_file(path, apply=True)
    assert (report.updated, report.unchanged) == (0, 1)
    assert any("plus récent" in p.reason for p in report.problems)
    assert Structure.objects.get(source="siao").nom == "ALT CCAS"


@pytest.fixture
def renamed_and_moved(two_territories, tmp_path):
    """The Poitiers place exported, then renamed and moved to Limoges: a different place under the same key."""
    from actors.standard import structure_to_row

    place = two_territories["ours"]["structure"]
    row = {**newer(structure_to_row(place)), "pivot": "00000000000000", "nom": "Centre social des Coutures",
           "commune": "Limoges", "code_postal": "87000", "code_insee": "87085", "latitude": "45.83",
           "longitude": "1.26"}
    return place, write_rows(tmp_path / "lieux.csv", [row])


def test_a_change_of_name_and_commune_at_once_is_held_until_confirmed(renamed_and_moved):
    place, path = renamed_and_moved
    held = import_file(path, apply=True)
    assert (held.updated, len(held.held)) == (0, 1)
    assert "en attente de confirmation" in held.summary()
    place.refresh_from_db()
    assert place.commune_id == "86194"
    confirmed = import_file(path, apply=True, confirm_identity_changes=True)
    assert (confirmed.updated, confirmed.held) == (1, [])
    place.refresh_from_db()
    assert (place.nom, place.commune_id) == ("Centre social des Coutures", "87085")


def test_the_command_holds_it_says_so_and_strict_exits_non_zero(renamed_and_moved):
    place, path = renamed_and_moved
    out = StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_lieux", str(path), "--apply", "--strict", stdout=out)
    assert raised.value.returncode == 1  # --strict: all or nothing, and the held row is not written
    assert "--confirm-identity-changes" in out.getvalue()
    call_command("import_lieux", str(path), "--apply", "--confirm-identity-changes", stdout=StringIO())
    place.refresh_from_db()
    assert place.commune_id == "87085"


def test_the_admin_shows_the_held_change_and_writes_it_only_when_ticked(client, renamed_and_moved, settings,
                                                                       tmp_path, django_user_model):
    settings.MEDIA_ROOT = tmp_path / "media"
    place, path = renamed_and_moved
    admin = django_user_model.objects.create_superuser("admin", "admin@example.org", "x")
    client.force_login(admin)
    url = reverse("admin:actors_structure_import")

    def dry_run():
        with open(path, "rb") as handle:
            return client.post(url, {"file": handle})

    response = dry_run()
    assert response.context["can_confirm"]
    assert "Centre social des Coutures" in response.content.decode()
    assert 'name="confirm_identity_changes"' in response.content.decode()
    client.post(url, {"_confirm": "1", "token": response.context["token"]})
    place.refresh_from_db()
    assert place.commune_id == "86194"
    response = dry_run()
    client.post(url, {"_confirm": "1", "token": response.context["token"], "confirm_identity_changes": "1"})
    place.refresh_from_db()
    assert place.commune_id == "87085"


def test_the_report_lists_every_update_field_by_field(two_territories, tmp_path):
    from actors.imports import write_csv
    from actors.standard import structure_to_row

    place = two_territories["ours"]["structure"]
    row = {**newer(structure_to_row(place)), "pivot": "00000000000000", "telephone": "+33549112233",
           "services": "Aide aux démarches administratives|Loisirs et créations numériques"}
    report = import_file(write_rows(tmp_path / "l.csv", [row]), apply=False)
    [change] = report.changes
    assert {item.field for item in change.changes} == {"pivot", "telephone", "services", "date_maj"}
    stream = StringIO()
    write_csv([report], stream)
    assert f"#{place.pk} {place.nom} : «  » → « +33549112233 »" in stream.getvalue()


def test_one_producers_record_in_two_files_converges_whatever_the_order(territories_vienne_haute_vienne, terms,
                                                                         import_data):
    """The CNFS list and data·inclusion carry the same conseiller-numerique records (same ids, same date),
    each with a gap the other fills (fees / INSEE code): the place takes both, and re-runs change nothing."""
    cnfs, data_inclusion = import_data / "meme_producteur_cnfs.csv", import_data / "meme_producteur_data_inclusion.csv"
    assert import_file(cnfs, apply=True).created == 1
    assert import_file(data_inclusion, apply=True).updated == 1
    place = Structure.objects.get()
    assert place.source == "conseiller-numerique"
    assert place.code_insee == "87114" and place.term_codes("frais_a_charge") == ["gratuit"]
    for path in (cnfs, data_inclusion, cnfs):
        again = import_file(path, apply=True)
        assert (again.created, again.updated, again.unchanged) == (0, 0, 1), path.name
