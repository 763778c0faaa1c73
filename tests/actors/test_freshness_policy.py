"""Freshness policy per département: N months before « À vérifier », optionally M months before leaving the
public pages; set by the département's own coordinators only."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from actors.campaigns import update_links
from actors.core import freshness_policy
from actors.core.scope import coordinator_create
from actors.freshness import rule
from actors.models import FreshnessPolicy, Structure
from actors.models import policy as policy_model
from territories.models import Commune, Departement

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_policy_cached():
    policy_model._current = None
    yield
    policy_model._current = None


def age(structure, days: int) -> None:
    """The source last updated the place `days` ago and nobody confirmed it since."""
    Structure.objects.filter(pk=structure.pk).update(date_maj=timezone.localdate() - dt.timedelta(days=days),
                                                     verified_at=None)
    structure.refresh_from_db()


def test_n_months_set_for_one_departement_only(two_territories):
    ours, theirs = two_territories["ours"]["structure"], two_territories["theirs"]["structure"]
    age(ours, 200)
    age(theirs, 200)
    assert not ours.freshness().stale and not theirs.freshness().stale  # default: 12 months
    freshness_policy.freshness_policy_set(user=two_territories["coordinator"], departement="86", stale_after_months=6,
                                  hide_after_months=None)
    assert ours.freshness().stale and not theirs.freshness().stale
    stale = set(Structure.objects.stale().values_list("pk", flat=True))
    assert ours.pk in stale and theirs.pk not in stale  # the SQL twin agrees with the method


def test_past_m_months_a_place_leaves_the_public_pages_until_confirmed(client, two_territories):
    ours = two_territories["ours"]["structure"]
    age(ours, 400)
    assert Structure.objects.public().filter(pk=ours.pk).exists()  # default: never taken offline
    freshness_policy.freshness_policy_set(user=two_territories["coordinator"], departement="86", stale_after_months=6,
                                  hide_after_months=12)
    assert not Structure.objects.public().filter(pk=ours.pk).exists()
    assert Structure.objects.public().filter(pk=two_territories["theirs"]["structure"].pk).exists()
    listing = client.get(reverse("actors:list")).content.decode()
    assert ours.nom not in listing
    # The place confirms through its update link: it is back at once.
    update_links.confirm_unchanged(structure=ours, now=timezone.now())
    policy_model._current = None
    assert Structure.objects.public().filter(pk=ours.pk).exists()
    assert ours.nom in client.get(reverse("actors:list")).content.decode()


def test_a_coordinator_of_87_cannot_set_the_policy_of_33(client, two_territories):
    gironde = Departement.objects.create(code="33", name="Gironde", name_folded="gironde",
                                         region=two_territories["region"], zone="metro")
    Commune.objects.create(code="33063", name="Bordeaux", name_folded="bordeaux", departement=gironde,
                           postal_codes="33000")
    coordinator = two_territories["other_coordinator"]  # Haute-Vienne (87)
    with pytest.raises(PermissionDenied):
        freshness_policy.freshness_policy_set(user=coordinator, departement="33", stale_after_months=6,
                                      hide_after_months=None)
    client.force_login(coordinator)
    add = reverse("admin:actors_freshnesspolicy_add")
    page = client.get(add)
    assert page.status_code == 200
    assert list(page.context["adminform"].form.fields["departement"].queryset) == [two_territories["haute_vienne"]]
    response = client.post(add, {"departement": "33", "stale_after_months": "6"})
    assert response.status_code == 200 and not FreshnessPolicy.objects.filter(departement="33").exists()
    assert client.post(add, {"departement": "87", "stale_after_months": "6"}).status_code == 302
    assert FreshnessPolicy.objects.get(departement="87").updated_by == coordinator
    # Another coordinator's policy is neither listed nor reachable.
    freshness_policy.freshness_policy_set(user=two_territories["coordinator"], departement="86", stale_after_months=9,
                                  hide_after_months=None)
    shown = client.get(reverse("admin:actors_freshnesspolicy_changelist")).context["cl"].result_list
    assert [p.departement_id for p in shown] == ["87"]
    change = client.post(reverse("admin:actors_freshnesspolicy_change", args=["86"]),
                         {"stale_after_months": "1"})
    assert change.status_code in (302, 403, 404)
    assert FreshnessPolicy.objects.get(departement="86").stale_after_months == 9


def test_an_epci_coordinator_does_not_set_a_departement_policy(two_territories):
    coordinator = coordinator_create("epci@example.org", epcis=[two_territories["epci"].pk])
    with pytest.raises(PermissionDenied):
        freshness_policy.freshness_policy_set(user=coordinator, departement="86", stale_after_months=6,
                                      hide_after_months=None)


def test_bad_months_are_refused_in_french_and_nothing_is_written(client, two_territories):
    with pytest.raises(ValidationError, match="au moins égal"):
        freshness_policy.freshness_policy_set(user=two_territories["coordinator"], departement="86",
                                              stale_after_months=12, hide_after_months=6)
    client.force_login(two_territories["coordinator"])
    response = client.post(reverse("admin:actors_freshnesspolicy_add"),
                           {"departement": "86", "stale_after_months": "12", "hide_after_months": "6"})
    assert response.status_code == 200 and "au moins égal" in response.content.decode()
    assert not FreshnessPolicy.objects.exists()


def test_the_departement_of_every_commune_is_read_from_its_code(two_territories):
    assert rule.departement_of("97411") == "974" and rule.departement_of("2A004") == "2A"
    for code, departement in Commune.objects.values_list("code", "departement_id"):
        assert rule.departement_of(code) == departement
