"""The public correction form stores bounded text, and reporters' e-mails do not outlive their use."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from actors.core import locking
from actors.models import CorrectionReport
from actors.vocabulary.enums import CorrectionStatus

pytestmark = pytest.mark.django_db


def test_a_huge_message_or_value_is_refused_in_french_and_nothing_is_stored(client, two_territories):
    url = reverse("actors:correction", args=[two_territories["ours"]["structure"].slug])
    before = CorrectionReport.objects.count()
    response = client.post(url, {"field": "other", "message": "x" * 1_900_000})
    assert response.status_code == 413  # refused at the door (inclusion/bodylimit.py), before the form
    assert "Envoi trop volumineux" in response.content.decode()
    response = client.post(url, {"field": "other", "message": "x" * 5001})
    assert response.status_code == 200
    assert "au plus 5000 caractères" in response.content.decode()
    response = client.post(url, {"field": "nom", "proposed_value": "y" * 501})
    assert "au plus 500 caractères" in response.content.decode()
    assert CorrectionReport.objects.count() == before
    assert client.post(url, {"field": "other", "message": "x" * 5000}).status_code == 302
    assert client.post(url, {"field": "nom", "proposed_value": "y" * 500}).status_code == 302


@pytest.mark.parametrize("button", ["_accept", "_reject"])
def test_deciding_a_report_erases_the_reporters_email(client, two_territories, button):
    report = two_territories["ours"]["report"]
    report.contact_email = "temoin@exemple.fr"
    report.save()
    client.force_login(two_territories["coordinator"])
    client.post(reverse("admin:actors_correctionreport_change", args=[report.pk]),
                {button: "1", "version": locking.version_of(report.structure_id)})
    report.refresh_from_db()
    assert report.status != CorrectionStatus.PENDING
    assert report.contact_email == ""


@override_settings(REPORTER_EMAIL_RETENTION_DAYS=90)
def test_the_command_erases_emails_older_than_the_retention_period_only(two_territories):
    structure = two_territories["ours"]["structure"]
    now = timezone.now()
    old = CorrectionReport.objects.create(structure=structure, field="other", message="a",
                                          contact_email="ancien@exemple.fr")
    recent = CorrectionReport.objects.create(structure=structure, field="other", message="b",
                                             contact_email="recent@exemple.fr")
    CorrectionReport.objects.filter(pk=old.pk).update(created_at=now - dt.timedelta(days=91))
    CorrectionReport.objects.filter(pk=recent.pk).update(created_at=now - dt.timedelta(days=89))
    call_command("erase_reporter_emails")
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.contact_email, recent.contact_email) == ("", "recent@exemple.fr")
    assert old.message == "a"  # the report itself stays for the coordinators
