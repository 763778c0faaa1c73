"""The one home of distances (actors/core/geo.py, territories/projection.py) against independent geodesics.

The projection is checked against Vincenty's inverse formula written here again, independently (Bowring's
reduced latitudes, its own series), on real commune centres of metropolitan and overseas départements; the
geodesic itself against the database's ellipsoidal distance when SpatiaLite has it.
"""

import csv
import gzip
import math
from pathlib import Path

import numpy as np
import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from actors.core import honest_facts, validators
from actors.core.geo import FAR_POINT_M, ConformalProjection, metres_between
from actors.diagnostic.areas import area_for
from actors.diagnostic.compute import compute
from actors.directory import conditions
from actors.models import Structure
from territories.models import Commune, Departement
from territories.projection import LAMBERT_93
from tests.fixtures.directory import place

COMMUNES = Path(__file__).resolve().parents[2] / "territories" / "data" / "communes.csv.gz"
DEPARTEMENTS = ["2A", "2B", "06", "29", "59", "64", "67", "87", "971", "972", "973", "974", "976"]


def vincenty(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Geodesic metres on GRS80 by Vincenty's inverse formula (1975), written for this test alone."""
    a, f = 6_378_137.0, 1 / 298.257222101
    b = a * (1 - f)
    lam0 = math.radians(lon2 - lon1)
    u1, u2 = math.atan((1 - f) * math.tan(math.radians(lat1))), math.atan((1 - f) * math.tan(math.radians(lat2)))
    lam = lam0
    for _ in range(100):
        sigma_sin = math.sqrt((math.cos(u2) * math.sin(lam)) ** 2
                              + (math.cos(u1) * math.sin(u2) - math.sin(u1) * math.cos(u2) * math.cos(lam)) ** 2)
        sigma_cos = math.sin(u1) * math.sin(u2) + math.cos(u1) * math.cos(u2) * math.cos(lam)
        sigma = math.atan2(sigma_sin, sigma_cos)
        alpha_sin = math.cos(u1) * math.cos(u2) * math.sin(lam) / sigma_sin
        alpha_cos2 = 1 - alpha_sin ** 2
        m2 = sigma_cos - 2 * math.sin(u1) * math.sin(u2) / alpha_cos2
        c = f / 16 * alpha_cos2 * (4 + f * (4 - 3 * alpha_cos2))
        before = lam
        lam = lam0 + (1 - c) * f * alpha_sin * (sigma + c * sigma_sin * (m2 + c * sigma_cos * (2 * m2 ** 2 - 1)))
        if abs(lam - before) < 1e-13:
            break
    usq = alpha_cos2 * (a * a - b * b) / (b * b)
    big_a = 1 + usq / 16384 * (4096 + usq * (usq * (320 - 175 * usq) - 768))
    big_b = usq / 1024 * (256 + usq * (usq * (74 - 47 * usq) - 128))
    dsigma = big_b * sigma_sin * (m2 + big_b / 4 * (sigma_cos * (2 * m2 ** 2 - 1)
                                                    - big_b / 6 * m2 * (4 * sigma_sin ** 2 - 3) * (4 * m2 ** 2 - 3)))
    return b * big_a * (sigma - dsigma)


def centres() -> dict[str, list[tuple[str, float, float]]]:
    found: dict[str, list[tuple[str, float, float]]] = {d: [] for d in DEPARTEMENTS}
    with gzip.open(COMMUNES, "rt", encoding="utf-8") as lines:
        for row in csv.DictReader(lines):
            if row["departement"] in found and row["kind"] == "COM" and row["lat"]:
                found[row["departement"]].append((row["code"], float(row["lon"]), float(row["lat"])))
    return found


def test_the_projection_agrees_with_the_geodesic_within_a_thousandth_up_to_30_km():
    """Every pair of commune centres within 30 km in the départements sampled (both Corsicas, the borders
    north, west, east and south, the overseas départements), measured as the diagnostic does: on the
    projection of the territory's centre, divided by the scale factor at one end."""
    worst, pairs = 0.0, 0
    for departement, communes in centres().items():
        assert communes, departement
        rng = np.random.default_rng(7)
        sample = [communes[i] for i in rng.choice(len(communes), size=min(120, len(communes)), replace=False)]
        lonlat = np.array([(lon, lat) for _code, lon, lat in sample])
        projection = ConformalProjection(longitude=float(lonlat[:, 0].mean()), latitude=float(lonlat[:, 1].mean()))
        xy = projection.project(lonlat)
        for i, (_code, lon, lat) in enumerate(sample):
            scale = projection.scale(lon, lat)
            for j in range(i + 1, len(sample)):
                planar = float(np.hypot(*(xy[j] - xy[i])))
                if planar > 30_000 or planar < 200:
                    continue
                geodesic = vincenty(lon, lat, sample[j][1], sample[j][2])
                worst = max(worst, abs(planar / scale / geodesic - 1))
                assert metres_between(Point(lon, lat), Point(*sample[j][1:])) == pytest.approx(geodesic, abs=1e-3)
                pairs += 1
    assert pairs > 2000
    assert worst < 0.001
    assert worst < 0.0003  # in fact: the scale factor moves by 0.03 % at most over 30 km


def test_lambert_93_is_the_official_projection_and_its_raw_lengths_are_not_the_grounds():
    """IGN's constants (n = 0.7256077650, C = 11 754 255.426 m); the raw Lambert-93 lengths are 0.3 % long in
    southern Corsica, which is why every measure divides by the scale factor."""
    assert LAMBERT_93.n == pytest.approx(0.7256077650, abs=1e-10)
    assert LAMBERT_93.c == pytest.approx(11_754_255.426, abs=1e-3)
    assert LAMBERT_93.ys == pytest.approx(12_655_612.050, abs=1e-3)
    x, y = LAMBERT_93.forward(np.float64(3.0), np.float64(46.5))
    assert (float(x), float(y)) == pytest.approx((700_000.0, 6_600_000.0), abs=1e-6)
    ajaccio = ConformalProjection(longitude=8.7011, latitude=41.93468)
    assert ajaccio.code == 2154 and ajaccio.scale() == pytest.approx(1.00216, abs=1e-4)
    overseas = {(-61.72841, 16.00018): 5490, (-61.06888, 14.64046): 5490, (-52.31545, 4.93133): 2972,
                (55.44687, -20.933): 2975, (45.19484, -12.79022): 4471}
    for (lon, lat), code in overseas.items():
        assert ConformalProjection(longitude=lon, latitude=lat).code == code


def test_the_geodesic_agrees_with_the_databases_ellipsoid(db):
    if connection.vendor != "sqlite":
        pytest.skip("SpatiaLite's ST_Distance(a, b, 1)")
    pairs = [((1.45647, 46.12498), (1.5, 46.15)), ((8.7011, 41.93468), (9.0, 42.1)),
             ((55.44687, -20.933), (55.6, -21.1))]
    with connection.cursor() as cursor:
        for a, b in pairs:
            try:
                cursor.execute("SELECT ST_Distance(MakePoint(%s, %s, 4326), MakePoint(%s, %s, 4326), 1)", [*a, *b])
            except Exception:  # noqa: BLE001  (a SpatiaLite built without geodesic support)
                pytest.skip("no ellipsoidal distance in this SpatiaLite")
            (expected,) = cursor.fetchone()
            if expected is None:
                pytest.skip("no ellipsoidal distance in this SpatiaLite")
            assert metres_between(Point(*a), Point(*b)) == pytest.approx(expected, abs=0.01)


FOLLES = (1.45647, 46.12498)


def point_at(metres: float, origin: tuple[float, float] = FOLLES, bearing: tuple[float, float] = (0.8, 0.6)):
    """The point `metres` away from `origin` (geodesically) along a direction in degrees, by bisection."""
    low, high = 0.0, 1.0
    for _ in range(80):
        middle = (low + high) / 2
        candidate = (origin[0] + middle * bearing[0], origin[1] + middle * bearing[1])
        if vincenty(*origin, *candidate) < metres:
            low = middle
        else:
            high = middle
    return Point(origin[0] + low * bearing[0], origin[1] + low * bearing[1], srid=4326)


@pytest.fixture
def folles(vienne, terms):
    departement = Departement.objects.create(code="87", name="Haute-Vienne", name_folded="haute vienne",
                                             region=vienne["departement"].region, zone="metro")
    # The place stands in a neighbouring commune (else Folles would be at distance 0, holding it).
    Commune.objects.create(code="87014", name="Bessines-sur-Gartempe", name_folded="bessines sur gartempe",
                           departement=departement, postal_codes="87250", population=2_800,
                           centre=Point(1.3694, 46.1075, srid=4326))
    return Commune.objects.create(code="87067", name="Folles", name_folded="folles", departement=departement,
                                  postal_codes="87250", population=439, centre=Point(*FOLLES, srid=4326))


@pytest.mark.parametrize("bearing", [(1.0, 0.0), (0.0, 1.0), (0.8, 0.6), (-0.6, -0.8)])
def test_a_place_4982_m_away_is_within_5_km_by_every_path(folles, bearing):
    where = point_at(4_982, bearing=bearing)
    assert vincenty(*FOLLES, where.x, where.y) == pytest.approx(4_982, abs=0.01)
    assert metres_between(folles.centre, where) == pytest.approx(4_982, abs=0.01)
    place("folles-near", "Médiathèque voisine", {"services": ["aide-aux-demarches-administratives"]},
          code_postal="87250", commune_nom="Bessines-sur-Gartempe", code_insee="87014", location=where)

    data = compute(area_for("departement", "87")[0], service_km=5)
    row = next(c for c in data["communes"] if c["code"] == "87067")
    assert row["nearest_km"] == pytest.approx(4.982, abs=0.002)
    demarches = next(s for s in data["services"] if s["code"] == "aide-aux-demarches-administratives")
    assert "87067" not in [c["code"] for c in demarches["communes_without"]]

    # The « près de » list (the database's own distance on the sphere: 0.3 % apart at most, well within).
    assert Structure.objects.filter(conditions.near(folles.centre, 5), source_id="folles-near").exists()
    assert not Structure.objects.filter(conditions.near(folles.centre, 4.9), source_id="folles-near").exists()

    # The far-point rule at its own threshold, on the same geodesic.
    assert not honest_facts.is_far(where, folles)
    validators.validate_point(where, folles)
    assert not honest_facts.is_far(point_at(FAR_POINT_M - 20, bearing=bearing), folles)
    assert honest_facts.is_far(point_at(FAR_POINT_M + 20, bearing=bearing), folles)


def test_each_zone_matches_gdal_and_zones_never_mingle():
    """The hand-written Lambert-93 and Krüger series against GDAL's (PROJ) to the micrometre; France as a whole
    projects each point in its own zone, far apart."""
    from django.contrib.gis.gdal import CoordTransform, OGRGeometry, SpatialReference

    france = ConformalProjection(longitude=2.5, latitude=46.5)
    for lon, lat in [(2.35, 48.85), (9.0, 41.4), (-4.5, 48.4), (-61.5, 16.2), (-61.0, 14.6), (-52.3, 4.9),
                     (55.5, -21.1), (45.15, -12.8), (-56.2, 46.8)]:
        own = ConformalProjection(longitude=lon, latitude=lat)
        point = OGRGeometry(f"POINT({lon} {lat})", srs=4326)
        point.transform(CoordTransform(SpatialReference(4326), SpatialReference(own.code)))
        expected = (point.x, point.y)
        assert tuple(own.project(np.array([[lon, lat]]), one_zone=True)[0]) == pytest.approx(expected, abs=1e-4)
        x, y = france.xy(lon, lat)
        assert (x % 1e8, y) == pytest.approx(expected, abs=1e-4)
    assert france.xy(55.5, -21.1)[0] - france.xy(2.35, 48.85)[0] > 1e8
