"""The coordinators' campaign pages: report, call sheet, dashboard figures and freshness history, each scoped to
the user's territories (a coordinator of 87 sees nothing of 86)."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from actors.campaigns import freshness_history, sending
from actors.models import FreshnessSnapshot, Structure, UpdateCampaign, UpdateRequest

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_campaigns(run, client, smtp_server, haute_vienne_places):
    """A campaign in 87 (one place confirms, one opens its link only, one has no e-mail) and one in 86."""
    bundle86 = haute_vienne_places["ours"]
    from tests.fixtures.coordination import place

    place("hv-3", "Tiers-lieu du Vigenal", haute_vienne_places["limoges"], None, courriels="tl@vigenal.example.org")
    run("--departement", "87", "--send")
    links = {m[0][0]: re.search(r"/mise-a-jour/\S+/", m[1].get_body(("plain",)).get_content()).group(0)
             for m in smtp_server.messages}
    client.post(links["accueil@mediatheque-limoges.fr"], {"unchanged": "1"})
    client.get(links["tl@vigenal.example.org"])
    Structure.objects.filter(pk=bundle86["structure"].pk).update(courriels="accueil@poitiers.example.org")
    run("--departement", "86", "--send")
    return {"87": UpdateCampaign.objects.get(label__startswith="Haute-Vienne"),
            "86": UpdateCampaign.objects.get(label__startswith="Vienne"), **haute_vienne_places}


def test_the_dashboard_counts_each_answer_of_ones_own_campaigns(client, two_campaigns):
    client.force_login(two_campaigns["other_coordinator"])  # coordinates 87
    page = client.get(reverse("admin:actors_updatecampaign_dashboard"))
    assert page.status_code == 200
    listed = list(page.context["campaigns"])
    assert [c.pk for c in listed] == [two_campaigns["87"].pk]
    figures = {name: getattr(listed[0], name) for name in ("sent", "opened", "confirmed", "corrected", "no_answer",
                                                           "bounced", "to_call")}
    assert figures == {"sent": 2, "opened": 2, "confirmed": 1, "corrected": 0, "no_answer": 1, "bounced": 0,
                       "to_call": 1}
    assert "Vienne —" not in page.content.decode().replace("Haute-Vienne —", "")


def test_a_coordinator_of_87_opens_nothing_of_86(client, two_campaigns):
    client.force_login(two_campaigns["other_coordinator"])
    for name in ("report", "call_sheet"):
        assert client.get(reverse(f"admin:actors_updatecampaign_{name}", args=[two_campaigns["86"].pk])
                          ).status_code == 404
        assert client.get(reverse(f"admin:actors_updatecampaign_{name}", args=[two_campaigns["87"].pk])
                          ).status_code == 200
    client.force_login(two_campaigns["coordinator"])  # coordinates 86
    page = client.get(reverse("admin:actors_updatecampaign_dashboard"))
    assert [c.pk for c in page.context["campaigns"]] == [two_campaigns["86"].pk]
    assert "Médiathèque de Limoges" not in client.get(
        reverse("admin:actors_updatecampaign_report", args=[two_campaigns["86"].pk])).content.decode()


def test_the_call_sheet_lists_places_without_email_with_what_to_ask(client, two_campaigns):
    client.force_login(two_campaigns["other_coordinator"])
    sheet = client.get(reverse("admin:actors_updatecampaign_call_sheet", args=[two_campaigns["87"].pk]))
    (row,) = sheet.context["rows"]
    assert row["place"].nom == "Espace numérique" and row["place"].telephone == "+33549000000"
    # The place lacks an e-mail or website, a description, and its source date is old: asked on the phone.
    assert row["asks"][0].startswith("confirmer les horaires")
    assert {"courriel ou site web", "présentation en deux phrases"} <= set(row["asks"])
    page = sheet.content.decode()
    assert "+33549000000" in page and "Rien n'a changé" in page and "call-box" in page


def test_freshness_history_counts_as_the_dates_say(client, two_campaigns):
    today = timezone.localdate()
    freshness_history.record()
    freshness_history.backfill()
    # Independent count: every published place of 87 shown on its own, read in Python from its dates.
    rows = Structure.objects.filter(commune__departement_id="87", state="published", folded_into__isnull=True)
    window = dt.timedelta(days=365)
    verified = [s for s in rows if s.verified_at and timezone.localdate(s.verified_at) > today - window]
    updated = [s for s in rows if s not in verified and s.date_maj > today - window]
    snapshot = FreshnessSnapshot.objects.get(departement_id="87", day=today)
    assert (snapshot.total, snapshot.verified, snapshot.source_updated, snapshot.estimated) == (
        len(rows), len(verified), len(updated), False)
    assert snapshot.verified == 1  # the place that confirmed through its link
    months = freshness_history.monthly("87")
    assert len(months) == 13 and all(m.estimated for m in months[:-1]) and not months[-1].estimated
    assert months[0].verified == 0  # a year ago nobody had confirmed
    assert freshness_history.backfill() == 0  # already there: nothing twice
    client.force_login(two_campaigns["other_coordinator"])
    page = client.get(reverse("admin:actors_updatecampaign_dashboard"))
    assert [t["code"] for t in page.context["territories"]] == ["dep-87"]
    html = page.content.decode()
    assert html.count("<polyline") == 2 and "reconstitué" in html


def test_the_admin_index_links_to_the_dashboard(client, two_campaigns):
    client.force_login(two_campaigns["other_coordinator"])
    html = client.get(reverse("admin:index")).content.decode()
    assert reverse("admin:actors_updatecampaign_dashboard") in html


def test_report_counts_agree_with_the_campaign_counts(two_campaigns):
    campaign = two_campaigns["87"]
    annotated = sending.report_counts(UpdateCampaign.objects.filter(pk=campaign.pk)).get()
    assert {k: getattr(annotated, k) for k in sending.ANSWER_CONDITIONS} == sending.counts(campaign)
    assert UpdateRequest.objects.filter(campaign=campaign, opened_at__isnull=False).count() == 1


def test_an_epci_coordinator_sees_the_freshness_of_their_epci_from_its_places_dates(client, two_campaigns):
    from actors.core.scope import coordinator_create

    today = timezone.localdate()
    epci = two_campaigns["poitiers"].epci
    # A Grand Poitiers place the coordination confirmed four months ago, and one outside the EPCI.
    inside = Structure.objects.filter(commune__epci=epci, state="published", folded_into__isnull=True)
    assert inside.exists()
    confirmed = inside.first()
    Structure.objects.filter(pk=confirmed.pk).update(verified_at=timezone.now() - dt.timedelta(days=120))
    user = coordinator_create("grand-poitiers@example.org", epcis=[epci.pk], password="x-Grand-Poitiers-2026")
    client.force_login(user)
    (territory,) = client.get(reverse("admin:actors_updatecampaign_dashboard")).context["territories"]
    assert territory["name"] == str(epci) and territory["estimated"]
    months = territory["months"]
    assert [m.day for m in months] == [*freshness_history.month_ends(today), today]
    # Independent count, in Python from each place's own dates, for every month end and today.
    rows = list(inside)
    for month in months:
        verified = [s for s in rows if s.verified_at
                    and month.day - dt.timedelta(days=365) < timezone.localdate(s.verified_at) <= month.day]
        updated = [s for s in rows if s not in verified
                   and month.day - dt.timedelta(days=365) < s.date_maj <= month.day]
        assert (month.total, month.verified, month.source_updated) == (len(rows), len(verified), len(updated))
    assert months[-1].verified >= 1 and months[0].verified == 0
    assert not months[-1].estimated and all(m.estimated for m in months[:-1])
