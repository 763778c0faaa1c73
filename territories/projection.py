"""The pure projection of distances: each territory's official conformal projection, in metres on the ground.

Metropolitan France and Corsica use Lambert-93 (EPSG:2154: the ellipsoidal Lambert conformal conic of IGN's
note "Projection cartographique conique conforme de Lambert", GRS80, parallels 44° and 49°, origin 3°E 46.5°N,
false easting 700 000 m, false northing 6 600 000 m); the overseas départements their UTM zone (Transverse
Mercator, Krüger's series to n⁴: 971/972 UTM 20N EPSG:5490, 973 UTM 22N EPSG:2972, 974 UTM 40S EPSG:2975,
976 UTM 38S EPSG:4471; Saint-Pierre-et-Miquelon UTM 21N EPSG:4467).

A conformal projection keeps shapes but not lengths: Lambert-93 shortens them by 0.095 % at 46.5°N and
lengthens them by 0.3 % in southern Corsica. So distances are measured in projected metres divided by the
projection's scale factor where they are measured (`scale`): the result agrees with the geodesic on the
ellipsoid within 0.02 % up to 30 km. The same numbers on SpatiaLite and PostGIS, because both engines only
hand over coordinates.

No import of actors here (an import-linter contract): actors/core/geo.py is the home of distances between
places and builds on this module.
"""

import math

import numpy as np
from django.contrib.gis.geos import GEOSGeometry, MultiPolygon, Polygon

# GRS80 (RGF93, RGAF09, RGFG95, RGR92, RGM04); WGS84 differs by 0.1 mm in the semi-minor axis.
A = 6_378_137.0
F = 1 / 298.257222101
E2 = F * (2 - F)
E = math.sqrt(E2)
B = A * (1 - F)

# Bounds of the length of a degree on the ellipsoid, for boxes that only pre-select (the distance decides):
# a degree of latitude is at least 110 574 m (the meridian's radius is smallest at the equator), a degree of
# longitude at least 111 319 m × cos(latitude) (the normal radius is at least the semi-major axis).
MIN_METRES_PER_DEGREE_LAT = 110_574.0
MIN_METRES_PER_DEGREE_LON_AT_EQUATOR = 111_319.0


def degrees_around(metres: float, latitude: float) -> tuple[float, float]:
    """(degrees of longitude, degrees of latitude) that hold at least `metres` around `latitude` in every
    direction: generous bounds for a box (measured at the box's latitude furthest from the equator)."""
    dlat = metres / MIN_METRES_PER_DEGREE_LAT
    furthest = min(abs(latitude) + dlat, 89.0)
    dlon = metres / (MIN_METRES_PER_DEGREE_LON_AT_EQUATOR * max(math.cos(math.radians(furthest)), 0.01))
    return dlon, dlat


