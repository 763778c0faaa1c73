"""Quality score: checked against points counted by hand from the criteria of actors/core/quality.py, kept current by
the write paths, filterable in the admin, a tie-breaker of the public ranking; whole-demo bounds and figures."""

import datetime as dt
from collections import Counter

import pytest
from django.contrib.gis.geos import Point
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from actors.core import quality, writes
from actors.models import Structure
from tests.fixtures.coordination import place

NOW = dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def scored_places(vienne, terms):
    poitiers = vienne["poitiers"]
    # Counted by hand: address 15, position 15, hours 20, phone 8 + site 7, services 10, description 10,
    # source date 2026-09-01 (86 days before NOW) 15 = 100.
    full = place("q-full", "Espace public numérique", poitiers, Point(0.3447, 46.5836), telephone="+33549000000",
                 site_web="https://epn.example.org", date_maj=dt.date(2026, 9, 1),
                 presentation_resume="Accès libre aux ordinateurs et ateliers pour débuter sur internet.")
    # Address 15, no point of its own (the commune's centre) 5, no hours 0, no contact 0, services 10,
    # a short description 5, source date 2024-10-01 (786 days) 0 = 35.
    sparse = place("q-sparse", "Permanence numérique", poitiers, None, horaires="", date_maj=dt.date(2024, 10, 1),
                   presentation_resume="Sur place.")
    # The fixture's default place: address 15, position 15, hours 20, no contact 0, services 10, no description 0,
    # source date 2025-01-15 (680 days) 5 = 65.
    default = place("q-default", "Médiathèque", poitiers, Point(0.3450, 46.5840))
    return {"full": full, "sparse": sparse, "default": default}


@pytest.mark.django_db
def test_scores_match_points_counted_by_hand(scored_places):
    expected = {"full": 100, "sparse": 35, "default": 65}
    for name, structure in scored_places.items():
        score = quality.score(Structure.objects.get(pk=structure.pk), now=NOW)
        assert score.total == expected[name], (name, score.points)
    assert quality.score(Structure.objects.get(pk=scored_places["sparse"].pk), now=NOW).points == {
        "address": 15, "position": 5, "hours": 0, "contact": 0, "services": 10, "description": 5, "freshness": 0}


@pytest.mark.django_db
def test_the_stored_score_follows_writes_and_time(scored_places):
    sparse = scored_places["sparse"]
    with pytest.MonkeyPatch.context() as clock:
        clock.setattr(timezone, "now", lambda: NOW)
        quality.refresh()
        assert Structure.objects.get(pk=sparse.pk).quality == 35
        # Confirmed today by a coordinator: freshness 0 → 15.
        writes.structures_mark_verified(Structure.objects.filter(pk=sparse.pk))
        assert Structure.objects.get(pk=sparse.pk).quality == 50
        # An admin save adds hours: + 20.
        structure = Structure.objects.get(pk=sparse.pk)
        structure.horaires = "Tu 14:00-17:00"
        writes.structure_save(structure)
        assert Structure.objects.get(pk=sparse.pk).quality == 70
        good = Structure.objects.filter(quality.band_condition("bonne")).order_by("pk")
        assert list(good.values_list("pk", flat=True)) == sorted([scored_places["full"].pk, sparse.pk])
    # 240 days later the confirmation (240 days old) is worth 10, the full place's source date (326 days) 10.
    later = NOW + dt.timedelta(days=240)
    with pytest.MonkeyPatch.context() as clock:
        clock.setattr(timezone, "now", lambda: later)
        call_command("refresh_quality", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Structure.objects.get(pk=sparse.pk).quality == 65
    assert Structure.objects.get(pk=scored_places["full"].pk).quality == 95


@pytest.mark.django_db
def test_the_score_breaks_ties_of_the_public_ranking_before_the_name(client, scored_places):
    # Same distance from the search point, names in the other order: the better record comes first.
    default, full = scored_places["default"], scored_places["full"]
    Structure.objects.filter(pk__in=[default.pk, full.pk]).update(location=Point(0.3447, 46.5836))
    Structure.objects.filter(pk=full.pk).update(nom="Zénith numérique")
    quality.refresh()
    response = client.get(reverse("actors:list"), {"lat": "46.5836", "lon": "0.3447", "tri": "distance"})
    names = [s.nom for s in response.context["directory"]["page_obj"].object_list]
    assert names.index("Zénith numérique") < names.index("Médiathèque")
    by_name = client.get(reverse("actors:list"), {"tri": "nom"}).context["directory"]["page_obj"].object_list
    by_name = [s.nom for s in by_name]
    assert by_name.index("Médiathèque") < by_name.index("Zénith numérique")


@pytest.mark.django_db
def test_the_admin_lists_and_filters_by_band(admin_client, scored_places):
    quality.refresh()
    url = reverse("admin:actors_structure_changelist")
    page = admin_client.get(url, {"qualite": "faible"})
    assert [s.pk for s in page.context["cl"].result_list] == [scored_places["sparse"].pk]
    assert "qualité /100" in admin_client.get(url).content.decode().lower()


def test_every_demo_score_is_within_bounds_and_equals_the_method(demo_data, db, capsys):
    rows = Structure.objects.prefetch_related("terms").select_related("commune")
    stored = {s.pk: (s.quality, quality.score(s).total) for s in rows}
    assert len(stored) == 2162
    assert all(0 <= total <= 100 for total, _method in stored.values())
    assert all(total == method for total, method in stored.values())
    tens = Counter(min(total // 10, 9) for total, _method in stored.values())
    with capsys.disabled():
        print("\nQualité de la démo par tranche de 10 :",
              ", ".join(f"{10 * t}–{10 * t + 9 if t < 9 else 100} : {tens[t]}" for t in range(10)))
