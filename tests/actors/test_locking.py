"""Optimistic locking: two coordinators (two sessions) edit the same place; the save based on a stale version
is refused with a French message saying what changed, and the first coordinator's change is kept."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from actors.core import locking
from actors.core.scope import coordinator_create
from actors.models import ContactPerson, Structure, TemporaryClosure
from actors.vocabulary.enums import DuplicateStatus, PublicationState
from tests.actors.test_admin_structure import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_sessions(two_territories):
    """Marie and Paul, both coordinators of the Vienne, each in their own browser session."""
    paul = coordinator_create("paul86@example.org", departements=["86"])
    marie, other = Client(), Client()
    marie.force_login(two_territories["coordinator"])
    other.force_login(paul)
    return marie, other


def opened_version(client, url: str, name: str = "version") -> str:
    """The version token as the page gave it to this session's browser."""
    page = client.get(url).content.decode()
    return re.search(rf'name="{name}" value="([^"]*)"', page).group(1)


def test_a_stale_save_of_the_place_is_refused_and_says_what_changed(two_territories, two_sessions):
    marie, paul = two_sessions
    structure = two_territories["ours"]["structure"]
    url = reverse("admin:actors_structure_change", args=[structure.pk])
    marie_version, paul_version = opened_version(marie, url), opened_version(paul, url)
    assert marie_version == paul_version

    response = marie.post(url, form_data(structure, nom="Médiathèque François-Villon", version=marie_version))
    assert response.status_code == 302
    response = paul.post(url, form_data(structure, horaires="Mo-Sa 10:00-18:00", version=paul_version))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ce lieu a été modifié depuis que vous avez ouvert ce formulaire" in page
    assert "Médiathèque de Poitiers" in page and "Médiathèque François-Villon" in page  # old → new
    assert "coord86@example.org" in page  # who
    stored = Structure.objects.get(pk=structure.pk)
    assert (stored.nom, stored.horaires) == ("Médiathèque François-Villon", "Mo-Fr 09:00-12:00")

    # Reloading gives Paul the current version: his save then goes through, on top of Marie's.
    fresh = opened_version(paul, url)
    assert paul.post(url, form_data(stored, horaires="Mo-Sa 10:00-18:00", version=fresh)).status_code == 302
    stored.refresh_from_db()
    assert (stored.nom, stored.horaires) == ("Médiathèque François-Villon", "Mo-Sa 10:00-18:00")


def test_a_form_without_a_version_is_refused(two_territories, two_sessions):
    marie, _paul = two_sessions
    structure = two_territories["ours"]["structure"]
    url = reverse("admin:actors_structure_change", args=[structure.pk])
    data = form_data(structure, nom="Sans version")
    del data["version"]
    response = marie.post(url, data)
    assert response.status_code == 200 and "rechargez la page" in response.content.decode()
    assert Structure.objects.get(pk=structure.pk).nom != "Sans version"


def test_a_closure_added_in_one_session_makes_the_others_place_form_stale(two_territories, two_sessions):
    marie, paul = two_sessions
    structure = two_territories["ours"]["structure"]
    url = reverse("admin:actors_structure_change", args=[structure.pk])
    marie_version, paul_version = opened_version(marie, url), opened_version(paul, url)
    closure = {"closures-TOTAL_FORMS": 1, "closures-INITIAL_FORMS": 0, "closures-0-starts_on": "2026-12-24",
               "closures-0-ends_on": "2026-12-31", "closures-0-reason": "Fêtes"}
    assert marie.post(url, form_data(structure, version=marie_version, **closure)).status_code == 302
    response = paul.post(url, form_data(structure, telephone="05 49 00 00 09", version=paul_version))
    assert response.status_code == 200
    assert "fermeture temporaire « 2026-12-24 → 2026-12-31 » ajoutée" in response.content.decode()
    assert Structure.objects.get(pk=structure.pk).telephone == ""