def lonlat_metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Geodesic distance in metres on the GRS80 ellipsoid (Vincenty's inverse formula, to 0.1 mm)."""
    if lon1 == lon2 and lat1 == lat2:
        return 0.0
    u1 = math.atan((1 - F) * math.tan(math.radians(lat1)))
    u2 = math.atan((1 - F) * math.tan(math.radians(lat2)))
    sin_u1, cos_u1, sin_u2, cos_u2 = math.sin(u1), math.cos(u1), math.sin(u2), math.cos(u2)
    big_l = math.radians(lon2 - lon1)
    lam = big_l
    for _ in range(200):
        sin_lam, cos_lam = math.sin(lam), math.cos(lam)
        sin_sigma = math.hypot(cos_u2 * sin_lam, cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_lam)
        if sin_sigma == 0:
            return 0.0
        cos_sigma = sin_u1 * sin_u2 + cos_u1 * cos_u2 * cos_lam
        sigma = math.atan2(sin_sigma, cos_sigma)
        sin_alpha = cos_u1 * cos_u2 * sin_lam / sin_sigma
        cos2_alpha = 1 - sin_alpha ** 2
        cos_2sm = cos_sigma - 2 * sin_u1 * sin_u2 / cos2_alpha if cos2_alpha else 0.0
        c = F / 16 * cos2_alpha * (4 + F * (4 - 3 * cos2_alpha))
        previous = lam
        lam = big_l + (1 - c) * F * sin_alpha * (
            sigma + c * sin_sigma * (cos_2sm + c * cos_sigma * (-1 + 2 * cos_2sm ** 2)))
        if abs(lam - previous) < 1e-12:
            break
    u2_ = cos2_alpha * (A ** 2 - B ** 2) / B ** 2
    big_a = 1 + u2_ / 16384 * (4096 + u2_ * (-768 + u2_ * (320 - 175 * u2_)))
    big_b = u2_ / 1024 * (256 + u2_ * (-128 + u2_ * (74 - 47 * u2_)))
    delta_sigma = big_b * sin_sigma * (cos_2sm + big_b / 4 * (
        cos_sigma * (-1 + 2 * cos_2sm ** 2)
        - big_b / 6 * cos_2sm * (-3 + 4 * sin_sigma ** 2) * (-3 + 4 * cos_2sm ** 2)))
    return B * big_a * (sigma - delta_sigma)


def _isometric_latitude(phi):
    s = np.sin(phi)
    return np.log(np.tan(np.pi / 4 + phi / 2) * ((1 - E * s) / (1 + E * s)) ** (E / 2))


def _normal_radius(phi):
    return A / np.sqrt(1 - E2 * np.sin(phi) ** 2)


class LambertConformalConic:
    """The ellipsoidal Lambert conformal conic with two standard parallels (IGN, algorithms 0054 and 0019)."""

    def __init__(self, *, code: int, parallels: tuple[float, float], origin: tuple[float, float],
                 false_easting: float, false_northing: float):
        self.code = code
        phi1, phi2 = (math.radians(p) for p in parallels)
        self.lambda0, phi0 = math.radians(origin[0]), math.radians(origin[1])
        n1, n2 = _normal_radius(phi1) * math.cos(phi1), _normal_radius(phi2) * math.cos(phi2)
        self.n = math.log(n2 / n1) / (_isometric_latitude(phi1) - _isometric_latitude(phi2))
        self.c = n1 / self.n * math.exp(self.n * _isometric_latitude(phi1))
        self.xs = false_easting
        self.ys = false_northing + self.c * math.exp(-self.n * _isometric_latitude(phi0))

    def forward(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        r = self.c * np.exp(-self.n * _isometric_latitude(np.radians(lat)))
        theta = self.n * (np.radians(lon) - self.lambda0)
        return self.xs + r * np.sin(theta), self.ys - r * np.cos(theta)


class TransverseMercator:
    """The ellipsoidal Transverse Mercator by Krüger's series to n⁴ (sub-millimetre within a UTM zone)."""

    def __init__(self, *, code: int, central_meridian: float, k0: float = 0.9996,
                 false_easting: float = 500_000.0, false_northing: float = 0.0):
        self.code = code
        self.lambda0, self.k0 = math.radians(central_meridian), k0
        self.false_easting, self.false_northing = false_easting, false_northing
        n = F / (2 - F)
        self.big_a = A / (1 + n) * (1 + n ** 2 / 4 + n ** 4 / 64)
        self.alpha = (n / 2 - 2 * n ** 2 / 3 + 5 * n ** 3 / 16 + 41 * n ** 4 / 180,
                      13 * n ** 2 / 48 - 3 * n ** 3 / 5 + 557 * n ** 4 / 1440,
                      61 * n ** 3 / 240 - 103 * n ** 4 / 140,
                      49561 * n ** 4 / 161280)

    def forward(self, lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        phi, dlambda = np.radians(lat), np.radians(lon) - self.lambda0
        s = np.sin(phi)
        t = np.sinh(np.arctanh(s) - E * np.arctanh(E * s))
        xi = np.arctan2(t, np.cos(dlambda))
        eta = np.arctanh(np.sin(dlambda) / np.sqrt(1 + t * t))
        x, y = eta.copy(), xi.copy()
        for j, alpha in enumerate(self.alpha, start=1):
            x = x + alpha * np.cos(2 * j * xi) * np.sinh(2 * j * eta)
            y = y + alpha * np.sin(2 * j * xi) * np.cosh(2 * j * eta)
        scale = self.k0 * self.big_a
        return self.false_easting + scale * x, self.false_northing + scale * y


LAMBERT_93 = LambertConformalConic(code=2154, parallels=(44.0, 49.0), origin=(3.0, 46.5),
                                   false_easting=700_000.0, false_northing=6_600_000.0)
UTM_20N = TransverseMercator(code=5490, central_meridian=-63.0)  # Guadeloupe, Martinique (RGAF09)
UTM_21N = TransverseMercator(code=4467, central_meridian=-57.0)  # Saint-Pierre-et-Miquelon (RGSPM06)
UTM_22N = TransverseMercator(code=2972, central_meridian=-51.0)  # Guyane (RGFG95)
UTM_38S = TransverseMercator(code=4471, central_meridian=45.0, false_northing=10_000_000.0)  # Mayotte (RGM04)
UTM_40S = TransverseMercator(code=2975, central_meridian=57.0, false_northing=10_000_000.0)  # La Réunion


ZONES = [LAMBERT_93, UTM_20N, UTM_21N, UTM_22N, UTM_38S, UTM_40S]
# Each zone's coordinates are moved this far apart on x (the `zone`-th band of 100 000 km), so a territory
# spanning several zones (France as a whole) can be projected in one array: two points of different zones are
# then never near, as indeed they are not.
ZONE_OFFSET_M = 1e8


def _zone_index(lon, lat):
    """Index in `ZONES` of the official projection at each point: Lambert-93 unless overseas."""
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    return np.select(
        [lon < -58.5, (lon < -55.5) & (lat > 40), lon < -48, (lon >= 40) & (lon < 50) & (lat < 0),
         (lon >= 50) & (lon < 60) & (lat < 0)],
        [1, 2, 3, 4, 5], default=0)


def official_projection(longitude: float, latitude: float):
    """The official projection of the territory around a point: Lambert-93 unless overseas."""
    return ZONES[int(_zone_index(longitude, latitude))]


class ConformalProjection:
    """A territory's official conformal projection: (lon, lat) degrees → (x, y) metres, and its scale factor.

    `longitude`, `latitude`: a point of the territory (its centre), which chooses the projection; points of
    another zone (France as a whole) are projected in their own zone, `ZONE_OFFSET_M` apart. Projected
    lengths are the ground's times `scale(lon, lat)` (the same in every direction); `metres` and callers
    dividing by `scale` at the place of measure get ground metres."""

    def __init__(self, *, longitude: float, latitude: float):
        self.official = official_projection(longitude, latitude)
        self.code = self.official.code
        self.longitude, self.latitude = longitude, latitude

    def xy(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = self.project(np.array([[lon, lat]]))[0]
        return float(x), float(y)

    def project(self, lonlat: np.ndarray, *, one_zone: bool = False) -> np.ndarray:
        """(n, 2) longitudes, latitudes → (n, 2) projected metres, each point in its own zone (or, with
        `one_zone`, all in the territory's: for drawing)."""
        lonlat = np.asarray(lonlat, dtype=float).reshape(-1, 2)
        zones = np.zeros(len(lonlat), dtype=int) + ZONES.index(self.official) if one_zone else \
            _zone_index(lonlat[:, 0], lonlat[:, 1])
        out = np.empty_like(lonlat)
        for index in np.unique(zones):
            chosen = zones == index
            x, y = ZONES[index].forward(lonlat[chosen, 0], lonlat[chosen, 1])
            out[chosen, 0] = x + (0 if one_zone else index * ZONE_OFFSET_M)
            out[chosen, 1] = y
        return out

    def scale(self, lon: float | None = None, lat: float | None = None) -> float:
        """The point scale factor at (lon, lat) (default: the territory's point): projected / ground length,
        measured along the meridian (a conformal projection's scale is the same in every direction)."""
        lon = self.longitude if lon is None else lon
        lat = self.latitude if lat is None else lat
        step = 1e-4  # degrees: about 11 m
        zone = official_projection(lon, lat)
        x1, y1 = zone.forward(np.float64(lon), np.float64(lat - step))
        x2, y2 = zone.forward(np.float64(lon), np.float64(lat + step))
        phi = math.radians(lat)
        meridian_radius = A * (1 - E2) / (1 - E2 * math.sin(phi) ** 2) ** 1.5
        return float(math.hypot(x2 - x1, y2 - y1) / (meridian_radius * math.radians(2 * step)))

    def metres(self, a: tuple[float, float], b: tuple[float, float]) -> float:
        """Ground distance between two (lon, lat) points: projected distance over the scale at the middle."""
        (xa, ya), (xb, yb) = self.xy(*a), self.xy(*b)
        return math.hypot(xb - xa, yb - ya) / self.scale((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)

    def geometry(self, geometry: GEOSGeometry) -> GEOSGeometry:
        """A polygon or multipolygon in projected metres (for GEOS distances)."""
        def polygon(rings):
            return Polygon(*[self.project(np.array(ring)).tolist() for ring in rings])

        if geometry.geom_type == "Polygon":
            return polygon(geometry.coords)
        return MultiPolygon(*[polygon(rings) for rings in geometry.coords])
