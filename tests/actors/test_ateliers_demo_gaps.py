"""On the whole demo: sessions at one public place in seven of the Vienne and the Haute-Vienne (written here; the
demo ships none), then the diagnostic's communes without a session within 5 and 10 km checked commune by commune
against the database's own distance lookup, and the map's « un atelier cette semaine » against the table."""

import datetime as dt

import pytest
from django.contrib.gis.measure import D
from django.urls import reverse
from django.utils import timezone

from actors.diagnostic.areas import departement_area
from actors.diagnostic.ateliers import communes_without_sessions
from actors.models import AtelierSeries, AtelierSession, Structure
from territories.models import Commune, Departement

pytestmark = pytest.mark.django_db

# A commune whose centre is this close to the limit is left out of the comparison: the diagnostic measures on a
# conformal projection (within 0.02 % of the geodesic), the database on the spheroid.
MARGIN_KM = 0.01


@pytest.fixture
def sessions(demo_data):
    now = timezone.now()
    places = list(Structure.objects.public().filter(commune__departement_id__in=["86", "87"]).order_by("pk"))
    hosts, cancelled = places[::7], places[3]
    for place in [*hosts, cancelled]:
        series = AtelierSeries.objects.create(structure=place, source="lieu", source_id=f"demo-{place.pk}",
                                              title="Atelier numérique")
        AtelierSession.objects.create(series=series, starts_at=now + dt.timedelta(minutes=10),
                                      ends_at=now + dt.timedelta(hours=2), cancelled=place is cancelled)
    assert cancelled not in hosts
    return hosts


def lacking_by_the_database(code: str, km: float) -> tuple[set[str], set[str]]:
    """(communes lacking, communes too close to the limit to tell)."""
    hosts = Structure.objects.public().filter(ateliers__sessions__cancelled=False).distinct()
    lacking, unsure = set(), set()
    for commune in Commune.objects.filter(departement_id=code, kind=Commune.Kind.COMMUNE):
        if hosts.filter(commune_id=commune.code).exists() or hosts.filter(commune__parent_id=commune.code).exists():
            continue
        if commune.centre is None:
            lacking.add(commune.code)
            continue
        near = hosts.filter(location__distance_lte=(commune.centre, D(km=km - MARGIN_KM))).exists()
        far = not hosts.filter(location__distance_lte=(commune.centre, D(km=km + MARGIN_KM))).exists()
        if far:
            lacking.add(commune.code)
        elif not near:
            unsure.add(commune.code)
    return lacking, unsure


@pytest.mark.parametrize("code", ["86", "87"])
@pytest.mark.parametrize("km", [5, 10])
def test_communes_without_a_session_agree_with_the_database_on_the_demo(sessions, code, km):
    expected, unsure = lacking_by_the_database(code, km)
    found = {c["code"] for c in communes_without_sessions(departement_area(Departement.objects.get(pk=code)),
                                                          service_km=km)["communes_without"]}
    assert found - unsure == expected
    assert 0 < len(expected) < Commune.objects.filter(departement_id=code).count()  # the comparison means something


def test_the_map_keeps_exactly_the_places_with_a_session_this_week_on_the_demo(client, sessions):
    response = client.get(reverse("actors:map_data"), {"bbox": "-2,44,3,48", "zoom": "8", "ateliers": "semaine"})
    located = {place.pk for place in sessions if place.location is not None}
    assert response.json()["t"] == len(located) > 30
    everything = client.get(reverse("actors:map_data"), {"bbox": "-2,44,3,48", "zoom": "8"}).json()["t"]
    assert everything > 10 * len(located)
