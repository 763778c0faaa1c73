import pytest
from django.urls import reverse

from actors.core import locking
from actors.models import CorrectionReport
from actors.vocabulary.enums import CorrectionStatus

pytestmark = pytest.mark.django_db


def test_anyone_can_propose_a_correction_without_an_account(client, two_territories):
    structure = two_territories["ours"]["structure"]
    url = reverse("actors:correction", args=[structure.slug])
    assert client.get(url).status_code == 200
    response = client.post(url, {"field": "horaires", "proposed_value": "Mo-Fr 10:00-12:00"})
    assert response.status_code == 302
    report = CorrectionReport.objects.latest("pk")
    assert report.structure == structure and report.status == CorrectionStatus.PENDING


def test_a_missing_value_is_explained_in_french(client, two_territories):
    url = reverse("actors:correction", args=[two_territories["ours"]["structure"].slug])
    response = client.post(url, {"field": "telephone", "proposed_value": ""})
    assert "Indiquez l&#x27;information correcte" in response.content.decode()


def test_the_honeypot_swallows_robots_silently(client, two_territories):
    before = CorrectionReport.objects.count()
    url = reverse("actors:correction", args=[two_territories["ours"]["structure"].slug])
    client.post(url, {"field": "other", "message": "promo", "website": "http://spam.example"})
    assert CorrectionReport.objects.count() == before


def test_more_than_five_reports_an_hour_are_refused(client, two_territories):
    url = reverse("actors:correction", args=[two_territories["ours"]["structure"].slug])
    for _report in range(5):
        client.post(url, {"field": "other", "message": "Le lieu a déménagé"})
    response = client.post(url, {"field": "other", "message": "Le lieu a déménagé"})
    assert response.status_code == 429
    assert "réessayez dans une heure" in response.content.decode()


def test_reports_are_in_the_queue_of_their_territory_only(client, two_territories):
    client.force_login(two_territories["other_coordinator"])
    shown = client.get(reverse("admin:actors_correctionreport_changelist")).context["cl"].result_list
    assert list(shown) == [two_territories["theirs"]["report"]]


def test_accepting_a_report_applies_it_with_history(client, two_territories):
    report = two_territories["ours"]["report"]
    client.force_login(two_territories["coordinator"])
    client.post(reverse("admin:actors_correctionreport_change", args=[report.pk]),
                {"_accept": "1", "version": locking.version_of(report.structure_id)})
    report.refresh_from_db()
    assert report.status == CorrectionStatus.ACCEPTED and report.decided_by == two_territories["coordinator"]
    structure = report.structure
    structure.refresh_from_db()
    assert structure.telephone == "+33549112233"
    assert structure.history.first().history_change_reason == f"Signalement #{report.pk} accepté"


def test_two_coordinators_deciding_the_same_report_decide_it_once(two_territories):
    from actors.moderation import proposals

    # Both read the queue while the report waited; the first refuses it, the second then accepts it.
    first = CorrectionReport.objects.get(pk=two_territories["ours"]["report"].pk)
    second = CorrectionReport.objects.get(pk=first.pk)
    structure = first.structure
    versions = structure.history.count()
    assert proposals.correction_decide(first, False, two_territories["coordinator"])
    assert not proposals.correction_decide(second, True, two_territories["coordinator"])
    first.refresh_from_db()
    assert first.status == CorrectionStatus.REJECTED
    structure.refresh_from_db()
    assert structure.telephone != "+33549112233" and structure.history.count() == versions


def test_an_unusable_proposal_is_not_applied(client, two_territories):
    report = two_territories["ours"]["report"]
    report.proposed_value = "pas un numéro"
    report.save()
    client.force_login(two_territories["coordinator"])
    client.post(reverse("admin:actors_correctionreport_change", args=[report.pk]),
                {"_accept": "1", "version": locking.version_of(report.structure_id)})
    report.refresh_from_db()
    assert report.status == CorrectionStatus.PENDING
