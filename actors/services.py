"""The few explicit write paths for structures, shared by importers, the admin, generators and tests."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify

from actors import hours, search
from actors.locate import find_commune, nearby_qpvs
from actors.models import Structure, StructureQPV, Term, WeeklySlot

# Fields of `Structure` an upsert may set (everything the standard carries plus workflow fields).
WRITABLE_FIELDS = [
    "source", "source_id", "pivot", "nom", "structure_parente", "date_maj", "adresse", "complement_adresse",
    "code_postal", "commune_nom", "code_insee", "location", "telephone", "courriels", "site_web", "horaires",
    "presentation_resume", "presentation_detail", "autres_formations_labels", "fiche_acces_libre",
    "prise_rdv", "state", "verified_at",
]

# Fields that feed the text search index (see actors/search.py).
SEARCHED_FIELDS = {"nom", "presentation_resume", "presentation_detail", "adresse", "code_postal", "commune_nom"}


@dataclass
class UpsertResult:
    structure: Structure
    action: str  # "created", "updated" or "unchanged"
    changed_fields: list[str] = field(default_factory=list)


def terms_by_codes(terms: dict[str, list[str]]) -> list[Term]:
    """Term rows for {kind: [code, ...]}; unknown codes raise, as callers must map values first."""
    wanted = {(kind, code) for kind, codes in terms.items() for code in codes}
    if not wanted:
        return []
    kinds = {kind for kind, _code in wanted}
    found = [t for t in Term.objects.filter(kind__in=kinds) if (t.kind, t.code) in wanted]
    missing = wanted - {(t.kind, t.code) for t in found}
    if missing:
        raise ValueError(f"Valeurs inconnues du référentiel : {sorted(missing)}")
    return found


def unique_slug(nom: str, commune_nom: str, exclude_pk: int | None = None) -> str:
    base = slugify(f"{nom} {commune_nom}")[:100] or "lieu"
    slug, suffix = base, 2
    while Structure.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


def rebuild_slots(structure: Structure) -> None:
    WeeklySlot.objects.filter(structure=structure).delete()
    WeeklySlot.objects.bulk_create(
        WeeklySlot(structure=structure, weekday=day, opens=opens, closes=closes)
        for day, opens, closes in hours.weekly_slots(structure.horaires)
    )


def locate(structure: Structure) -> None:
    """Set commune, approximate point and QPV links from the published address and point."""
    commune = find_commune(structure.code_insee, structure.code_postal, structure.commune_nom, structure.location)
    structure.commune = commune
    if structure.location is None and commune is not None and commune.centre is not None:
        structure.location = commune.centre.clone()
        structure.location_is_approximate = True


def rebuild_qpv_links(structure: Structure) -> None:
    StructureQPV.objects.filter(structure=structure).delete()
    if structure.location is None:
        return
    StructureQPV.objects.bulk_create(
        StructureQPV(structure=structure, qpv=qpv, distance_m=distance)
        for qpv, distance in nearby_qpvs(structure.location)
    )


def _same(structure: Structure, name: str, new) -> bool:
    current = getattr(structure, name)
    if name == "location":
        if new is None:
            # No published point: the stored commune centre stands in for it.
            return current is None or structure.location_is_approximate
        return current is not None and not structure.location_is_approximate and current.equals_exact(new, 1e-7)
    return current == new


@transaction.atomic
def structure_upsert(
    values: dict, terms: dict[str, list[str]] | None = None, service_area: list[str] | None = None
) -> UpsertResult:
    """Create or update the structure keyed by (source, source_id); derived data is rebuilt on change.

    `values` holds model field values (see WRITABLE_FIELDS); `terms` maps a TermKind to codes.
    Raises hours.InvalidHours or ValueError for values that cannot be stored.
    """
    unknown = set(values) - set(WRITABLE_FIELDS)
    if unknown:
        raise ValueError(f"Champs inconnus : {sorted(unknown)}")
    hours.weekly_slots(values.get("horaires", ""))  # validate before touching the database
    term_rows = terms_by_codes(terms or {})

    structure = None
    if values.get("source_id"):
        structure = (
            Structure.objects.filter(source=values.get("source", ""), source_id=values["source_id"])
            .prefetch_related("terms", "service_area")
            .first()
        )
    created = structure is None
    if created:
        structure = Structure()

    changed = [name for name, value in values.items() if not _same(structure, name, value)]
    terms_changed = created or {t.pk for t in structure.terms.all()} != {t.pk for t in term_rows}
    area_changed = service_area is not None and (
        created or {c.pk for c in structure.service_area.all()} != set(service_area)
    )
    if not created and not changed and not terms_changed and not area_changed:
        return UpsertResult(structure, "unchanged")

    for name, value in values.items():
        setattr(structure, name, value)
    if created or set(changed) & {"location", "code_insee", "code_postal", "commune_nom"}:
        structure.location_is_approximate = False
        locate(structure)
    if created or "nom" in changed:
        structure.slug = unique_slug(structure.nom, structure.commune_nom, exclude_pk=structure.pk)
    structure.save()

    if terms_changed:
        structure.terms.set(term_rows)
    if area_changed:
        structure.service_area.set(service_area)
    if created or "horaires" in changed:
        rebuild_slots(structure)
    if created or set(changed) & {"location", "code_insee", "code_postal", "commune_nom"}:
        rebuild_qpv_links(structure)
    if created or terms_changed or set(changed) & SEARCHED_FIELDS:
        search.index_structures([structure.pk])
    return UpsertResult(structure, "created" if created else "updated", changed)
