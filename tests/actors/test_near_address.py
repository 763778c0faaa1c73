"""'Près de' an address that the offline directory can only place at its commune's centre says so."""
import re

import pytest
from django.http import QueryDict

from actors.directory.filters import StructureFilter
from territories.communes import says_more_than_the_commune
from territories.models import Commune

pytestmark = pytest.mark.django_db


def test_an_address_is_told_apart_from_a_commune_or_a_postcode(directory):
    poitiers = Commune.objects.get(pk="86194")
    assert not says_more_than_the_commune("Poitiers", poitiers)
    assert not says_more_than_the_commune("86000", poitiers)
    assert not says_more_than_the_commune("86000 Poitiers", poitiers)
    assert says_more_than_the_commune("12 rue de la Gare 86000 Poitiers", poitiers)


def test_an_address_placed_at_the_commune_centre_is_announced_as_approximate(client, directory):
    filterset = StructureFilter(QueryDict("pres_de=12 rue de la Gare 86000 Poitiers&rayon=10"))
    assert filterset.qs.exists()
    assert filterset.origin_is_approximate
    body = client.get("/", {"pres_de": "12 rue de la Gare 86000 Poitiers", "rayon": "10"}).content.decode()
    assert "Position approximative" in body
    assert "0,0 km" not in body
    distances = re.findall(r'class="result__distance">([^<]*)<', body)
    assert distances and all("centre de la commune" in d for d in distances)
    # Before the results: the notice comes first in the page.
    assert body.index("Position approximative") < body.index("result__distance")


def test_a_commune_is_not_approximate_and_no_distance_reads_zero(client, directory):
    filterset = StructureFilter(QueryDict("pres_de=Poitiers&rayon=10"))
    assert not filterset.origin_is_approximate
    body = client.get("/", {"pres_de": "Poitiers", "rayon": "10"}).content.decode()
    assert "Position approximative" not in body
    assert "0,0 km" not in body
    distances = re.findall(r'class="result__distance">([^<]*)<', body)
    assert distances and all(re.search(r"km|moins de 100 m", d) for d in distances)