@pytest.mark.parametrize(("model", "key", "change"), [
    (ContactPerson, "contact", {"name": "Camille Martin-Durand", "role": "Médiatrice"}),
    (TemporaryClosure, "closure", {"starts_on": "2026-08-01", "ends_on": "2026-08-20", "reason": "Travaux"}),
])
def test_stale_edits_of_a_contact_or_a_closure_are_refused(two_territories, two_sessions, model, key, change):
    marie, paul = two_sessions
    record = two_territories["ours"][key]
    url = reverse(f"admin:actors_{model._meta.model_name}_change", args=[record.pk])
    marie_version, paul_version = opened_version(marie, url), opened_version(paul, url)
    base = {name: getattr(record, name) for name in change} | {"structure": record.structure_id, "_save": "1"}
    assert marie.post(url, {**base, **change, "version": marie_version}).status_code == 302
    response = paul.post(url, {**base, "reason": "Autre motif", "name": "Autre nom", "version": paul_version})
    assert response.status_code == 200
    assert "Ce lieu a été modifié" in response.content.decode()
    record.refresh_from_db()
    assert all(str(getattr(record, name)) == str(value) for name, value in change.items())


def test_a_merge_based_on_a_stale_version_is_refused(two_territories, two_sessions):
    marie, paul = two_sessions
    pair = two_territories["ours"]["pair"]
    merge_url = reverse("admin:actors_duplicatecandidate_change", args=[pair.pk])
    page = paul.get(merge_url)
    tokens = {f"version_{pk}": opened_version(paul, merge_url, f"version_{pk}")
              for pk in (pair.first_id, pair.second_id)}
    choices = {f"field_{row['name']}": pair.first_id for row in page.context["rows"]}

    first = Structure.objects.get(pk=pair.first_id)
    edit_url = reverse("admin:actors_structure_change", args=[first.pk])
    assert marie.post(edit_url, form_data(first, telephone="05 49 00 00 07",
                                          version=opened_version(marie, edit_url))).status_code == 302

    response = paul.post(merge_url, {"keep": pair.second_id, "_merge": "1", **choices, **tokens})
    assert response.status_code == 200
    assert "Ce lieu a été modifié" in response.content.decode() and "+33549000007" in response.content.decode()
    pair.refresh_from_db()
    assert pair.status == DuplicateStatus.PENDING
    assert Structure.objects.get(pk=pair.first_id).state == PublicationState.PUBLISHED


def test_every_write_path_moves_the_version(two_territories):
    from actors.core import writes

    structure = two_territories["ours"]["structure"]
    seen = {locking.version_of(structure.pk)}
    writes.structures_mark_verified([structure])
    seen.add(locking.version_of(structure.pk))
    writes.structures_set_state([structure], PublicationState.DRAFT)
    seen.add(locking.version_of(structure.pk))
    structure.refresh_from_db()
    writes.structure_save(structure, reason="test")
    seen.add(locking.version_of(structure.pk))
    assert len(seen) == 4


@pytest.mark.django_db(transaction=True)
def test_a_history_revert_based_on_a_stale_version_is_refused(terms, two_territories, two_sessions):
    """Without the test's wrapping transaction, as a served request: the revert view holds its own."""
    marie, paul = two_sessions
    structure = two_territories["ours"]["structure"]
    first = structure.history.earliest()
    revert_url = reverse("admin:actors_structure_simple_history", args=[structure.pk, first.history_id])
    marie_version = opened_version(marie, revert_url)
    edit_url = reverse("admin:actors_structure_change", args=[structure.pk])
    assert paul.post(edit_url, form_data(structure, nom="Médiathèque rénovée",
                                         version=opened_version(paul, edit_url))).status_code == 302
    response = marie.post(revert_url, form_data(first.instance, version=marie_version))
    assert response.status_code == 200 and "Médiathèque rénovée" in response.content.decode()
    assert Structure.objects.get(pk=structure.pk).nom == "Médiathèque rénovée"
    response = marie.post(revert_url, form_data(first.instance, version=opened_version(marie, revert_url)))
    assert response.status_code == 302
    assert Structure.objects.get(pk=structure.pk).nom == first.nom
