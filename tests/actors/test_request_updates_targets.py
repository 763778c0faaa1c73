"""`manage.py request_updates` chooses places by EPCI, commune, a list of places, or no confirmation for N months,
on the demo of the Vienne and the Haute-Vienne; the dry run names every address it would write to. The oracle
walks the rows in Python (each place's commune, its EPCI, its dates), not the verbs the command calls."""

import datetime as dt

import pytest
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from actors.core.scope import coordinator_create
from actors.models import Structure, UpdateCampaign
from actors.vocabulary.enums import PublicationState, Verifier

pytestmark = pytest.mark.django_db


def listed_places():
    """What a campaign may ask: published places, one per folded group."""
    return [s for s in Structure.objects.select_related("commune")
            if s.state == PublicationState.PUBLISHED and s.folded_into_id is None]


def written_to(output: str) -> set[str]:
    """The e-mail addresses of the dry run's « Recevraient un courriel » lines."""
    lines = output.split("Recevraient un courriel :", 1)[1].split("\n\n", 1)[0].strip().splitlines()
    return {line.rsplit(" — ", 1)[1] for line in lines}


def test_an_epci_asks_exactly_the_places_of_its_communes(run, demo_86_87):
    by_epci: dict[str, list[Structure]] = {}
    for place in listed_places():
        if place.commune and place.commune.epci_id:
            by_epci.setdefault(place.commune.epci_id, []).append(place)
    siren, places = max(by_epci.items(), key=lambda item: len(item[1]))
    assert len(places) >= 3  # a real choice, not one place
    output = run("--epci", siren)
    with_email = [p for p in places if p.courriel_list]
    assert f"{len(with_email)} lieu(x) avec courriel, {len(places) - len(with_email)} sans courriel" in output
    assert written_to(output) == {p.courriel_list[0] for p in with_email}
    assert "Simulation" in output and not UpdateCampaign.objects.exists()


def test_a_commune_asks_its_places_only(run, demo_86_87):
    places = [p for p in listed_places() if p.commune_id == "86194"]  # Poitiers
    output = run("--commune", "86194")
    with_email = [p for p in places if p.courriel_list]
    assert output.startswith(f"Poitiers (86194) : {len(with_email)} lieu(x) avec courriel, "
                             f"{len(places) - len(with_email)} sans courriel")
    assert written_to(output) == {p.courriel_list[0] for p in with_email}


def test_a_list_of_places_is_asked_and_sent_to_them_alone(run, demo_86_87, smtp_server):
    chosen = [p for p in listed_places() if p.courriel_list][:3]
    output = run("--lieux", ",".join(p.slug for p in chosen) + ", ", "--send")
    assert "3 lieux choisis : 3 lieu(x) avec courriel" in output
    assert sorted(rcpt[0] for rcpt, _message in smtp_server.messages) == sorted(p.courriel_list[0] for p in chosen)
    campaign = UpdateCampaign.objects.get()
    assert {r.structure_id for r in campaign.requests.all()} == {p.pk for p in chosen}


def test_places_not_confirmed_for_n_months_whatever_their_source_date(run, demo_86_87):
    now = timezone.now()
    in_86 = [p for p in listed_places() if p.commune.departement_id == "86" and p.courriel_list]
    recent, old = in_86[0], next(p for p in in_86 if p.courriel_list[0] != in_86[0].courriel_list[0])
    Structure.objects.filter(pk=recent.pk).update(verified_at=now - dt.timedelta(days=40),
                                                  verified_by=Verifier.PLACE)
    Structure.objects.filter(pk=old.pk).update(verified_at=now - dt.timedelta(days=400),
                                               verified_by=Verifier.COORDINATION)
    output = run("--non-verifies-depuis", "6", "--departement", "86")
    expected = [p for p in listed_places() if p.commune.departement_id == "86"
                and (p.verified_at is None or p.verified_at < now - dt.timedelta(days=183))]
    with_email = [p for p in expected if p.courriel_list]
    assert "Vienne (86), sans confirmation depuis 6 mois :" in output
    assert f"{len(with_email)} lieu(x) avec courriel, {len(expected) - len(with_email)} sans courriel" in output
    assert written_to(output) == {p.courriel_list[0] for p in with_email}
    assert old.courriel_list[0] in written_to(output)  # confirmed 400 days ago
    assert recent.pk not in {p.pk for p in expected}  # the place itself confirmed 40 days ago


@pytest.mark.parametrize("args, message", [
    (("--epci", "999999999"), "EPCI inconnu : 999999999"),
    (("--commune", "99999"), "Commune inconnue : 99999"),
    (("--lieux", "nulle-part,ailleurs"), "Lieu(x) inconnu(s) : nulle-part, ailleurs"),
    (("--non-verifies-depuis", "0"), "au moins 1"),
    ((), "Indiquez les lieux à solliciter"),
])
def test_a_target_naming_nothing_is_refused_in_french_and_nothing_is_sent(run, demo_86_87, args, message):
    with pytest.raises(CommandError, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(*args, "--send")
    assert not UpdateCampaign.objects.exists()


def test_an_archived_place_in_the_list_is_named_and_not_asked(run, demo_86_87):
    kept, archived = [p for p in listed_places() if p.courriel_list][:2]
    Structure.objects.filter(pk=archived.pk).update(state=PublicationState.ARCHIVED)
    output = run("--lieux", f"{kept.slug},{archived.slug}")
    assert f"Non sollicités (brouillon, archivé ou réuni à une autre fiche) : {archived.slug}" in output
    assert written_to(output) == {kept.courriel_list[0]}


def test_the_admin_list_chooses_an_epci_and_places_without_confirmation_for_the_action(client, demo_86_87):
    coordinator = coordinator_create("coord86@example.org", departements=["86"])
    client.force_login(coordinator)
    changelist = reverse("admin:actors_structure_changelist")
    epcis = {s.commune.epci_id for s in Structure.objects.select_related("commune")
             if s.commune and s.commune.departement_id == "86" and s.commune.epci_id}
    siren = sorted(epcis)[0]
    shown = client.get(changelist, {"epci": siren, "all": ""}).context["cl"]
    expected = {s.pk for s in Structure.objects.select_related("commune") if s.commune and s.commune.epci_id == siren}
    assert {s.pk for s in shown.queryset} == expected and expected
    old = Structure.objects.filter(commune__departement_id="86").first()
    Structure.objects.filter(commune__departement_id="86").update(verified_at=timezone.now(),
                                                                  verified_by=Verifier.COORDINATION)
    Structure.objects.filter(pk=old.pk).update(verified_at=timezone.now() - dt.timedelta(days=200))
    unconfirmed = client.get(changelist, {"sans_confirmation": "6"}).context["cl"]
    assert [s.pk for s in unconfirmed.queryset] == [old.pk]
