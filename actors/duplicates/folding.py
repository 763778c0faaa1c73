"""One card per place: records that are surely the same place fold into one public place.

The rule (`fold_reason`) is stricter than the importer's "likely duplicate" score: it decides what the
public sees without a coordinator, so it must be right at least 98 times out of 100 (see docs/folding.md,
where a hand-checked sample measures it). Two published records fold when, both points being exact:
  1. they share a real SIRET (not the 00000000000000 placeholder), stand within 200 m, and their names
     share at least half of their words (or their addresses are the same);
  2. or their names are the same once folded (case, accents, punctuation, small words), within 100 m
     (or at the same address);
  3. or their addresses are the same, within 100 m, and their names are close: at least two words in
     common and three quarters of the shorter name found in the other;
and, when a point is only the commune centre, 2 or 3 with the same address in the same commune. Never when
they carry two different real SIRETs (two establishments) or only one of them is itinerant (a bus and its
base).

Folding is stored, not computed per request: each pair the rule accepts is a `DuplicateCandidate` with
`folds=True` (so coordinators see it in the pair queue), and `refold` turns the accepted, undismissed pairs
between published records into groups, pointing every copy's `folded_into` at the group's representative.
`Structure.objects.public()` then only has to skip rows with a `folded_into`. Imports, `load_demo`, the
admin (save, state, merge, "pas un doublon") and `manage.py fold_duplicates` call these functions.
"""

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from actors.duplicates.pairs import name_similarity, name_tokens, score_pair
from actors.models import DuplicateCandidate, Structure
from actors.vocabulary.enums import DuplicateStatus, PublicationState, TermKind, is_real_pivot
from territories.models import Commune
from territories.projection import lonlat_metres
from territories.text import STOP_WORDS, fold

SIRET_METRES = 200
NAME_METRES = 100
CELL_DEGREES = 0.003  # >= 214 m of longitude up to 50° N: pairs within 200 m are in neighbouring cells
# Street words as sources abbreviate them ("15 PL DU MARECHAL LECLERC", "20 Bd Bergeon").
STREET_WORDS = {
    "av": "avenue", "ave": "avenue", "bd": "boulevard", "bld": "boulevard", "boul": "boulevard",
    "pl": "place", "crs": "cours", "cour": "cours", "r": "rue", "rte": "route", "imp": "impasse",
    "ch": "chemin", "chem": "chemin", "all": "allee", "sq": "square", "fg": "faubourg", "esp": "esplanade",
    "st": "saint", "ste": "sainte", "gal": "general", "gen": "general", "mal": "marechal", "pte": "porte",
}
FIELDS = ["pk", "source", "nom", "pivot", "adresse", "commune_nom", "commune_id", "location",
          "location_is_approximate"]


@lru_cache(maxsize=200_000)
def normalise_name(nom: str) -> str:
    """Folded words without small words; an acronym written with dots ("C.C.A.S.") as one word."""
    text = re.sub(r"\b([a-z])\.(?=[a-z]\b)", r"\1", fold(nom))
    return " ".join(w for w in re.split(r"[^a-z0-9]+", text) if w and w not in STOP_WORDS)


@lru_cache(maxsize=200_000)
def normalise_address(adresse: str, commune_nom: str = "") -> str:
    """Folded street address without bis/ter, with street words spelt out; "" when it names no street."""
    text = re.sub(r"(\d+)\s*(bis|ter|b)\b", r"\1", fold(adresse))
    words = [STREET_WORDS.get(w, w) for w in re.split(r"[^a-z0-9]+", text) if w and w not in STOP_WORDS]
    if not words or words == normalise_name(commune_nom).split():
        return ""  # "Rochechouart": the commune's name is no address
    return " ".join(words)


def _real_pivot(structure: Structure) -> str:
    return structure.pivot if is_real_pivot(structure.pivot) else ""


def close_names(first: str, second: str) -> bool:
    shared = name_tokens(first) & name_tokens(second)
    return len(shared) >= 2 and name_similarity(first, second) >= 0.75


def fold_reason(first: Structure, second: Structure, itinerant: set[int] = frozenset()) -> str:
    """Why the two records are surely the same place ("" when they may not be). See the module docstring."""
    pivot_a, pivot_b = _real_pivot(first), _real_pivot(second)
    if pivot_a and pivot_b and pivot_a != pivot_b:
        return ""
    if (first.pk in itinerant) != (second.pk in itinerant):
        return ""
    same_name = normalise_name(first.nom) != "" and normalise_name(first.nom) == normalise_name(second.nom)
    address = normalise_address(first.adresse, first.commune_nom)
    same_address = (
        address != "" and first.commune_id is not None and first.commune_id == second.commune_id
        and address == normalise_address(second.adresse, second.commune_nom)
    )
    exact = all(s.location is not None and not s.location_is_approximate for s in (first, second))
    if not exact:
        if same_address and same_name:
            return "même nom, même adresse"
        if same_address and close_names(first.nom, second.nom):
            return "même adresse, noms proches"
        return ""
    distance = _metres(_xy(first), _xy(second))
    if pivot_a and pivot_a == pivot_b and distance <= SIRET_METRES and (
        name_similarity(first.nom, second.nom) >= 0.5 or same_address
    ):
        return f"même SIRET à {round(distance)} m"
    if same_name and (distance <= NAME_METRES or same_address):
        return f"même nom à {round(distance)} m"
    if same_address and distance <= NAME_METRES and close_names(first.nom, second.nom):
        return f"même adresse à {round(distance)} m, noms proches"
    return ""


