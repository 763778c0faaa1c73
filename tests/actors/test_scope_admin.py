"""A coordinator of the Vienne tries every admin URL and action on the Haute-Vienne's records: all fail."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from actors.models import (
    ContactPerson,
    CorrectionReport,
    DuplicateCandidate,
    Structure,
    StructureQPV,
    TemporaryClosure,
    WeeklySlot,
)

pytestmark = pytest.mark.django_db

# (fixture key, admin model name, bulk actions of that admin)
MODELS = [
    ("structure", "structure", ["publish", "archive", "mark_verified", "export_csv", "delete_selected"]),
    ("closure", "temporaryclosure", ["delete_selected"]),
    ("contact", "contactperson", ["delete_selected"]),
    ("report", "correctionreport", ["accept", "reject"]),
    ("pair", "duplicatecandidate", ["dismiss"]),
]


def snapshot() -> dict:
    """Everything a crossing attempt could change, history included."""
    tables = [Structure, TemporaryClosure, ContactPerson, CorrectionReport, DuplicateCandidate, WeeklySlot,
              StructureQPV]
    state = {model.__name__: sorted(str({k: getattr(v, "wkt", v) for k, v in row.items()})
                                    for row in model.objects.values()) for model in tables}
    for model in (Structure, TemporaryClosure, ContactPerson):
        state[f"history-{model.__name__}"] = model.history.count()
    return state


@pytest.fixture
def coordinator_client(client, two_territories):
    client.force_login(two_territories["coordinator"])
    return client


def object_urls():
    for key, model, _actions in MODELS:
        for view in ("change", "delete", "history"):
            yield key, model, view


@pytest.mark.parametrize(("key", "model", "view"), list(object_urls()))
def test_a_coordinator_cannot_open_another_territorys_record(coordinator_client, two_territories, key, model, view):
    target = two_territories["theirs"][key]
    before = snapshot()
    url = reverse(f"admin:actors_{model}_{view}", args=[target.pk])
    assert coordinator_client.get(url).status_code in (403, 404)
    assert coordinator_client.post(url, {"post": "yes", "nom": "Piraté", "_save": "1"}).status_code in (403, 404)
    assert snapshot() == before


@pytest.mark.parametrize("key", ["structure", "closure", "contact"])
def test_a_coordinator_cannot_open_or_revert_another_territorys_history_version(coordinator_client, two_territories,
                                                                                key):
    target = two_territories["theirs"][key]
    model = target._meta.model_name
    version = target.history.earliest()
    url = reverse(f"admin:actors_{model}_simple_history", args=[target.pk, version.history_id])
    before = snapshot()
    assert coordinator_client.get(url).status_code in (403, 404)
    assert coordinator_client.post(url, {"nom": "Piraté", "_save": "1"}).status_code in (403, 404)
    assert snapshot() == before


@pytest.mark.parametrize(("key", "model", "action"),
                         [(key, model, action) for key, model, actions in MODELS for action in actions])
def test_a_bulk_action_naming_another_territorys_record_is_refused(coordinator_client, two_territories, key, model,
                                                                   action):
    mine, theirs = two_territories["ours"][key], two_territories["theirs"][key]
    before = snapshot()
    response = coordinator_client.post(
        reverse(f"admin:actors_{model}_changelist"),
        {"action": action, ACTION_CHECKBOX_NAME: [mine.pk, theirs.pk], "index": 0, "post": "yes"},
    )
    assert response.status_code in (403, 404)
    assert snapshot() == before


@pytest.mark.parametrize(("key", "model", "_actions"), MODELS)
def test_the_lists_show_only_the_coordinators_territory(coordinator_client, two_territories, key, model, _actions):
    response = coordinator_client.get(reverse(f"admin:actors_{model}_changelist"))
    assert response.status_code == 200
    shown = {obj.pk for obj in response.context["cl"].result_list}
    assert two_territories["ours"][key].pk in shown
    assert two_territories["theirs"][key].pk not in shown


def test_the_verify_button_does_nothing_outside_the_territory(coordinator_client, two_territories):
    target = two_territories["theirs"]["structure"]
    before = snapshot()
    response = coordinator_client.post(reverse("admin:actors_structure_verify", args=[target.pk]))
    assert response.status_code == 404
    assert snapshot() == before


def test_merging_or_dismissing_another_territorys_pair_is_refused(coordinator_client, two_territories):
    pair = two_territories["theirs"]["pair"]
    url = reverse("admin:actors_duplicatecandidate_change", args=[pair.pk])
    before = snapshot()
    assert coordinator_client.post(url, {"keep": pair.first_id, "_merge": "1"}).status_code == 404
    assert coordinator_client.post(url, {"_dismiss": "1"}).status_code == 404
    assert snapshot() == before


def test_accepting_another_territorys_report_is_refused(coordinator_client, two_territories):
    report = two_territories["theirs"]["report"]
    before = snapshot()
    url = reverse("admin:actors_correctionreport_change", args=[report.pk])
    assert coordinator_client.post(url, {"_accept": "1"}).status_code in (403, 404)
    assert snapshot() == before


def test_a_structure_cannot_be_created_or_attached_outside_the_territory(coordinator_client, two_territories):
    before = snapshot()
    response = coordinator_client.post(reverse("admin:actors_structure_add"), {
        "nom": "Tiers-lieu", "adresse": "2 rue Neuve", "code_postal": "87000", "commune_nom": "Limoges",
        "code_insee": "87085", "state": "published",
        "closures-TOTAL_FORMS": 0, "closures-INITIAL_FORMS": 0, "contacts-TOTAL_FORMS": 0, "contacts-INITIAL_FORMS": 0,
    })
    assert response.status_code == 200
    assert "hors de vos territoires" in response.content.decode()
    response = coordinator_client.post(reverse("admin:actors_temporaryclosure_add"), {
        "structure": two_territories["theirs"]["structure"].pk, "starts_on": "2026-09-01", "ends_on": "2026-09-02",
    })
    assert response.status_code == 200 and response.context["adminform"].form.errors
    assert snapshot() == before


def test_a_superuser_sees_every_territory(admin_client, two_territories):
    response = admin_client.get(reverse("admin:actors_structure_changelist"))
    shown = {obj.pk for obj in response.context["cl"].result_list}
    assert {two_territories["ours"]["structure"].pk, two_territories["theirs"]["structure"].pk} <= shown


def test_editable_by_follows_departement_epci_and_commune_scopes(two_territories):
    from actors.core.scope import coordinator_create

    by_epci = coordinator_create("epci@example.org", epcis=[two_territories["epci"].siren])
    by_commune = coordinator_create("commune@example.org", communes=["87085"])
    assert set(Structure.objects.editable_by(by_epci)) == {two_territories["ours"]["structure"],
                                                            two_territories["ours"]["twin"]}
    assert set(Structure.objects.editable_by(by_commune)) == {two_territories["theirs"]["structure"],
                                                               two_territories["theirs"]["twin"]}
