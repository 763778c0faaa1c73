"""QPV pages: the perimeter and the places inside, within 300 m and within 1 km, on the demo data."""
import pytest
from django.core.cache import cache

from actors.models import Structure
from actors.territory_pages.qpv_places import places_around
from territories.models import QPV

pytestmark = pytest.mark.django_db

LAMBERT_93 = 2154
MARGIN_M = 5  # the page's local projection agrees with Lambert-93 within ~0.1 %: skip places on a threshold


def lambert_distances(qpv: QPV) -> dict[int, float]:
    """Oracle: GDAL's Lambert-93 projection, not the page's own code."""
    shape = qpv.perimeter.transform(LAMBERT_93, clone=True)
    return {s.pk: shape.distance(s.location.transform(LAMBERT_93, clone=True))
            for s in Structure.objects.public().in_departement("86").filter(location__isnull=False)}


def test_every_poitiers_qpv_lists_its_places_by_distance_as_lambert_93_measures_them(demo_86_87):
    qpvs = list(QPV.objects.filter(communes__code="86194"))
    assert len(qpvs) == 4
    listed_somewhere = 0
    for qpv in qpvs:
        found = places_around(qpv)
        bands = {pk: band for band, rows in (("in", found.inside), ("300", found.near), ("1km", found.within))
                 for pk in (s.pk for s, _ in rows)}
        for pk, metres in lambert_distances(qpv).items():
            expected = "in" if metres == 0 else "300" if metres <= 300 else "1km" if metres <= 1000 else None
            if any(abs(metres - limit) < MARGIN_M for limit in (300, 1000)):
                continue
            assert bands.get(pk) == expected, (qpv.name, pk, metres)
        listed_somewhere += found.within_1km
    assert listed_somewhere > 0


def test_the_qpv_page_shows_its_perimeter_and_places_and_is_linked_from_its_territories(client, demo_86_87):
    cache.clear()  # territory pages cache their counts: another test's data must not answer
    qpv = QPV.objects.get(code="QN08605M")  # Couronneries Saint-Éloi, Poitiers
    found = places_around(qpv)
    assert found.within_1km > 0
    body = client.get(f"/territoires/qpv/{qpv.code}/").content.decode()
    assert "Couronneries Saint-Eloi" in body
    assert 'id="territory-map-data"' in body and qpv.code in body
    for structure, _metres in found.inside + found.near + found.within:
        assert structure.get_absolute_url() in body
    assert f"<strong>{found.within_1km}</strong>" in body
    for page in ("/territoires/communes/86194/", "/territoires/departements/86/"):
        assert f'href="/territoires/qpv/{qpv.code}/"' in client.get(page).content.decode()
    assert client.get("/territoires/qpv/QN00000X/").status_code == 404
