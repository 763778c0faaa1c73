"""The territory's own diagnostic: distances from communes and QPV to places, services, publics, units.

Distances are measured from each commune's centre (or each QPV's perimeter) to the nearest public place,
wherever that place is: a médiathèque across the border serves the commune too. A commune where a place
stands, or that an itinerant place serves, is at distance 0.

Cost, whatever the size of the territory: about a dozen queries (communes, QPV, places of the surrounding box
with their services, the services offered in each commune, one statement for the counts per unit, publics),
then array arithmetic (actors/diagnostic/nearby.py).
"""

import datetime as dt
from collections import defaultdict

import numpy as np
from django.db.models import Count, Exists, OuterRef, Q, Value
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone

from actors.core import spatial_index
from actors.diagnostic.areas import Area
from actors.diagnostic.nearby import Places, Shape, rings
from actors.diagnostic.summary import _add, communes_with_a_place, place_tallies, summary
from actors.map.data import X, Y
from actors.models import Structure, StructureQPV, Term
from actors.vocabulary.enums import TermKind
from territories.projection import ConformalProjection, degrees_around
from territories.qpv_distance import NEAR_M, WITHIN_M

COVERAGE_KM = (5, 10, 15)
SERVICE_DISTANCES_KM = (1, 2, 5, 10, 15)
DEFAULT_SERVICE_KM = 5
REACH_M = max(COVERAGE_KM) * 1000


def _bbox(points: list[tuple[float, float]], qpv_extents: list[tuple], margin_km: float) -> tuple | None:
    xs = [p[0] for p in points] + [e[0] for e in qpv_extents] + [e[2] for e in qpv_extents]
    ys = [p[1] for p in points] + [e[1] for e in qpv_extents] + [e[3] for e in qpv_extents]
    if not xs:
        return None
    dlon, dlat = degrees_around(margin_km * 1000, max(abs(min(ys)), abs(max(ys))))
    return min(xs) - dlon, min(ys) - dlat, max(xs) + dlon, max(ys) + dlat


def _neighbour_places(bbox: tuple | None, bits: dict[int, int], projection: ConformalProjection) -> Places:
    """Every public place with a position in the box, projected, with the mask of the services it offers."""
    if bbox is None:
        return Places(np.zeros((0, 2)), np.zeros(0, dtype=np.int64))
    # The spatial index finds the box's places; the exact test then runs on those only.
    inside = (Structure.objects.public().filter(spatial_index.in_box(*bbox))
              .filter(location__intersects=spatial_index.box(*bbox)))
    rows = list(inside.order_by().annotate(x=X("location"), y=Y("location")).values_list("pk", "x", "y"))
    masks = defaultdict(int)
    links = (Structure.terms.through.objects.filter(structure__in=inside.order_by().values("pk"),
                                                    term_id__in=list(bits))
             .values_list("structure_id", "term_id"))
    for structure_id, term_id in links:
        masks[structure_id] |= bits[term_id]
    xy = projection.project(np.array([(x, y) for _pk, x, y in rows], dtype=float).reshape(-1, 2))
    return Places(xy, np.fromiter((masks.get(pk, 0) for pk, _x, _y in rows), dtype=np.int64, count=len(rows)))


def _offered_at_home(area: Area, bits: dict[int, int]) -> dict[str, int]:
    """For each commune of `area` holding (or served by) a place: the mask of the services offered there."""
    here = dict.fromkeys(communes_with_a_place(area).values_list("code", flat=True), 0)
    standing = (Structure.terms.through.objects
                .filter(structure__in=area.places().order_by().values("pk"), term_id__in=list(bits))
                .values_list(Coalesce("structure__commune__parent_id", "structure__commune_id"), "term_id")
                .distinct())
    # Itinerant places: their services in the communes they serve (a few hundred links in all of France).
    served = (Structure.terms.through.objects
              .filter(structure__service_area__in=area.communes().values("code"), term_id__in=list(bits))
              .filter(Exists(Structure.objects.public().filter(pk=OuterRef("structure_id"))))
              .values_list("structure__service_area", "term_id").distinct())
    for commune, term_id in [*standing, *served]:
        if commune in here:
            here[commune] |= bits[term_id]
    return here


