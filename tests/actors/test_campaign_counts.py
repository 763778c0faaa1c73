"""Each count of a campaign has one definition, shared by the list, the report and the dashboard; « sans
réponse » counts exactly the report's rows that say « sans réponse » (sent, and neither confirmed, corrected,
bounced nor replied to), on a campaign mixing every outcome."""

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse
from django.utils import timezone

from actors.models import UpdateCampaign, UpdateRequest
from tests.fixtures.coordination import place

pytestmark = pytest.mark.django_db

OUTCOMES = {  # one place per outcome: the request's fields
    "confirmed": {"answer": "confirmed"},
    "corrected": {"answer": "corrected"},
    "bounced": {"bounced_at": True, "bounce_reason": "550 boîte inconnue"},
    "replied": {"replied_at": True, "reply_excerpt": "Nous sommes fermés en août"},
    "opened": {"opened_at": True},
    "reminded": {"reminders": 2, "reminded_at": True},
    "silent": {},
    "silent too": {},
    "failed": {"error": "Connexion refusée", "sent": False},
    "waiting": {"sent": False},
    "no e-mail": {"email": "", "sent": False},
}


@pytest.fixture
def mixed_campaign(two_territories):
    now = timezone.now()
    campaign = UpdateCampaign.objects.create(label="Vienne — printemps", created_by=two_territories["coordinator"])
    for number, (name, fields) in enumerate(OUTCOMES.items()):
        structure = place(f"mix-{number}", f"Lieu {name}", two_territories["poitiers"],
                          Point(0.34 + number / 1000, 46.58))
        fields = dict(fields)
        values = {"email": fields.pop("email", f"lieu{number}@exemple.fr"),
                  "sent_at": now if fields.pop("sent", True) else None}
        values.update({key: (now if value is True else value) for key, value in fields.items()})
        UpdateRequest.objects.create(campaign=campaign, structure=structure, **values)
    return campaign


def test_no_answer_is_the_same_in_the_list_the_report_the_dashboard_and_the_rows(client, two_territories,
                                                                                  mixed_campaign):
    client.force_login(two_territories["coordinator"])
    listed = client.get(reverse("admin:actors_updatecampaign_changelist")).context["cl"].result_list
    report = client.get(reverse("admin:actors_updatecampaign_report", args=[mixed_campaign.pk])).context
    dashboard = client.get(reverse("admin:actors_updatecampaign_dashboard")).context["campaigns"]
    rows_without_answer = [row for row in report["rows"] if "sans réponse" in row["status"]]
    # The oracle: the places built above that got the e-mail and gave no sign back.
    assert sorted(row["request"].structure.nom for row in rows_without_answer) == [
        "Lieu opened", "Lieu reminded", "Lieu silent", "Lieu silent too"]
    for name in ("no_answer", "confirmed", "corrected", "bounced", "sent"):
        figures = {getattr(listed[0], name), getattr(report["campaign"], name), getattr(list(dashboard)[0], name)}
        assert len(figures) == 1, (name, figures)
    assert report["campaign"].no_answer == 4
    assert (report["campaign"].sent, report["campaign"].bounced, report["campaign"].confirmed) == (8, 1, 1)
