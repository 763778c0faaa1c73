"""The three QPV distances (inside, 300 m, 1 km) on the whole demo, against the database's own Lambert-93
distances: the list's filter, the QPV pages and the diagnostic give the same places."""

from collections import defaultdict

import pytest
from django.db import connection
from django.http import QueryDict

from actors.diagnostic.areas import area_for
from actors.diagnostic.compute import compute
from actors.directory.filters import StructureFilter
from actors.models import Structure, StructureQPV
from actors.territory_pages.qpv_places import places_around
from territories.models import QPV
from territories.qpv_distance import reach_box

pytestmark = pytest.mark.django_db
LAMBERT_93 = 2154
RINGS = {"dans": 0, "300m": 300, "1km": 1000}


def tolerance(metres: float) -> float:
    """The local projection agrees with Lambert-93 within ~0.3 % in Nouvelle-Aquitaine (Lambert-93's own scale
    error included): a place that close to a threshold may fall on either side."""
    return 2 + metres * 0.005


@pytest.fixture(scope="module")
def oracle(demo_data, django_db_blocker):
    """{qpv code: {place pk: (Lambert-93 metres, contained)}} for public places in reach, by the database."""
    with django_db_blocker.unblock():
        places = list(Structure.objects.public().filter(location__isnull=False).values_list("pk", "location"))
        table = Structure._meta.db_table
        found = defaultdict(dict)
        for code, perimeter in QPV.objects.values_list("code", "perimeter"):
            west, south, east, north = reach_box(perimeter.extent, 1_500)
            near = [pk for pk, p in places if west <= p.x <= east and south <= p.y <= north]
            if not near:
                continue
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT id, ST_Distance(ST_Transform(location, {LAMBERT_93}), "
                    f"ST_Transform(ST_GeomFromText(%s, 4326), {LAMBERT_93})), "
                    f"ST_Contains(ST_GeomFromText(%s, 4326), location) "
                    f"FROM {table} WHERE id IN ({', '.join(['%s'] * len(near))})",
                    [perimeter.wkt, perimeter.wkt, *near])
                for pk, metres, contained in cursor.fetchall():
                    found[code][pk] = (metres, bool(contained))
        return found


def expected(oracle_row: dict, within_m: int) -> tuple[set[int], set[int]]:
    """(places that must be in, places that may be in) for one QPV and one distance."""
    must, may = set(), set()
    for pk, (metres, contained) in oracle_row.items():
        if within_m == 0:
            (must if contained else set()).add(pk)
            continue
        if contained or metres <= within_m - tolerance(within_m):
            must.add(pk)
        elif metres <= within_m + tolerance(within_m):
            may.add(pk)
    return must, may


def listed(query: str) -> set[int]:
    return set(StructureFilter(QueryDict(query), Structure.objects.public()).qs.values_list("pk", flat=True))


def test_stored_distances_agree_with_lambert_93_on_the_whole_demo(oracle):
    links = {(qpv, pk): metres for qpv, pk, metres in StructureQPV.objects.values_list("qpv_id", "structure_id",
                                                                                       "distance_m")}
    public = set(Structure.objects.public().values_list("pk", flat=True))
    checked = 0
    for code, row in oracle.items():
        for pk, (metres, contained) in row.items():
            stored = links.get((code, pk))
            if contained:
                assert stored == 0, (code, pk)
            elif metres <= 1000 - tolerance(1000):
                assert stored is not None and abs(stored - metres) <= tolerance(metres), (code, pk, stored, metres)
                assert stored > 0
            elif metres > 1000 + tolerance(1000):
                assert stored is None, (code, pk, stored, metres)
            checked += 1
    assert checked > 300
    # No link without a reason: every stored link of a public place is one the oracle measured.
    assert all(pk in oracle[code] for code, pk in links if pk in public)


def test_the_list_filter_gives_every_distance_as_the_database_measures_it(oracle):
    for which, within_m in RINGS.items():
        must, may = set(), set()
        for row in oracle.values():
            row_must, row_may = expected(row, within_m)
            must |= row_must
            may |= row_may
        got = listed(f"qpv={which}")
        assert must <= got <= must | may, which
        assert got, which
    assert listed("qpv=proche") == listed("qpv=300m")


def test_each_qpv_of_the_demo_lists_the_same_places_in_the_list_its_page_and_the_diagnostic(oracle):
    # The Vienne's diagnostic only: a département's diagnostic costs seconds, and all read the same links.
    diagnostic = {row["code"]: (row["inside"], row["within_300"], row["within_1000"])
                  for row in compute(area_for("departement", "86")[0])["qpv"]}
    assert len(diagnostic) == QPV.objects.filter(departement="86").count() > 5
    qpvs = list(QPV.objects.filter(code__in=oracle))
    assert len(qpvs) > 30
    for qpv in qpvs:
        by_ring = {which: listed(f"qpv={qpv.code}&qpv_distance={which}") for which in RINGS}
        for which, within_m in RINGS.items():
            must, may = expected(oracle[qpv.code], within_m)
            assert must <= by_ring[which] <= must | may, (qpv.code, which)
        page = places_around(qpv)
        assert {s.pk for s, _m in page.inside} == by_ring["dans"]
        assert {s.pk for s, _m in page.inside + page.near} == by_ring["300m"]
        assert {s.pk for s, _m in page.inside + page.near + page.within} == by_ring["1km"]
        if qpv.code in diagnostic:
            assert diagnostic[qpv.code] == tuple(len(by_ring[which]) for which in RINGS), qpv.code


def test_chips_and_title_name_the_qpv_and_its_distance(client, oracle):
    body = client.get("/?qpv=QN08605M&qpv_distance=300m").content.decode()
    assert "<title>Quartier prioritaire : Couronneries Saint-Eloi — moins de 300 m – Lieux" in body
    assert "QN08605M —" not in body
    assert 'name="qpv_distance"' in body and '<option value="1km">' in body
    body = client.get("/?qpv=1km").content.decode()
    assert "à moins de 1 km d&#x27;un QPV" in body
    assert 'value="1km" checked' in body
