"""Moderation never overwrites: two coordinators (two sessions) work on the same place; a report accepted on a
version of the place older than the current one is refused, the newer edit kept and the current value shown;
a report decided by someone else says who decided it."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from actors.core.scope import coordinator_create
from actors.models import CorrectionReport, Structure
from actors.vocabulary.enums import CorrectionStatus
from tests.actors.test_admin_structure import form_data
from tests.actors.test_locking import opened_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_sessions(two_territories):
    """Marie and Paul, both coordinators of the Vienne, each in their own browser session."""
    marie, paul = Client(), Client()
    marie.force_login(two_territories["coordinator"])
    paul.force_login(coordinator_create("paul86@example.org", departements=["86"]))
    return marie, paul


def said(response) -> str:
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def test_a_report_accepted_after_a_newer_edit_is_refused_and_the_edit_kept(two_territories, two_sessions):
    marie, paul = two_sessions
    report = two_territories["ours"]["report"]  # a public report: telephone → +33549112233
    structure = report.structure
    report_url = reverse("admin:actors_correctionreport_change", args=[report.pk])
    marie_version = opened_version(marie, report_url)  # Marie opens the report and reads it

    place_url = reverse("admin:actors_structure_change", args=[structure.pk])
    paul_version = opened_version(paul, place_url)
    response = paul.post(place_url, form_data(structure, telephone="05 49 00 11 22", version=paul_version))
    assert response.status_code == 302  # Paul saves a newer phone meanwhile

    response = marie.post(report_url, {"_accept": "1", "version": marie_version}, follow=True)
    message = said(response) or response.content.decode()
    assert "Ce lieu a été modifié depuis" in response.content.decode()
    assert "Valeur actuelle de « Téléphone » : +33549001122" in response.content.decode(), message
    stored = Structure.objects.get(pk=structure.pk)
    assert stored.telephone == "+33549001122"  # Paul's edit is kept
    report.refresh_from_db()
    assert report.status == CorrectionStatus.PENDING  # still waiting: Marie can decide again on what is there

    # Reloading gives Marie the current version; she may then accept on purpose.
    fresh = opened_version(marie, report_url)
    marie.post(report_url, {"_accept": "1", "version": fresh})
    stored.refresh_from_db()
    assert stored.telephone == "+33549112233"


def test_a_bulk_accept_from_a_list_read_before_an_edit_is_refused(two_territories, two_sessions):
    marie, paul = two_sessions
    report = two_territories["ours"]["report"]
    structure = report.structure
    list_url = reverse("admin:actors_correctionreport_changelist")
    listed_version = opened_version(marie, list_url, name=f"version_{structure.pk}")
    place_url = reverse("admin:actors_structure_change", args=[structure.pk])
    paul.post(place_url, form_data(structure, telephone="05 49 00 11 22", version=opened_version(paul, place_url)))

    response = marie.post(list_url, {"action": "accept", "_selected_action": [report.pk],
                                     f"version_{structure.pk}": listed_version}, follow=True)
    assert "Non appliqué" in response.content.decode() and "+33549001122" in response.content.decode()
    assert Structure.objects.get(pk=structure.pk).telephone == "+33549001122"
    assert CorrectionReport.objects.get(pk=report.pk).status == CorrectionStatus.PENDING


def test_refusing_a_report_already_accepted_by_another_coordinator_says_so(two_territories, two_sessions):
    marie, paul = two_sessions
    report = two_territories["ours"]["report"]
    url = reverse("admin:actors_correctionreport_change", args=[report.pk])
    marie_version, paul_version = opened_version(marie, url), opened_version(paul, url)
    assert marie.post(url, {"_accept": "1", "version": marie_version}).status_code == 302

    response = paul.post(url, {"_reject": "1", "version": paul_version}, follow=True)
    page = response.content.decode()
    assert f"Signalement #{report.pk} déjà accepté par coord86@example.org le" in page
    report.refresh_from_db()
    assert report.status == CorrectionStatus.ACCEPTED
    assert Structure.objects.get(pk=report.structure_id).telephone == "+33549112233"


def test_a_decision_posted_without_the_version_it_read_is_refused(two_territories, two_sessions):
    marie, _paul = two_sessions
    report = two_territories["ours"]["report"]
    before = Structure.objects.get(pk=report.structure_id).telephone
    response = marie.post(reverse("admin:actors_correctionreport_change", args=[report.pk]), {"_accept": "1"},
                          follow=True)
    assert "rechargez la page" in response.content.decode()
    assert Structure.objects.get(pk=report.structure_id).telephone == before
