"""The admin upload: dry run with its report, then confirm; rows outside the territories are rejected."""

import pytest
from django.urls import reverse

from actors.models import Structure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def upload(client, path):
    with open(path, "rb") as handle:
        return client.post(reverse("admin:actors_structure_import"), {"file": handle})


def test_a_dry_run_writes_nothing_then_confirming_imports(client, two_territories, import_data):
    client.force_login(two_territories["coordinator"])
    before = Structure.objects.count()
    response = upload(client, import_data / "valide.csv")
    assert response.status_code == 200
    assert response.context["report"].created == 2 and not response.context["report"].applied
    assert "Simulation" in response.content.decode()
    assert Structure.objects.count() == before
    response = client.post(reverse("admin:actors_structure_import"),
                           {"_confirm": "1", "token": response.context["token"]})
    assert response.context["report"].applied
    assert Structure.objects.count() == before + 2


def test_rows_outside_the_coordinators_territory_are_rejected(client, two_territories, import_data):
    client.force_login(two_territories["other_coordinator"])
    before = Structure.objects.count()
    response = upload(client, import_data / "valide.csv")
    report = response.context["report"]
    assert report.created == 0 and (report.rejected == 2 or report.fatal)
    assert "hors de votre territoire" in response.content.decode()
    assert not response.context["can_confirm"]
    client.post(reverse("admin:actors_structure_import"), {"_confirm": "1", "token": response.context["token"]})
    assert Structure.objects.count() == before


def test_a_confirmation_without_its_dry_run_is_refused(client, two_territories):
    client.force_login(two_territories["coordinator"])
    before = Structure.objects.count()
    response = client.post(reverse("admin:actors_structure_import"), {"_confirm": "1", "token": "forged"})
    assert response.status_code == 302
    assert Structure.objects.count() == before


def test_the_import_page_is_closed_to_accounts_without_a_territory(client, django_user_model):
    user = django_user_model.objects.create_user("lecteur", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(reverse("admin:actors_structure_import")).status_code == 403


def test_the_report_shows_unmapped_values_and_ignored_columns(client, two_territories, import_data):
    """A report with unmapped values used to answer 500 (a Counter answers 0 to `most_common` in templates)."""
    client.force_login(two_territories["other_coordinator"])
    response = upload(client, import_data / "france_services_horaires.csv")
    assert response.status_code == 200
    page = response.content.decode()
    assert "« sur rendez-vous » (1)" in page
    assert "insee_dep (2 lignes remplies)" in page
