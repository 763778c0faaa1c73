"""One rule for « public » and « à jour / à vérifier »: on the same data, with a 6-month policy (taken offline
after 12 months) in the Vienne, the admin index, the campaign dashboard, the campaign selection, the freshness
history and the diagnostic give the figures of `Structure.objects.public()` / `.fresh()`, and say « 6 »."""

import datetime as dt

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from actors.campaigns import freshness_history, sending
from actors.core import freshness_policy
from actors.models import FreshnessSnapshot, Structure
from actors.models import policy as policy_model
from actors.templatetags.coordination_admin import coordination_dashboard
from tests.fixtures.coordination import place

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_policy_cached():
    policy_model._current = None
    yield
    policy_model._current = None


def aged(source_id: str, nom: str, commune, days: int, **extra) -> Structure:
    """A place of `commune` its source last updated `days` ago, never confirmed since."""
    structure = place(source_id, nom, commune, None, **extra)
    Structure.objects.filter(pk=structure.pk).update(date_maj=timezone.localdate() - dt.timedelta(days=days),
                                                     verified_at=None)
    return structure


@pytest.fixture
def vienne_at_six_months(two_territories):
    """In 86: places of every age (fresh, stale but shown, taken offline, confirmed lately), then the rule."""
    poitiers, buxerolles = two_territories["poitiers"], two_territories["buxerolles"]
    aged("age-30", "Espace public numérique des Couronneries", poitiers, 30, courriels="epn@example.org")
    aged("age-120", "Maison France services de Buxerolles", buxerolles, 120)
    aged("age-200", "Point numérique de la gare", poitiers, 200, courriels="gare@example.org")
    aged("age-300", "Atelier numérique du CCAS", buxerolles, 300)
    aged("age-400", "Tiers-lieu des Trois-Cités", poitiers, 400, courriels="tl@example.org")
    confirmed = aged("age-500", "Cyberbase de Saint-Éloi", poitiers, 500)
    Structure.objects.filter(pk=confirmed.pk).update(verified_at=timezone.now() - dt.timedelta(days=20))
    freshness_policy.freshness_policy_set(user=two_territories["coordinator"], departement="86",
                                          stale_after_months=6, hide_after_months=12)
    policy_model._current = None
    return two_territories