def compute(area: Area, *, service_km: int = DEFAULT_SERVICE_KM, now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    communes = list(area.communes().annotate(x=X("centre"), y=Y("centre"))
                    .values("code", "name", "population", "x", "y", "epci_id", "epci__name"))
    qpvs = [(code, name, population, rings(perimeter)) for code, name, population, perimeter in
            area.qpvs().order_by("name").values_list("code", "name", "population", "perimeter")]
    centres = [(c["x"], c["y"]) for c in communes if c["x"] is not None]
    extents = [(*np.concatenate(r).min(axis=0), *np.concatenate(r).max(axis=0)) for *_rest, r in qpvs]
    bbox = _bbox(centres, extents, margin_km=max(COVERAGE_KM[-1], SERVICE_DISTANCES_KM[-1]))
    projection = ConformalProjection(longitude=(bbox[0] + bbox[2]) / 2 if bbox else 3.0,
                                     latitude=(bbox[1] + bbox[3]) / 2 if bbox else 46.5)
    service_terms = list(Term.objects.filter(kind=TermKind.SERVICES).order_by("position"))
    bits = {term.pk: 1 << index for index, term in enumerate(service_terms)}
    places = _neighbour_places(bbox, bits, projection)
    at_home = _offered_at_home(area, bits)
    service_m = service_km * 1000

    commune_rows = []
    for commune in communes:
        nearest, offered = None, 0
        if commune["x"] is not None:
            nearest, offered = places.from_point(*projection.xy(commune["x"], commune["y"]),
                                                 within_m=REACH_M, service_m=service_m,
                                                 scale=projection.scale(commune["x"], commune["y"]))
        if commune["code"] in at_home:
            nearest = 0.0
            offered |= at_home[commune["code"]]
        commune_rows.append({**commune, "nearest_m": nearest, "services_near": offered})

    population = sum(c["population"] or 0 for c in communes)
    coverage = []
    for km in COVERAGE_KM:
        people = sum(c["population"] or 0 for c in commune_rows if c["nearest_m"] is not None
                     and c["nearest_m"] <= km * 1000)
        coverage.append({"km": km, "population": people, "share": people / population if population else None})

    qpv_rows = []
    stored_rings = _qpv_rings([code for code, *_rest in qpvs])
    for code, name, qpv_population, lonlat in qpvs:
        shape = Shape(lonlat, projection)
        near = places.services_near_shape(shape, within_m=service_m, bits=list(bits.values()))
        qpv_rows.append({
            "code": code, "name": name, "population": qpv_population,
            **stored_rings.get(code, {"inside": 0, "within_300": 0, "within_1000": 0}),
            "missing_services": [term.code for term in service_terms if not near & bits[term.pk]],
        })

    services = []
    for term in service_terms:
        lacking = [c for c in commune_rows if not c["services_near"] & bits[term.pk]]
        services.append({
            "code": term.code,
            "communes_without": [{"code": c["code"], "name": c["name"], "population": c["population"]}
                                 for c in sorted(lacking, key=lambda c: -(c["population"] or 0))],
            "population_without": sum(c["population"] or 0 for c in lacking),
            "qpv_without": [q["code"] for q in qpv_rows if term.code in q["missing_services"]],
        })
    for row in commune_rows:
        row["services_near"] = bin(row["services_near"]).count("1")

    by_unit = place_tallies(area, now=now, group=_unit_key(area))
    support = (area.places().filter(terms__kind__in=[TermKind.PUBLICS, TermKind.PRISE_EN_CHARGE])
               .values("terms__kind", "terms__code").annotate(n=Count("pk", distinct=True)))
    support_counts = {(row["terms__kind"], row["terms__code"]): row["n"] for row in support}
    publics = [
        {"kind": term.kind, "code": term.code, "places": support_counts.get((term.kind, term.code), 0)}
        for term in Term.objects.filter(kind__in=[TermKind.PUBLICS, TermKind.PRISE_EN_CHARGE])
        .order_by("kind", "position")
    ]
    return {
        "summary": summary(area, now=now, places=_add(by_unit.values())),
        "service_km": service_km,
        "communes": [_public_commune(c) for c in commune_rows],
        "units": _units(area, commune_rows, by_unit),
        "coverage": coverage,
        "qpv": qpv_rows,
        "qpv_without_place_1km": [q for q in qpv_rows if q["within_1000"] == 0],
        "services": services,
        "publics": publics,
        "computed_at": now.isoformat(),
    }


def _qpv_rings(codes: list[str]) -> dict[str, dict[str, int]]:
    """Public places inside, within 300 m and within 1 km of each QPV: the links territories.qpv_distance
    measured, as the QPV pages and the list's QPV filter read them. One grouped query."""
    rows = (StructureQPV.objects.filter(qpv_id__in=codes, structure__in=Structure.objects.public())
            .values("qpv_id").order_by()
            .annotate(inside=Count("pk", filter=Q(distance_m=0)),
                      within_300=Count("pk", filter=Q(distance_m__lte=NEAR_M)),
                      within_1000=Count("pk", filter=Q(distance_m__lte=WITHIN_M))))
    return {row.pop("qpv_id"): row for row in rows}


def _by_epci(area: Area) -> bool:
    return area.kind in ("departement", "region", "france")


def _unit_key(area: Area):
    """The unit of the map a place counts for: its EPCI (a département or larger), else its commune (an
    arrondissement's place counts for its city); a commune without EPCI stands alone."""
    if _by_epci(area):
        return Coalesce("commune__epci_id", Concat(Value("sans-epci-"), "commune_id"))
    return Coalesce("commune__parent_id", "commune_id")


def _public_commune(row: dict) -> dict:
    return {"code": row["code"], "name": row["name"], "population": row["population"],
            "x": row["x"], "y": row["y"], "epci": row["epci_id"],
            "nearest_km": None if row["nearest_m"] is None else row["nearest_m"] / 1000,
            "services_near": row["services_near"]}


def _units(area: Area, commune_rows: list[dict], by_unit: dict[str, dict]) -> list[dict]:
    """Rows of the map and its table: communes, or EPCI (their part inside) for a département or larger."""
    by_epci = _by_epci(area)
    groups: dict[str, list[dict]] = defaultdict(list)
    names = {}
    for row in commune_rows:
        unit = (row["epci_id"] or f"sans-epci-{row['code']}") if by_epci else row["code"]
        groups[unit].append(row)
        names[unit] = (row["epci__name"] or row["name"]) if by_epci else row["name"]
    units = []
    for unit, rows in groups.items():
        population = sum(r["population"] or 0 for r in rows)
        located = [r for r in rows if r["x"] is not None]
        weight = sum((r["population"] or 1) for r in located) or 1
        distances = [(r["nearest_m"], r["population"] or 1) for r in located if r["nearest_m"] is not None]
        far = [r for r in located if r["nearest_m"] is None]
        counts = by_unit.get(unit, {})
        units.append({
            "code": unit, "name": names[unit], "population": population, "communes": len(rows),
            "places": counts.get("places", 0),
            "places_per_10k": counts.get("places", 0) * 10_000 / population if population else None,
            "evening": counts.get("evening", 0),
            # Beyond 15 km counts as 15 km in the mean: the table then says "> 15 km" for the commune.
            # Unrounded, as every figure here: the pages round half up when they show it (actors.core.numbers),
            # the CSV keeps it whole.
            "nearest_km": (sum(d * w for d, w in distances) + sum(REACH_M * (r["population"] or 1) for r in far))
            / weight / 1000 if located else None,
            "services_near": sum(r["services_near"] * (r["population"] or 1) for r in located) / weight
            if located else None,
            "x": sum(r["x"] * (r["population"] or 1) for r in located) / weight if located else None,
            "y": sum(r["y"] * (r["population"] or 1) for r in located) / weight if located else None,
        })
    return sorted(units, key=lambda u: (-u["population"], u["name"]))
