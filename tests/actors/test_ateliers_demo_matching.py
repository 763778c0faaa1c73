"""Events placed by their location on the whole demo of the Vienne and the Haute-Vienne: an OpenAgenda export
with one event at each public place (its name, address, postcode and city as an agenda would write them) must
land on that very place or be reported; never on another place."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from actors.ateliers.importing import import_agenda
from actors.models import AtelierSeries, Structure

pytestmark = pytest.mark.django_db


def test_every_demo_place_is_found_from_its_own_location_and_none_is_mistaken(demo_86_87):
    places = list(Structure.objects.public().order_by("pk"))
    begin = timezone.now() + dt.timedelta(days=3)
    events = [{"uid": place.pk, "title": {"fr": f"Atelier {place.pk}"}, "timezone": "Europe/Paris",
               "timings": [{"begin": begin.isoformat(), "end": (begin + dt.timedelta(hours=2)).isoformat()}],
               "location": {"name": place.nom, "address": place.adresse, "postalCode": place.code_postal,
                            "city": place.commune_nom}} for place in places]
    report = import_agenda(data=json.dumps({"events": events}).encode(), structure=None, apply=True)
    found = dict(AtelierSeries.objects.values_list("source_id", "structure_id"))
    wrong = [(pk, found[pk], Structure.objects.get(pk=pk).nom, Structure.objects.get(pk=found[pk]).nom,
              Structure.objects.get(pk=pk).adresse, Structure.objects.get(pk=found[pk]).adresse)
             for pk in found if int(pk) != found[pk]]
    assert wrong == []
    assert report.unmatched == len(places) - len(found)
    print(f"\n{len(places)} lieux publics de la démo : {len(found)} trouvés par leur adresse, "
          f"{report.unmatched} signalés sans lieu, 0 erreur")
    assert len(found) >= 0.9 * len(places)