def test_every_page_counts_the_public_and_the_fresh_as_the_rule_does(client, vienne_at_six_months):
    coordinator = vienne_at_six_months["coordinator"]
    mine = Structure.objects.editable_by(coordinator)
    public = mine.public()
    in_vienne = Structure.objects.public().in_departement("86")
    # The data cover every case: records that are not public (a folded copy, a place taken offline), and public
    # places that are « à vérifier » under 6 months but would be « à jour » under 12.
    assert mine.published().count() > public.count() > public.fresh().count() > 0
    assert public.filter(date_maj__lt=timezone.localdate() - dt.timedelta(days=190)).exists()
    assert set(public.values_list("pk", flat=True)) == set(in_vienne.values_list("pk", flat=True))

    # The admin index.
    request = RequestFactory().get("/admin/")
    request.user = coordinator
    cards = {str(card["label"]): card["count"] for card in coordination_dashboard({"request": request})["cards"]}
    assert cards["Lieux publics (visibles sur le site)"] == public.count()
    assert cards["À vérifier (plus de 6 mois)"] == mine.stale().count()
    published = [label for label in cards if label.startswith("Fiches publiées")]
    assert published and "doublons regroupés" in published[0]  # records, said exactly, not the public count
    client.force_login(coordinator)
    index = client.get(reverse("admin:index")).content.decode()
    assert "Lieux publics (visibles sur le site)" in index and "plus de 12 mois" not in index

    # The campaign dashboard: the same public count, the history's current point is the rule's « à jour ».
    page = client.get(reverse("admin:actors_updatecampaign_dashboard"))
    assert page.context["places"] == public.count()
    html = page.content.decode()
    assert f"{public.count()} lieux publics" in html
    assert "dans les 6 mois précédant" in html and "12 mois" not in html
    (territory,) = page.context["territories"]
    current = territory["months"][-1]
    assert (current.day, current.estimated) == (timezone.localdate(), False)
    assert (current.total, current.fresh) == (in_vienne.count(), in_vienne.fresh().count())

    # The stored daily record says the same, and the month ends are counted with the rule's 6 months.
    freshness_history.record()
    snapshot = FreshnessSnapshot.objects.get(departement_id="86", day=timezone.localdate())
    assert (snapshot.total, snapshot.verified + snapshot.source_updated) == (in_vienne.count(),
                                                                            in_vienne.fresh().count())
    last_month_end = freshness_history.month_ends(timezone.localdate())[-1]
    (estimate,) = [m for m in freshness_history.monthly("86") if m.day == last_month_end] or [None]
    assert estimate is None  # nothing recorded for past months until backfill
    freshness_history.backfill()
    (estimate,) = [m for m in freshness_history.monthly("86") if m.day == last_month_end]
    window = dt.timedelta(days=round(6 * 365 / 12))
    start = last_month_end - window
    expected_fresh = [s for s in Structure.objects.published().filter(commune__departement_id="86",
                                                                      folded_into__isnull=True)
                      if (s.verified_at and start < timezone.localdate(s.verified_at) <= last_month_end)
                      or start < s.date_maj <= last_month_end]
    assert estimate.fresh == len(expected_fresh)

    # An EPCI's coordinator, whose history is counted from the places' dates: the same current point.
    from actors.core.scope import coordinator_create

    epci = vienne_at_six_months["epci"]
    user = coordinator_create("grand-poitiers@example.org", epcis=[epci.pk], password="x-Grand-Poitiers-2026")
    client.force_login(user)
    (territory,) = client.get(reverse("admin:actors_updatecampaign_dashboard")).context["territories"]
    in_epci = Structure.objects.public().in_epci(epci.pk)
    assert (territory["months"][-1].total, territory["months"][-1].fresh) == (in_epci.count(),
                                                                              in_epci.fresh().count())

    # The campaign selection: the places of the public site, those the rule took offline included (the campaign
    # is how they come back), never a folded copy.
    selection = sending.select(mine)
    asked = {s.pk for s in selection.with_email + selection.to_call}
    assert asked == set(mine.listed().values_list("pk", flat=True))
    assert set(public.values_list("pk", flat=True)) < asked
    assert not mine.filter(pk__in=asked, folded_into__isnull=False).exists()

    # The admin's list filter says the rule's months and lists what `.stale()` gives.
    client.force_login(coordinator)
    changelist = reverse("admin:actors_structure_changelist")
    listing = client.get(changelist)
    assert "À vérifier (plus de 6 mois)" in listing.content.decode()
    assert "À jour (6 derniers mois)" in listing.content.decode()
    stale_listed = client.get(changelist + "?fraicheur=a-verifier").context["cl"].queryset
    assert set(stale_listed.values_list("pk", flat=True)) == set(mine.stale().values_list("pk", flat=True))
    public_listed = client.get(changelist + "?visibilite=public").context["cl"].queryset
    assert set(public_listed.values_list("pk", flat=True)) == set(public.values_list("pk", flat=True))

    # The diagnostic of the Vienne: its « à jour » figure is `.fresh()`, in the rule's 6 months.
    diagnostic = client.get(reverse("territories:departement_diagnostic", args=["86"]))
    summary = diagnostic.context["data"]["summary"]
    assert (summary["places"], summary["fresh"]) == (in_vienne.count(), in_vienne.fresh().count())
    html = diagnostic.content.decode()
    assert "À jour (6 derniers mois)" in html and "12 derniers mois" not in html
    # The comparison mixes the Vienne (6 months) with France (12 months elsewhere): it says so.
    assert "À jour (selon la règle de chaque département)" in html
    printed = client.get(reverse("territories:departement_diagnostic_print", args=["86"])).content.decode()
    assert "À jour (6 derniers mois)" in printed


def test_a_policy_change_reaches_the_diagnostic_at_once(client, two_territories):
    """The département's counts are cached under its fingerprint: the rule is part of it."""
    aged("age-200", "Point numérique de la gare", two_territories["poitiers"], 200)
    url = reverse("territories:departement_diagnostic", args=["86"])
    in_vienne = Structure.objects.public().in_departement("86")

    def fresh_shown() -> list[int]:
        page = client.get(url)
        return [row["fresh"] for row in page.context["comparison"] if row["kind"] == "departement"]

    fresh_at_12 = in_vienne.fresh().count()
    assert fresh_shown() == [fresh_at_12]
    assert "À jour (12 derniers mois)" in client.get(url).content.decode()
    freshness_policy.freshness_policy_set(user=two_territories["coordinator"], departement="86",
                                          stale_after_months=6, hide_after_months=None)
    policy_model._current = None
    assert in_vienne.fresh().count() == fresh_at_12 - 1
    assert fresh_shown() == [fresh_at_12 - 1]
