"""Admin imports of more than 500 rows run as a background task: progress while it runs, then the report."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actors.imports import jobs
from actors.models import ImportJob, Structure
from actors.standard import columns
from tests.fixtures.standard import generated_standard_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def vienne_file(count: int) -> SimpleUploadedFile:
    """`count` valid rows of the standard, all in the Vienne (Poitiers and Buxerolles)."""
    rows = [row for row in generated_standard_rows(count * 2 + 4) if row["code_postal"].startswith("86")][:count]
    for row in rows:
        row["date_maj"] = "2024-05-02"  # the generator's dates run into the future past a few hundred rows
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns())
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile("lieux-vienne.csv", out.getvalue().encode(), content_type="text/csv")


def test_a_large_upload_runs_in_the_background_then_its_dry_run_is_confirmed(client, two_territories):
    client.force_login(two_territories["coordinator"])
    before = Structure.objects.count()
    response = client.post(reverse("admin:actors_structure_import"), {"file": vienne_file(520)})
    dry_run = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:actors_structure_import_job", args=[dry_run.pk])
    assert (dry_run.apply, dry_run.status, dry_run.user) == (False, "done", two_territories["coordinator"])
    assert Structure.objects.count() == before  # a dry run writes nothing

    page = client.get(response["Location"])
    assert page.context["report"].created == 520 and page.context["can_confirm"]
    assert 'http-equiv="refresh"' not in page.content.decode()
    confirmed = client.post(response["Location"], {"_confirm": "1"})
    applied = ImportJob.objects.get(dry_run=dry_run)
    assert confirmed["Location"] == reverse("admin:actors_structure_import_job", args=[applied.pk])
    assert applied.apply and applied.status == "done" and applied.report["created"] == 520
    assert Structure.objects.count() == before + 520
    again = client.post(response["Location"], {"_confirm": "1"})  # confirming twice writes nothing more
    assert again.status_code == 302 and ImportJob.objects.count() == 2


def test_a_small_upload_is_imported_within_the_request(client, two_territories):
    client.force_login(two_territories["coordinator"])
    response = client.post(reverse("admin:actors_structure_import"), {"file": vienne_file(20)})
    assert response.status_code == 200 and response.context["report"].created == 20
    assert not ImportJob.objects.exists()


def test_a_running_job_shows_its_progress_and_refreshes_itself(client, two_territories):
    coordinator = two_territories["coordinator"]
    job = ImportJob.objects.create(user=coordinator, filename="gros.csv", stored_path="imports/x",
                                   status=ImportJob.Status.RUNNING, phase="vérification des lignes",
                                   done=1500, total=4196)
    client.force_login(coordinator)
    text = client.get(reverse("admin:actors_structure_import_job", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' in text and "1500 / 4196" in text and 'value="36"' in text


def test_a_job_is_visible_to_its_author_only(client, two_territories):
    job = ImportJob.objects.create(user=two_territories["coordinator"], filename="a.csv", stored_path="imports/x")
    client.force_login(two_territories["other_coordinator"])
    assert client.get(reverse("admin:actors_structure_import_job", args=[job.pk])).status_code == 404


def test_the_progress_is_written_outside_the_write_transaction(two_territories, tmp_path):
    from django.core.files.storage import default_storage

    path = default_storage.save("imports/progress.csv", vienne_file(520))
    job = jobs.start_job(user=two_territories["coordinator"], stored_path=path, filename="p.csv", source="",
                         apply=True)
    job.refresh_from_db()
    assert job.status == "done" and job.done == job.total == 520
    assert not default_storage.exists(path)  # the file of an applied import is not kept
    assert jobs.report_from_dict(job.report).summary().startswith(
        "p.csv (standard, source « Générateur de test », écrit) : 520 lignes")
