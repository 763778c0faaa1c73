"""The diagnostic counts the sessions of the coming 90 days per theme and per 10,000 inhabitants, counted here
from the stored sessions and the communes' populations (not through the page's code)."""

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.utils import timezone

from actors.ateliers.importing import import_agenda
from actors.models import AtelierSession
from territories.models import Commune
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
