"""Likely duplicates across sources, recorded as `DuplicateCandidate` pairs for a coordinator: never merged.

Two structures of different sources are a likely pair when they share a real SIRET in the same commune, a
phone number or an e-mail address in the same commune, or stand less than 150 m apart with similar names.
Each rule adds to a score (0-100) and names itself in `reasons`.

Cost: only structures in the communes of the imported ones, or within the bounding box of their points
(plus a margin), are read; they are bucketed by commune and by a ~200 m grid, so that each structure is
compared with its neighbours only, never with the whole table.
"""

import functools
import math
import re
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.gis.geos import Polygon
from django.db.models import Q

from actors.models import DuplicateCandidate, Structure
from actors.vocabulary.enums import DuplicateStatus, is_real_pivot
from territories.projection import lonlat_metres
from territories.text import STOP_WORDS, fold

CLOSE_METRES = 150
CELL_DEGREES = 0.002  # about 220 m of latitude: neighbours within 150 m are in the 3x3 surrounding cells
FIELDS = ["pk", "source", "nom", "pivot", "telephone", "courriels", "location", "commune_id"]


@dataclass
class DuplicatePair:
    """A likely duplicate found by an import, as its report lists it."""

    first_id: int
    second_id: int
    first_name: str
    second_name: str
    score: int
    reasons: str



@functools.lru_cache(maxsize=100_000)  # an import compares each name with many neighbours
def name_tokens(name: str) -> frozenset[str]:
    return frozenset(token for token in re.split(r"[^a-z0-9]+", fold(name)) if token and token not in STOP_WORDS)


def name_similarity(first: str, second: str) -> float:
    """Share of the shorter name's words found in the other (0..1), on folded words without stopwords."""
    a, b = name_tokens(first), name_tokens(second)
    if not a or not b:
        return 0.0
    return len(a & b) / min(len(a), len(b))


def metres(first, second) -> float:
    """Geodesic metres between two points (as actors.core.geo.metres_between: a layer below, same formula)."""
    return lonlat_metres(first.x, first.y, second.x, second.y)


def emails(structure) -> set[str]:
    return {value.strip().lower() for value in structure.courriels.split("|") if value.strip()}


def score_pair(first, second) -> tuple[int, list[str]]:
    """(score, reasons) for two structures; score 0 when nothing suggests they are the same place."""
    score, reasons = 0, []
    same_commune = first.commune_id is not None and first.commune_id == second.commune_id
    if same_commune and is_real_pivot(first.pivot) and first.pivot == second.pivot:
        score += 40
        reasons.append("même SIRET")
    if same_commune and first.telephone and first.telephone == second.telephone:
        score += 25
        reasons.append("même téléphone")
    if same_commune and emails(first) & emails(second):
        score += 25
        reasons.append("même courriel")
    similarity = name_similarity(first.nom, second.nom)
    if first.location is not None and second.location is not None:
        distance = metres(first.location, second.location)
        if distance < CLOSE_METRES and similarity >= 0.5:
            score += 20 + round(20 * similarity)
            reasons.append(f"à {round(distance)} m, noms proches")
    if reasons and similarity >= 0.5 and not any(r.startswith("à ") for r in reasons):
        score += round(10 * similarity)
        reasons.append("noms proches")
    return min(score, 100), reasons


def _cell(point) -> tuple[int, int]:
    return math.floor(point.x / CELL_DEGREES), math.floor(point.y / CELL_DEGREES)


def _neighbourhood(pks: list[int]) -> list[Structure]:
    imported = Structure.objects.filter(pk__in=pks).only(*FIELDS[1:])
    communes = {s.commune_id for s in imported if s.commune_id}
    points = [s.location for s in imported if s.location is not None]
    query = Q(commune_id__in=communes)
    if points:
        margin = CELL_DEGREES * 2
        box = Polygon.from_bbox((min(p.x for p in points) - margin, min(p.y for p in points) - margin,
                                 max(p.x for p in points) + margin, max(p.y for p in points) + margin))
        box.srid = 4326
        query |= Q(location__intersects=box)
    return list(Structure.objects.filter(query).only(*FIELDS[1:]))


def find_duplicates(pks: list[int]) -> list[tuple[Structure, Structure, int, str]]:
    """Likely pairs (first.pk < second.pk) involving at least one of the structures `pks`."""
    if not pks:
        return []
    wanted = set(pks)
    structures = _neighbourhood(pks)
    by_commune, by_cell = defaultdict(list), defaultdict(list)
    for structure in structures:
        if structure.commune_id:
            by_commune[structure.commune_id].append(structure)
        if structure.location is not None:
            by_cell[_cell(structure.location)].append(structure)
    pairs, seen = [], set()
    for structure in structures:
        if structure.pk not in wanted:
            continue
        neighbours = list(by_commune.get(structure.commune_id, [])) if structure.commune_id else []
        if structure.location is not None:
            x, y = _cell(structure.location)
            neighbours += [n for dx in (-1, 0, 1) for dy in (-1, 0, 1) for n in by_cell.get((x + dx, y + dy), [])]
        for other in neighbours:
            if other.pk == structure.pk or other.source == structure.source:
                continue  # within one source, the source's own id already tells places apart
            first, second = sorted((structure, other), key=lambda s: s.pk)
            if (first.pk, second.pk) in seen:
                continue
            seen.add((first.pk, second.pk))
            score, reasons = score_pair(first, second)
            if reasons:
                pairs.append((first, second, score, ", ".join(reasons)))
    return sorted(pairs, key=lambda pair: (-pair[2], pair[0].pk, pair[1].pk))


def record_duplicates(pks: list[int]) -> list:
    """Find pairs for `pks` and store the new ones; pairs a coordinator already settled are left alone."""

    pairs = find_duplicates(pks)
    existing = {
        (c.first_id, c.second_id): c
        for c in DuplicateCandidate.objects.filter(
            first_id__in=[p[0].pk for p in pairs], second_id__in=[p[1].pk for p in pairs]
        )
    }
    new, changed = [], []
    for first, second, score, reasons in pairs:
        candidate = existing.get((first.pk, second.pk))
        if candidate is None:
            new.append(DuplicateCandidate(first=first, second=second, score=score, reasons=reasons[:250]))
        elif candidate.status == DuplicateStatus.PENDING and (candidate.score, candidate.reasons) != (score, reasons):
            candidate.score, candidate.reasons = score, reasons[:250]
            changed.append(candidate)
    DuplicateCandidate.objects.bulk_create(new)
    DuplicateCandidate.objects.bulk_update(changed, ["score", "reasons"])
    return [DuplicatePair(first.pk, second.pk, first.nom, second.nom, score, reasons)
            for first, second, score, reasons in pairs]