def _xy(structure: Structure) -> tuple[float, float]:
    # Reading a GEOS point's coordinates costs a library call each time: read them once per record.
    if getattr(structure, "_xy", None) is None:
        structure._xy = (structure.location.x, structure.location.y)
    return structure._xy


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Geodesic metres (actors.core.geo, as `actors.duplicates.pairs.metres`) between (lon, lat) pairs."""
    return lonlat_metres(*a, *b)


def _cell(structure: Structure) -> tuple[int, int]:
    x, y = _xy(structure)
    return math.floor(x / CELL_DEGREES), math.floor(y / CELL_DEGREES)


def _itinerant(pks) -> set[int]:
    through = Structure.terms.through.objects.filter(
        term__kind=TermKind.ITINERANCE, term__code="itinerant", structure_id__in=pks
    )
    return set(through.values_list("structure_id", flat=True))


def find_fold_pairs(structures: list[Structure], wanted: set[int] | None = None) -> list[tuple]:
    """(first, second, reason) for the pairs of `structures` the rule accepts, involving one of `wanted`."""
    itinerant = _itinerant([s.pk for s in structures])
    by_cell, by_address = defaultdict(list), defaultdict(list)
    for structure in structures:
        if structure.location is not None and not structure.location_is_approximate:
            by_cell[_cell(structure)].append(structure)
        address = normalise_address(structure.adresse, structure.commune_nom)
        if address and structure.commune_id:
            by_address[(structure.commune_id, address)].append(structure)
    pairs, seen = [], set()
    for structure in structures:
        if wanted is not None and structure.pk not in wanted:
            continue
        neighbours = list(by_address.get(
            (structure.commune_id, normalise_address(structure.adresse, structure.commune_nom)), []))
        if structure.location is not None and not structure.location_is_approximate:
            x, y = _cell(structure)
            neighbours += [n for dx in (-1, 0, 1) for dy in (-1, 0, 1) for n in by_cell.get((x + dx, y + dy), [])]
        for other in neighbours:
            first, second = sorted((structure, other), key=lambda s: s.pk)
            if first.pk == second.pk or (first.pk, second.pk) in seen:
                continue
            seen.add((first.pk, second.pk))
            reason = fold_reason(first, second, itinerant)
            if reason:
                pairs.append((first, second, reason))
    return pairs


def _published_around(pks: list[int] | None) -> list[Structure]:
    published = Structure.objects.published().only(*FIELDS[1:])
    if pks is None:
        return list(published)
    own = list(published.filter(pk__in=pks))
    communes = {s.commune_id for s in own if s.commune_id}
    boxes = [_square(_xy(s)) for s in own if s.location is not None]
    if len(boxes) > 20:  # a file: one box around all its places
        boxes = [(min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
                  max(b[3] for b in boxes))]
    # Read the published places of the same départements (an indexed list of communes) and keep, in Python,
    # those of the same communes or near a record: a box query alone would measure every row on SpatiaLite.
    departements = set(Commune.objects.filter(pk__in=communes).values_list("departement_id", flat=True))
    nearby_communes = list(Commune.objects.filter(departement_id__in=departements).values_list("pk", flat=True))
    # Filtered on the commune index only (SQLite would otherwise pick the state index and read every published
    # row); the state is checked in Python.
    around = Structure.objects.filter(commune_id__in=nearby_communes).only(*FIELDS[1:], "state").order_by()
    around = [s for s in around if s.state == PublicationState.PUBLISHED]
    kept = {s.pk: s for s in own}
    for s in around:
        if s.commune_id in communes or (
            s.location is not None and any(b[0] <= _xy(s)[0] <= b[2] and b[1] <= _xy(s)[1] <= b[3] for b in boxes)
        ):
            kept.setdefault(s.pk, s)
    return list(kept.values())


def _square(xy: tuple[float, float]) -> tuple[float, float, float, float]:
    margin = CELL_DEGREES * 2
    return xy[0] - margin, xy[1] - margin, xy[0] + margin, xy[1] + margin


@transaction.atomic
def record_folds(*, pks: list[int] | None = None) -> int:
    """Store the rule's verdict on the pairs around `pks` (every published record when None).

    Accepted pairs become (or stay) candidates with `folds=True`; pairs that no longer pass lose it. A
    coordinator's decision (dismissed, merged) is never changed. Returns the number of accepted pairs.
    """
    structures = _published_around(pks)
    wanted = None if pks is None else set(pks)
    pairs = find_fold_pairs(structures, wanted)
    accepted = {(a.pk, b.pk): (a, b, reason) for a, b, reason in pairs}
    existing = {(c.first_id, c.second_id): c for c in _existing(accepted)}
    stale = DuplicateCandidate.objects.filter(folds=True)
    if wanted is not None:
        stale = stale.filter(Q(first_id__in=wanted) | Q(second_id__in=wanted))
    stale.exclude(pk__in=[c.pk for c in existing.values()]).update(folds=False)
    new, changed = [], []
    for key, (first, second, reason) in accepted.items():
        candidate = existing.get(key)
        if candidate is None:
            score, reasons = score_pair(first, second)
            text = ", ".join([reason, *reasons])[:250]
            new.append(DuplicateCandidate(first=first, second=second, score=max(score, 90), reasons=text,
                                          folds=True))
        elif not candidate.folds:
            candidate.folds = True
            if reason not in candidate.reasons:
                candidate.reasons = f"{reason}, {candidate.reasons}"[:250]
            changed.append(candidate)
    DuplicateCandidate.objects.bulk_create(new, batch_size=1000)
    DuplicateCandidate.objects.bulk_update(changed, ["folds", "reasons"], batch_size=1000)
    return len(accepted)


def _existing(accepted: dict) -> list[DuplicateCandidate]:
    if not accepted:
        return []
    firsts = {a for a, _b in accepted}
    rows = DuplicateCandidate.objects.filter(first_id__in=firsts).only("pk", "first_id", "second_id", "folds",
                                                                         "reasons")
    return [c for c in rows if (c.first_id, c.second_id) in accepted]


@dataclass
class FoldCounts:
    groups: int
    copies: int
    changed: int


def fold_groups() -> list[set[int]]:
    """Groups (two records or more) joined by accepted, undismissed pairs between published records."""
    edges = DuplicateCandidate.objects.filter(
        folds=True, status=DuplicateStatus.PENDING,
        first__state=PublicationState.PUBLISHED, second__state=PublicationState.PUBLISHED,
    ).values_list("first_id", "second_id")
    parent: dict[int, int] = {}

    def find(pk: int) -> int:
        while parent.setdefault(pk, pk) != pk:
            parent[pk] = parent[parent[pk]]
            pk = parent[pk]
        return pk

    for first, second in edges:
        parent[find(first)] = find(second)
    groups = defaultdict(set)
    for pk in list(parent):
        groups[find(pk)].add(pk)
    return [members for members in groups.values() if len(members) > 1]


def _standing(member: dict) -> tuple:
    return bool(member["horaires"]), member["date_maj"], member["services"], -member["pk"]


def representative(members: list[dict]) -> int:
    """The record that stands for the group: one with hours (the freshest), then the most services."""
    return max(members, key=_standing)["pk"]


def why_preferred(chosen: dict, other: dict) -> str:
    """Which step of `representative` put `chosen` before `other` (French, for import reports)."""
    if bool(chosen["horaires"]) != bool(other["horaires"]):
        return _("il donne des horaires, l'autre non")
    if chosen["date_maj"] != other["date_maj"]:
        return _("sa mise à jour est plus récente (%(chosen)s contre %(other)s)") % {
            "chosen": chosen["date_maj"], "other": other["date_maj"]}
    if chosen["services"] != other["services"]:
        return _("il a plus de services (%(chosen)s contre %(other)s)") % {
            "chosen": chosen["services"], "other": other["services"]}
    return _("à égalité, la fiche la plus ancienne reste")


def standings(pks: list[int]) -> dict[int, dict]:
    """What `representative` compares, for these records."""
    return {
        row["pk"]: row
        for row in Structure.objects.filter(pk__in=pks).values("pk", "horaires", "date_maj").annotate(
            services=Count("terms", filter=Q(terms__kind=TermKind.SERVICES))
        )
    }


@transaction.atomic
def refold() -> FoldCounts:
    """Point every copy at its group's representative, clear the pointer elsewhere; returns counts."""
    groups = fold_groups()
    members = [pk for group in groups for pk in group]
    rows = standings(members)
    wanted: dict[int, int] = {}
    for group in groups:
        root = representative([rows[pk] for pk in group])
        wanted.update({pk: root for pk in group if pk != root})
    current = dict(Structure.objects.filter(folded_into__isnull=False).values_list("pk", "folded_into"))
    now, changed = timezone.now(), 0
    unfold = [pk for pk in current if pk not in wanted]
    if unfold:
        # updated_at moves so that the map's data version (max(updated_at)) changes with the folding.
        changed += Structure.objects.filter(pk__in=unfold).update(folded_into=None, updated_at=now)
    by_root = defaultdict(list)
    for pk, root in wanted.items():
        if current.get(pk) != root:
            by_root[root].append(pk)
    for root, pks in by_root.items():
        changed += Structure.objects.filter(pk__in=pks).update(folded_into=root, updated_at=now)
    return FoldCounts(groups=len(groups), copies=len(wanted), changed=changed)


def refresh(*, pks: list[int] | None = None) -> FoldCounts:
    """The rule on the records around `pks` (all when None), then the groups: the one call after a write."""
    record_folds(pks=pks)
    return refold()
