"""Merge two records of the same place: the coordinator picks each differing value; nothing is lost silently."""

from django.db import transaction
from django.utils import timezone

from actors.core import writes
from actors.duplicates import folding
from actors.models import DuplicateCandidate, Structure, StructureQPV
from actors.vocabulary.enums import DuplicateStatus, PublicationState, Verifier

# Fields a coordinator chooses between, one radio per field that differs.
MERGE_FIELDS = [
    "nom", "pivot", "structure_parente", "adresse", "complement_adresse", "code_postal", "commune_nom",
    "code_insee", "location", "telephone", "courriels", "site_web", "horaires", "presentation_resume",
    "presentation_detail", "autres_formations_labels", "fiche_acces_libre", "prise_rdv",
]


def _same(a, b) -> bool:
    if hasattr(a, "equals_exact") and hasattr(b, "equals_exact"):
        return a.equals_exact(b, 1e-7)
    return a == b


def differing_fields(keep: Structure, other: Structure) -> list[str]:
    return [name for name in MERGE_FIELDS if not _same(getattr(keep, name), getattr(other, name))]


@transaction.atomic
def structures_merge(keep: Structure, other: Structure, choices: dict[str, str], user=None) -> Structure:
    """Keep `keep`, taking from `other` each field whose choice is "other"; move relations; archive `other`.

    `choices` maps a field name to "keep" or "other" (missing fields keep their value). Terms become the
    union of both records, closures, contacts and served communes move to `keep`; QPV links and slots are
    rebuilt from the merged values. Both records get a history entry naming the merge.
    """
    if keep.pk == other.pk:
        raise ValueError("Un lieu ne peut pas être fusionné avec lui-même.")
    unknown = set(choices) - set(MERGE_FIELDS)
    if unknown or set(choices.values()) - {"keep", "other"}:
        raise ValueError(f"Choix de fusion invalides : {sorted(unknown) or sorted(set(choices.values()))}")
    for name, side in choices.items():
        if side == "other":
            value = getattr(other, name)
            setattr(keep, name, value.clone() if hasattr(value, "clone") else value)
    if choices.get("location") == "other":
        keep.location_is_approximate = other.location_is_approximate

    terms: dict[str, list[str]] = {}
    for term in list(keep.terms.all()) + list(other.terms.all()):
        codes = terms.setdefault(term.kind, [])
        if term.code not in codes:
            codes.append(term.code)
    area = sorted({c.pk for c in keep.service_area.all()} | {c.pk for c in other.service_area.all()})
    other.closures.update(structure=keep)
    other.contacts.update(structure=keep)
    StructureQPV.objects.filter(structure=other).delete()
    if not keep.source_id and other.source_id:
        keep.source, keep.source_id = other.source, other.source_id
        other.source_id = ""
    keep.mark_verified(by=Verifier.COORDINATION, at=timezone.now())
    reason = f"Fusion avec « {other.nom} » (#{other.pk})"

    other.state = PublicationState.ARCHIVED
    other._history_user = user
    other._change_reason = f"Fusionné dans « {keep.nom} » (#{keep.pk})"
    other.save()
    writes.structure_save(keep, terms, service_area=area, user=user, reason=reason)

    first, second = sorted([keep.pk, other.pk])
    DuplicateCandidate.objects.filter(first_id=first, second_id=second).update(status=DuplicateStatus.MERGED)
    folding.refold()  # the archived record leaves its group; the kept one stands for what remains
    return keep
