"""The territory's own diagnostic: distances from communes and QPV to places, services, publics, units.

Distances are measured from each commune's centre (or each QPV's perimeter) to the nearest public place,
wherever that place is: a médiathèque across the border serves the commune too. A commune where a place
stands, or that an itinerant place serves, is at distance 0.
"""

import datetime as dt
from collections import defaultdict

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from actors import queries
from actors.enums import TermKind
from actors.mapdata import X, Y
from actors.models import Structure, StructureQPV, Term
from territories.diagnostic.areas import Area
from territories.diagnostic.geo import LocalProjection, PointIndex
from territories.diagnostic.summary import communes_with_a_place, summary
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
    dlat = margin_km / 110.574
    dlon = margin_km / 70.0  # generous: 1° of longitude is over 70 km anywhere in mainland France
    return min(xs) - dlon, min(ys) - dlat, max(xs) + dlon, max(ys) + dlat


def _neighbour_places(bbox: tuple | None) -> tuple[list[tuple[int, float, float]], dict[int, set[str]]]:
    """Every public place with a position in the box, and the services each offers."""
    if bbox is None:
        return [], {}
    from django.contrib.gis.geos import Polygon

    box = Polygon.from_bbox(bbox)
    box.srid = 4326
    rows = list(Structure.objects.public().filter(location__isnull=False, location__intersects=box)
                .annotate(x=X("location"), y=Y("location")).values_list("pk", "x", "y"))
    services: dict[int, set[str]] = defaultdict(set)
    links = (Structure.terms.through.objects.filter(structure_id__in=[pk for pk, _x, _y in rows],
                                                    term__kind=TermKind.SERVICES)
             .values_list("structure_id", "term__code"))
    for structure_id, code in links.iterator(chunk_size=5000):
        services[structure_id].add(code)
    return rows, services


def _place_commune_codes(area: Area) -> dict[str, set[str]]:
    """For each commune of `area` holding (or served by) a place: the services offered there."""
    here: dict[str, set[str]] = {code: set() for code in communes_with_a_place(area).values_list("code", flat=True)}
    owner: dict[int, list[str]] = defaultdict(list)
    for pk, commune_id, parent_id in area.places().values_list("pk", "commune_id", "commune__parent_id"):
        owner[pk].append(parent_id or commune_id)
    served = Structure.service_area.through.objects.filter(commune_id__in=list(here)).filter(
        Exists(Structure.objects.public().filter(pk=OuterRef("structure_id"))))
    for pk, commune_id in served.values_list("structure_id", "commune_id"):
        owner[pk].append(commune_id)
    links = Structure.terms.through.objects.filter(structure_id__in=list(owner), term__kind=TermKind.SERVICES)
    for pk, code in links.values_list("structure_id", "term__code").iterator(chunk_size=5000):
        for commune in owner[pk]:
            if commune in here:
                here[commune].add(code)
    return here


