"""Honest facts: what the directory shows only when the source really says it.

- A placeholder SIRET (00000000000000, the standard's "unknown") is never shown (`Structure.shown_pivot`).
- A name made of digits only (a SIRET typed in the name column) is shown as "<typologie> — <commune>"
  (`Structure.display_name`) and listed for coordinators (admin filter « Fiabilité »).
- A published point more than 20 km beyond its commune's reach (`Commune.reach_m`: as far as its town hall
  from its centre, for the large communes of Guyane) is not believed: the commune centre
  replaces it (flagged "position approximative", as for a place without coordinates), the source's point
  is kept in `source_location` and the place is listed for coordinators. `services.locate` applies the
  rule on every write; `refresh` applies it in bulk (the demo snapshot).
- Blanket claims: a record that ticks nearly every value of the publics and "prise en charge" lists says
  nothing about any of them. `blanket_claims` is set, the detail page says so instead of listing them and
  the filters and their counts do not use them as evidence. Rule: at least two thirds of the twelve values
  of the two lists together, or every value of one list.
"""

from django.contrib.gis.geos import Point
from django.db import transaction
from django.db.models import FloatField, Func, Q
from django.db.models.functions import Abs
from django.utils import timezone

from actors.core.geo import is_far_from
from actors.core.locate import rebuild_qpv_links
from actors.models import Structure, Term
from actors.vocabulary.enums import TermKind

CLAIM_KINDS = (TermKind.PUBLICS, TermKind.PRISE_EN_CHARGE)
BLANKET_SHARE = 2 / 3


def is_far(point: Point | None, commune) -> bool:
    """The point is more than 20 km beyond its commune's reach (`actors.core.geo.is_far_from`; the admin
    refuses such a point too)."""
    if point is None or commune is None or commune.centre is None:
        return False
    return is_far_from(point, commune)


def claims_are_blanket(codes: dict[str, set[str]], vocabulary: dict[str, set[str]]) -> bool:
    """`codes` and `vocabulary` map each claim kind to the record's codes and to every code of the list."""
    claimed = sum(len(codes.get(kind, set()) & vocabulary[kind]) for kind in vocabulary)
    total = sum(len(values) for values in vocabulary.values())
    if not total:
        return False
    full_list = any(values and vocabulary[kind] <= codes.get(kind, set()) for kind, values in vocabulary.items())
    return full_list or claimed >= BLANKET_SHARE * total


def claim_vocabulary() -> dict[str, set[str]]:
    vocabulary = {kind: set() for kind in CLAIM_KINDS}
    for kind, code in Term.objects.filter(kind__in=CLAIM_KINDS).values_list("kind", "code"):
        vocabulary[kind].add(code)
    return vocabulary


@transaction.atomic
def refresh_blanket_claims(*, pks: list[int] | None = None) -> int:
    """Set `blanket_claims` from the stored terms of `pks` (all records when None); returns how many are set."""
    vocabulary = claim_vocabulary()
    links = Structure.terms.through.objects.filter(term__kind__in=CLAIM_KINDS)
    structures = Structure.objects.all()
    if pks is not None:
        links, structures = links.filter(structure_id__in=pks), structures.filter(pk__in=pks)
    codes: dict[int, dict[str, set[str]]] = {}
    for structure_id, kind, code in links.values_list("structure_id", "term__kind", "term__code"):
        codes.setdefault(structure_id, {}).setdefault(kind, set()).add(code)
    blanket = [pk for pk, claimed in codes.items() if claims_are_blanket(claimed, vocabulary)]
    # updated_at moves with the flag: the map's cached answers (keyed on max(updated_at)) must follow.
    now = timezone.now()
    structures.filter(blanket_claims=True).exclude(pk__in=blanket).update(blanket_claims=False, updated_at=now)
    structures.filter(pk__in=blanket, blanket_claims=False).update(blanket_claims=True, updated_at=now)
    return len(blanket)


def claim_evidence(kind: str) -> Q:
    """What a filter on `kind` may rely on: every record, except blanket claims for the claim lists."""
    return Q(blanket_claims=False) if kind in CLAIM_KINDS else Q()


class _Ordinate(Func):
    output_field = FloatField()


@transaction.atomic
def refresh_far_points(*, pks: list[int] | None = None) -> int:
    """Apply the 20 km rule to stored records (bulk, for restored snapshots); returns how many were moved."""

    structures = Structure.objects.filter(location__isnull=False, location_is_approximate=False,
                                          commune__centre__isnull=False)
    if pks is not None:
        structures = structures.filter(pk__in=pks)
    # Prefilter in SQL: a point more than 20 km (or more, for a large commune) away differs from the centre
    # by more than 14.1 km (0.127° or
    # more) in longitude or in latitude; the exact distance is then measured on these few rows only.
    structures = structures.annotate(
        dx=Abs(_Ordinate("location", function="ST_X") - _Ordinate("commune__centre", function="ST_X")),
        dy=Abs(_Ordinate("location", function="ST_Y") - _Ordinate("commune__centre", function="ST_Y")),
    ).filter(Q(dx__gt=0.127) | Q(dy__gt=0.127))
    moved = 0
    for structure in structures.select_related("commune").only("location", "commune__centre", "commune__reach_m"):
        if is_far(structure.location, structure.commune):
            Structure.objects.filter(pk=structure.pk).update(
                source_location=structure.location, location=structure.commune.centre,
                location_is_approximate=True, updated_at=timezone.now(),
            )
            structure.location = structure.commune.centre
            rebuild_qpv_links(structure)
            moved += 1
    return moved


def refresh(*, pks: list[int] | None = None) -> dict[str, int]:
    return {"far_points": refresh_far_points(pks=pks), "blanket_claims": refresh_blanket_claims(pks=pks)}


def flagged(which: str):
    """Records coordinators should look at: "nom" (digits only), "position" (point far from its commune),
    "declarations" (blanket claims). Digits-only names are found with a prefilter then checked in Python."""
    if which == "position":
        return Structure.objects.exclude(source_location=None)
    if which == "declarations":
        return Structure.objects.filter(blanket_claims=True)
    candidates = Structure.objects.filter(nom__regex=r"^[0-9 ]+$").values_list("pk", "nom")
    return Structure.objects.filter(pk__in=[pk for pk, nom in candidates if Structure(nom=nom).has_number_name])

