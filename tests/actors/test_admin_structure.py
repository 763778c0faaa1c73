"""The structure admin: saves rebuild derived data, hours preview, verification, history and revert."""

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse

from actors.core import locking
from actors.models import Structure, WeeklySlot

pytestmark = pytest.mark.django_db


def form_data(structure: Structure, **overrides) -> dict:
    data = {
        "nom": structure.nom, "pivot": "", "adresse": structure.adresse, "code_postal": structure.code_postal,
        "commune_nom": structure.commune_nom, "code_insee": structure.code_insee,
        "location": structure.location.geojson, "horaires": structure.horaires, "state": structure.state,
        "services": ["aide-aux-demarches-administratives"],
        "closures-TOTAL_FORMS": 0, "closures-INITIAL_FORMS": 0, "contacts-TOTAL_FORMS": 0,
        "contacts-INITIAL_FORMS": 0, "_save": "1", "version": locking.version_of(structure.pk),
    }
    data.update(overrides)
    return data


@pytest.fixture
def coordinator_client(client, two_territories):
    client.force_login(two_territories["coordinator"])
    return client


def test_moving_the_marker_into_a_qpv_rebuilds_the_qpv_links_and_records_who(coordinator_client, two_territories):
    structure = two_territories["ours"]["structure"]
    assert not structure.qpv_links.filter(distance_m=0).exists()  # near a QPV (links reach 1 km), not inside
    url = reverse("admin:actors_structure_change", args=[structure.pk])
    response = coordinator_client.post(url, form_data(structure, location=Point(0.355, 46.588).geojson))
    assert response.status_code == 302, response.context["adminform"].form.errors
    structure.refresh_from_db()
    assert [(link.qpv.code, link.distance_m) for link in structure.qpv_links.all()] == [("QN08601M", 0)]
    assert structure.history.first().history_user == two_territories["coordinator"]


def test_invalid_values_are_refused_with_french_messages(coordinator_client, two_territories):
    structure = two_territories["ours"]["structure"]
    url = reverse("admin:actors_structure_change", args=[structure.pk])
    response = coordinator_client.post(url, form_data(
        structure, pivot="12345678901234", telephone="12", courriels="pas-un-courriel", horaires="lundi matin",
        code_postal="87000", location=Point(-3.5, 46.0).geojson,
    ))
    errors = response.context["adminform"].form.errors
    assert "clé" in errors["pivot"][0]
    assert "téléphone" in errors["telephone"][0]
    assert "électronique" in errors["courriels"][0]
    assert "OpenStreetMap" in errors["horaires"][0]
    assert Structure.objects.get(pk=structure.pk).horaires == structure.horaires


def test_the_hours_preview_reads_the_week_in_french(coordinator_client, two_territories):
    url = reverse("admin:actors_structure_hours_preview")
    response = coordinator_client.get(url, {"horaires": "Mo-Fr 09:00-12:00,14:00-17:30; Sa 10:00-12:00"})
    assert response.json() == {"ok": True,
                               "preview": "du lundi au vendredi 9:00–12:00, 14:00–17:30 ; samedi 10:00–12:00"}
    assert coordinator_client.get(url, {"horaires": "n'importe quoi"}).json()["ok"] is False


def test_one_click_marks_a_structure_verified_and_the_filter_follows(coordinator_client, two_territories):
    structure = two_territories["ours"]["structure"]
    changelist = reverse("admin:actors_structure_changelist")
    stale = coordinator_client.get(changelist, {"fraicheur": "a-verifier"}).context["cl"].result_list
    assert structure in stale
    coordinator_client.post(reverse("admin:actors_structure_verify", args=[structure.pk]))
    structure.refresh_from_db()
    assert structure.verified_at is not None
    assert structure not in coordinator_client.get(changelist, {"fraicheur": "a-verifier"}).context["cl"].result_list


def test_reverting_to_an_older_version_rebuilds_the_weekly_slots(coordinator_client, two_territories):
    structure = two_territories["ours"]["structure"]
    url = reverse("admin:actors_structure_change", args=[structure.pk])
    coordinator_client.post(url, form_data(structure, horaires="Sa 10:00-12:00"))
    assert list(WeeklySlot.objects.filter(structure=structure).values_list("weekday", flat=True)) == [5]
    first = structure.history.earliest()
    revert_url = reverse("admin:actors_structure_simple_history", args=[structure.pk, first.history_id])
    assert coordinator_client.get(revert_url).status_code == 200
    response = coordinator_client.post(revert_url, form_data(first.instance))
    assert response.status_code == 302
    assert sorted(WeeklySlot.objects.filter(structure=structure).values_list("weekday", flat=True)) == [0, 1, 2, 3, 4]
    history = coordinator_client.get(reverse("admin:actors_structure_history", args=[structure.pk]))
    assert "Retour à une version antérieure" in history.content.decode()


def test_the_index_counts_only_the_coordinators_records(coordinator_client, two_territories):
    response = coordinator_client.get(reverse("admin:index"))
    cards = {str(card["label"]): card["count"] for card in response.context["cards"]}
    # Records by state (a copy folded into another record is a record) beside the places the public sees.
    published = next(count for label, count in cards.items() if label.startswith("Fiches publiées"))
    assert published == 2
    assert cards["Lieux publics (visibles sur le site)"] == Structure.objects.editable_by(
        two_territories["coordinator"]).public().count()
    assert cards["À vérifier (plus de 12 mois)"] == 2
    assert cards["Signalements en attente"] == 1
    assert cards["Doublons à examiner"] == 1
    assert "?fraicheur=a-verifier" in response.content.decode()


def test_a_coordinator_adds_a_place_in_their_territory(coordinator_client, two_territories):
    response = coordinator_client.post(reverse("admin:actors_structure_add"), {
        "nom": "Tiers-lieu des Couronneries", "adresse": "2 rue Neuve", "code_postal": "86000",
        "commune_nom": "Poitiers", "code_insee": "86194", "state": "published", "telephone": "05 49 44 55 66",
        "location": Point(0.355, 46.588).geojson, "horaires": "Sa 10:00-12:00", "typologie": ["TIERS_LIEUX"],
        "closures-TOTAL_FORMS": 0, "closures-INITIAL_FORMS": 0, "contacts-TOTAL_FORMS": 0, "contacts-INITIAL_FORMS": 0,
    })
    assert response.status_code == 302, response.context["adminform"].form.errors
    created = Structure.objects.get(nom="Tiers-lieu des Couronneries")
    assert created.telephone == "+33549445566" and created.commune == two_territories["poitiers"]
    assert created.term_codes("typologie") == ["TIERS_LIEUX"]
    assert created.qpv_links.get().inside and created.slots.get().weekday == 5


def test_create_coordinator_command_scopes_the_account(two_territories):
    from django.core.management import call_command

    call_command("create_coordinator", "nouveau@example.org", "--departement", "87")
    user = Structure.objects.model._meta.apps.get_model("auth", "User").objects.get(username="nouveau@example.org")
    assert set(Structure.objects.editable_by(user)) == {two_territories["theirs"]["structure"],
                                                         two_territories["theirs"]["twin"]}