def compute(area: Area, *, service_km: int = DEFAULT_SERVICE_KM, now: dt.datetime | None = None) -> dict:
    now = now or timezone.now()
    communes = list(area.communes().annotate(x=X("centre"), y=Y("centre"))
                    .values("code", "name", "population", "x", "y", "epci_id", "epci__name"))
    qpvs = list(area.qpvs().only("code", "name", "population", "perimeter").order_by("name"))
    centres = [(c["x"], c["y"]) for c in communes if c["x"] is not None]
    extents = [q.perimeter.extent for q in qpvs]
    bbox = _bbox(centres, extents, margin_km=max(COVERAGE_KM[-1], SERVICE_DISTANCES_KM[-1]))
    rows, services_of = _neighbour_places(bbox)
    latitude = (bbox[1] + bbox[3]) / 2 if bbox else 46.5
    projection = LocalProjection(latitude=latitude)
    everywhere = PointIndex(projection.xy(x, y) for _pk, x, y in rows)
    by_service = {
        code: PointIndex(projection.xy(x, y) for pk, x, y in rows if code in services_of.get(pk, ()))
        for code in Term.objects.filter(kind=TermKind.SERVICES).values_list("code", flat=True)
    }
    service_terms = list(Term.objects.filter(kind=TermKind.SERVICES).order_by("position"))
    at_home = _place_commune_codes(area)
    service_m = service_km * 1000

    commune_rows = []
    for commune in communes:
        located = commune["x"] is not None
        xy = projection.xy(commune["x"], commune["y"]) if located else None
        if commune["code"] in at_home:
            nearest = 0.0
        else:
            nearest = everywhere.nearest(*xy, within_m=REACH_M) if located else None
        offered = set(at_home.get(commune["code"], ()))
        if located:
            offered |= {code for code, index in by_service.items()
                        if index.nearest(*xy, within_m=service_m) is not None}
        commune_rows.append({**commune, "nearest_m": nearest, "services_near": offered})

    population = sum(c["population"] or 0 for c in communes)
    coverage = []
    for km in COVERAGE_KM:
        people = sum(c["population"] or 0 for c in commune_rows if c["nearest_m"] is not None
                     and c["nearest_m"] <= km * 1000)
        coverage.append({"km": km, "population": people, "share": people / population if population else None})

    qpv_rows = []
    rings = _qpv_rings([qpv.code for qpv in qpvs])
    for qpv in qpvs:
        shape = projection.geometry(qpv.perimeter)
        missing = [term for term in service_terms
                   if not by_service[term.code].any_near_shape(shape, within_m=service_m)]
        qpv_rows.append({
            "code": qpv.code, "name": qpv.name, "population": qpv.population,
            **rings.get(qpv.code, {"inside": 0, "within_300": 0, "within_1000": 0}),
            "missing_services": [term.code for term in missing],
        })

    services = []
    for term in service_terms:
        lacking = [c for c in commune_rows if term.code not in c["services_near"]]
        services.append({
            "code": term.code,
            "communes_without": [{"code": c["code"], "name": c["name"], "population": c["population"]}
                                 for c in sorted(lacking, key=lambda c: -(c["population"] or 0))],
            "population_without": sum(c["population"] or 0 for c in lacking),
            "qpv_without": [q["code"] for q in qpv_rows if term.code in q["missing_services"]],
        })

    places = area.places()
    support = (places.filter(terms__kind__in=[TermKind.PUBLICS, TermKind.PRISE_EN_CHARGE])
               .values("terms__kind", "terms__code").annotate(n=Count("pk", distinct=True)))
    support_counts = {(row["terms__kind"], row["terms__code"]): row["n"] for row in support}
    publics = [
        {"kind": term.kind, "code": term.code, "places": support_counts.get((term.kind, term.code), 0)}
        for term in Term.objects.filter(kind__in=[TermKind.PUBLICS, TermKind.PRISE_EN_CHARGE])
        .order_by("kind", "position")
    ]
    return {
        "summary": summary(area, now=now),
        "service_km": service_km,
        "communes": [_public_commune(c) for c in commune_rows],
        "units": _units(area, commune_rows, places),
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


def _public_commune(row: dict) -> dict:
    return {"code": row["code"], "name": row["name"], "population": row["population"],
            "x": row["x"], "y": row["y"], "epci": row["epci_id"],
            "nearest_km": None if row["nearest_m"] is None else round(row["nearest_m"] / 1000, 1),
            "services_near": len(row["services_near"])}


def _units(area: Area, commune_rows: list[dict], places) -> list[dict]:
    """Rows of the map and its table: communes, or EPCI (their part inside) for a département or larger."""
    by_epci = area.kind in ("departement", "region", "france")
    counts = defaultdict(int)
    key = "commune__epci_id" if by_epci else "commune_id"
    for row in places.values(key, "commune__parent_id").annotate(n=Count("pk")):
        counts[row["commune__parent_id"] if not by_epci and row["commune__parent_id"] else row[key]] += row["n"]
    evening = defaultdict(int)
    for row in (places.filter(queries.opens_in_typical_week(evening=True)).values(key, "commune__parent_id")
                .annotate(n=Count("pk"))):
        evening[row["commune__parent_id"] if not by_epci and row["commune__parent_id"] else row[key]] += row["n"]
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
        units.append({
            "code": unit, "name": names[unit], "population": population, "communes": len(rows),
            "places": counts.get(unit, 0),
            "places_per_10k": counts.get(unit, 0) * 10_000 / population if population else None,
            "evening": evening.get(unit, 0),
            # Beyond 15 km counts as 15 km in the mean: the table then says "> 15 km" for the commune.
            "nearest_km": round(
                (sum(d * w for d, w in distances) + sum(REACH_M * (r["population"] or 1) for r in far))
                / weight / 1000, 1) if located else None,
            "services_near": round(sum(len(r["services_near"]) * (r["population"] or 1) for r in located) / weight, 1)
            if located else None,
            "x": sum(r["x"] * (r["population"] or 1) for r in located) / weight if located else None,
            "y": sum(r["y"] * (r["population"] or 1) for r in located) / weight if located else None,
        })
    return sorted(units, key=lambda u: (-u["population"], u["name"]))
