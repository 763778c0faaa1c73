"""A coordinator of 87 cannot ask the places of 33 for an update, see their answers, nor apply their corrections."""

import pytest
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from actors.campaigns import sending, update_links
from actors.core import freshness_policy
from actors.models import CorrectionReport, Structure, UpdateCampaign, UpdateRequest
from actors.vocabulary.enums import CorrectionStatus
from tests.actors.test_update_links import SATURDAY, answer_from_form, link

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(client, limoges_and_bordeaux, django_capture_on_commit_callbacks, mailoutbox):
    """A campaign by a superuser over one place of 87 and the place of 33; both answer with new Saturday hours."""
    ours, theirs = limoges_and_bordeaux["places"][0], limoges_and_bordeaux["bordeaux_place"]
    with django_capture_on_commit_callbacks(execute=True):
        campaign = sending.campaign_start(label="Automne", structures=[ours, theirs])
    for structure in (ours, theirs):
        assert client.post(link(structure), answer_from_form(structure, {**SATURDAY, "day_5_closed": False}))\
            .status_code == 200
    client.logout()
    client.force_login(limoges_and_bordeaux["coordinator"])
    return {"campaign": campaign, "ours": ours, "theirs": theirs,
            "their_report": CorrectionReport.objects.get(structure=theirs, field="horaires"),
            "our_report": CorrectionReport.objects.get(structure=ours, field="horaires")}


def test_asking_places_of_33_for_an_update_is_refused(client, limoges_and_bordeaux, mailoutbox):
    client.force_login(limoges_and_bordeaux["coordinator"])
    theirs, ours = limoges_and_bordeaux["bordeaux_place"], limoges_and_bordeaux["places"][0]
    changelist = reverse("admin:actors_structure_changelist")
    listed = client.get(changelist).context["cl"].result_list
    assert theirs.pk not in {s.pk for s in listed} and ours.pk in {s.pk for s in listed}
    for selection in ([theirs.pk], [ours.pk, theirs.pk]):
        response = client.post(changelist, {"action": "request_update", helpers.ACTION_CHECKBOX_NAME: selection,
                                            "index": "0"})
        assert response.status_code == 403
    assert not UpdateRequest.objects.exists() and mailoutbox == []
    assert not Structure.objects.editable_by(limoges_and_bordeaux["coordinator"]).filter(pk=theirs.pk).exists()


def test_the_answers_of_33_are_not_shown_to_87(client, answered):
    queue = client.get(reverse("admin:actors_correctionreport_changelist")).context["cl"].result_list
    assert {r.structure_id for r in queue} == {answered["ours"].pk}
    response = client.get(reverse("admin:actors_correctionreport_change", args=[answered["their_report"].pk]))
    assert response.status_code == 404
    rows = client.get(reverse("admin:actors_updatecampaign_changelist")).context["cl"].result_list
    assert [(row.total, row.corrected) for row in rows] == [(1, 1)]  # their place is not counted
    assert sending.counts(answered["campaign"])["corrected"] == 2  # both answered


def test_87_cannot_apply_the_corrections_of_33(client, answered):
    theirs = answered["theirs"]
    before = Structure.objects.get(pk=theirs.pk).horaires
    change = reverse("admin:actors_correctionreport_change", args=[answered["their_report"].pk])
    response = client.post(change, {"_decide_proposal": "1", "accept": [answered["their_report"].pk]})
    assert response.status_code in (403, 404)
    response = client.post(change, {"_accept": "1"})
    assert response.status_code in (403, 404)
    # A bulk action naming their report with ours is refused as a whole.
    response = client.post(reverse("admin:actors_correctionreport_changelist"), {
        "action": "accept", helpers.ACTION_CHECKBOX_NAME: [answered["our_report"].pk, answered["their_report"].pk],
        "index": "0"})
    assert response.status_code == 403
    # A proposal page of 87 posting a report of 33 among its fields decides only 87's.
    ours = reverse("admin:actors_correctionreport_change", args=[answered["our_report"].pk])
    version = client.get(ours).context["version"]
    client.post(ours, {"_decide_proposal": "1", "version": version,
                       "accept": [answered["our_report"].pk, answered["their_report"].pk]})
    assert Structure.objects.get(pk=theirs.pk).horaires == before
    assert CorrectionReport.objects.get(pk=answered["their_report"].pk).status == CorrectionStatus.PENDING
    assert CorrectionReport.objects.get(pk=answered["our_report"].pk).status == CorrectionStatus.ACCEPTED


def test_87_cannot_make_33_apply_corrections_directly(client, limoges_and_bordeaux):
    coordinator = limoges_and_bordeaux["coordinator"]
    with pytest.raises(PermissionDenied):
        freshness_policy.freshness_policy_set(user=coordinator, departement="33", stale_after_months=12,
                                      hide_after_months=None, apply_corrections=True)
    client.force_login(coordinator)
    response = client.post(reverse("admin:actors_freshnesspolicy_add"), {
        "departement": "33", "stale_after_months": "12", "apply_corrections": "on"})
    assert response.status_code == 200 and "departement" in response.context["adminform"].form.errors
    theirs = limoges_and_bordeaux["bordeaux_place"]
    update_links.propose_changes(structure=update_links.read_token(update_links.make_token(structure=theirs)),
                            changes={"telephone": ("", "+33556000000")}, note="", now=timezone.now())
    assert CorrectionReport.objects.get(structure=theirs).status == CorrectionStatus.PENDING
    assert UpdateCampaign.objects.count() == 0
