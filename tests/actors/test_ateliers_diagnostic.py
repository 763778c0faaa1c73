"""The diagnostic counts the sessions of the coming 90 days per theme and per 10,000 inhabitants, counted here
from the stored sessions and the communes' populations (not through the page's code)."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.utils import timezone

from actors.ateliers.importing import import_agenda
from actors.diagnostic.areas import departement_area
from actors.diagnostic.ateliers import communes_without_sessions
from actors.models import AtelierSession, Structure
from territories.models import Commune, Departement
from territories.text import fold
from tests.fixtures.ateliers import agenda_ics, next_monday

pytestmark = pytest.mark.django_db


def french_tenth(value: float) -> str:
    return str(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)).replace(".", ",")


def test_sessions_per_theme_and_per_10000_inhabitants_over_90_days(client, atelier_places):
    import_agenda(data=agenda_ics(next_monday(), weeks=20), structure=atelier_places["mediatheque"], apply=True)
    now = timezone.now()
    horizon = now + dt.timedelta(days=90)
    kept = [s for s in AtelierSession.objects.filter(cancelled=False).select_related("series")
            if s.ends_at >= now and s.starts_at < horizon]
    later = AtelierSession.objects.filter(cancelled=False, starts_at__gte=horizon).count()
    assert later > 0  # the 20-week series runs past the 90 days: those sessions must not count
    population = sum(Commune.objects.filter(departement_id="86").values_list("population", flat=True))
    page = client.get("/territoires/departements/86/diagnostic/").content.decode()
    total = len(kept)
    assert (f"{total} séances d'ateliers annoncées, soit {french_tenth(total * 10_000 / population)} pour 10 000 "
            "habitants") in page
    smartphone = sum(s.series.title == "Smartphone pour débutants" for s in kept)
    assert (f"<th scope=\"row\">Maîtrise des outils numériques du quotidien</th><td>{smartphone}</td>"
            f"<td>{french_tenth(smartphone * 10_000 / population)}</td>") in page


def test_a_territory_without_sessions_says_where_they_come_from(client, atelier_places):
    page = client.get("/territoires/departements/86/diagnostic/").content.decode()
    assert "Aucun atelier annoncé dans les 90 prochains jours" in page


@pytest.fixture
def more_communes(vienne):
    """Communes at known distances of the médiathèque: about 5.5 km (Migné-Auxances) and 27 km (Châtellerault)."""
    for code, name, point, population in [("86158", "Migné-Auxances", Point(0.3117, 46.6297), 6000),
                                          ("86066", "Châtellerault", Point(0.5460, 46.8170), 31000)]:
        Commune.objects.create(code=code, name=name, name_folded=fold(name), departement=vienne["departement"],
                               population=population, centre=point)


def lacking_by_the_database(km: int, now: dt.datetime) -> list[str]:
    """The oracle: communes with no place holding a session in 90 days in them nor within `km`, the distance
    measured by the database (GeoDjango's distance lookup), not by the diagnostic's projection."""
    hosts = Structure.objects.filter(ateliers__sessions__cancelled=False, ateliers__sessions__ends_at__gte=now,
                                     ateliers__sessions__starts_at__lt=now + dt.timedelta(days=90)).distinct()
    return sorted(c.code for c in Commune.objects.filter(departement_id="86")
                  if not hosts.filter(commune_id=c.code).exists()
                  and not hosts.filter(location__distance_lte=(c.centre, D(km=km))).exists())


@pytest.mark.parametrize("km", [1, 2, 5, 10, 15])
def test_communes_without_a_session_within_the_chosen_distance(client, atelier_places, more_communes, km):
    import_agenda(data=agenda_ics(next_monday()), structure=atelier_places["mediatheque"], apply=True)
    expected = lacking_by_the_database(km, timezone.now())
    area = departement_area(Departement.objects.get(pk="86"))
    found = communes_without_sessions(area, service_km=km)
    assert sorted(c["code"] for c in found["communes_without"]) == expected
    assert found["population_without"] == sum(Commune.objects.filter(code__in=expected)
                                              .values_list("population", flat=True))
    page = client.get("/territoires/departements/86/diagnostic/", {"distance": km}).content.decode()
    assert f"Communes sans atelier à moins de {km} km" in page
    if expected:
        assert f"<strong>{len(expected)}</strong> commune{'s' if len(expected) > 1 else ''} sur 4" in page
    csv = client.get("/territoires/departements/86/diagnostic.csv", {"distance": km}).content.decode()
    assert f"Vienne;departement;86;communes_sans_atelier_a_moins_de_{km}_km;{len(expected)}" in csv


def test_the_gaps_move_with_the_chosen_distance_and_a_place_without_sessions_does_not_count(atelier_places,
                                                                                           more_communes):
    import_agenda(data=agenda_ics(next_monday()), structure=atelier_places["mediatheque"], apply=True)
    area = departement_area(Departement.objects.get(pk="86"))
    names = {km: {c["name"] for c in communes_without_sessions(area, service_km=km)["communes_without"]}
             for km in (2, 5, 10)}
    # Buxerolles has a place, but without any session: it lacks until the médiathèque (2.4 km) is in reach.
    assert names[2] == {"Buxerolles", "Migné-Auxances", "Châtellerault"}
    assert names[5] == {"Migné-Auxances", "Châtellerault"}
    assert names[10] == {"Châtellerault"}


def test_cancelled_sessions_leave_every_commune_without(atelier_places, more_communes):
    import_agenda(data=agenda_ics(next_monday()), structure=atelier_places["mediatheque"], apply=True)
    AtelierSession.objects.update(cancelled=True)
    area = departement_area(Departement.objects.get(pk="86"))
    assert len(communes_without_sessions(area, service_km=15)["communes_without"]) == 4
