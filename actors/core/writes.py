"""The few explicit write paths for structures, shared by importers, the admin, generators and tests."""

from dataclasses import dataclass, field

from django.contrib.gis.geos import Point, Polygon
from django.db import connection, transaction
from django.db.models import CASCADE, SET_NULL
from django.utils import timezone
from django.utils.text import slugify

from actors.core import honest_facts, locking, quality, search_index
from actors.core.field_changes import FieldChange, field_changes
from actors.core.geo import metres_between
from actors.core.locate import locate_commune, rebuild_qpv_links
from actors.duplicates import folding
from actors.models import (
    Structure,
    StructureQPV,
    Term,
    WeeklySlot,
)
from actors.opening import hours
from actors.vocabulary.enums import Verifier
from territories import qpv_distance
from territories.models import QPV

# Fields of `Structure` an upsert may set (everything the standard carries plus workflow fields).
WRITABLE_FIELDS = [
    "source", "source_id", "pivot", "nom", "structure_parente", "date_maj", "adresse", "complement_adresse",
    "code_postal", "commune_nom", "code_insee", "location", "telephone", "courriels", "site_web", "horaires",
    "presentation_resume", "presentation_detail", "autres_formations_labels", "fiche_acces_libre",
    "prise_rdv", "state", "verified_at", "verified_by",
]

# Fields that feed the text search index (see actors/core/search_index.py).
SEARCHED_FIELDS = {"nom", "presentation_resume", "presentation_detail", "adresse", "code_postal", "commune_nom"}


@dataclass
class UpsertResult:
    structure: Structure
    action: str  # "created", "updated" or "unchanged"
    changed_fields: list[str] = field(default_factory=list)
    changes: list[FieldChange] = field(default_factory=list)  # for updates: what changed, field by field


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
    """The weekly slots of the hours, and whether they tell every date (else filters ask opening_hours)."""
    vary = hours.varies(structure.horaires, timezone.localdate())
    if vary != structure.hours_vary:
        structure.hours_vary = vary
        Structure.objects.filter(pk=structure.pk).update(hours_vary=vary)
    WeeklySlot.objects.filter(structure=structure).delete()
    WeeklySlot.objects.bulk_create(
        WeeklySlot(structure=structure, weekday=day, opens=opens, closes=closes)
        for day, opens, closes in hours.weekly_slots(structure.horaires)
    )


def locate(structure: Structure, *, lookups=None, located: tuple | None = None) -> None:
    """Set commune, approximate point and QPV links from the published address and point.

    The commune cross-checks INSEE code, postcode, name and point (actors/core/locate.py; `lookups`: communes
    loaded once for a file by bulk imports). A point more than 20 km beyond its commune's reach is not believed
    (actors/core/honest_facts.py): the commune centre replaces it and the source's point is kept in `source_location`.
    """
    asked = (structure.code_insee, structure.code_postal, structure.commune_nom, structure.location)
    if located is not None and _same_request(located[0], asked):
        match = located[1]  # the importer located this very address while planning: not twice
    else:
        match = locate_commune(*asked, lookups=lookups)
    commune = match.commune
    structure.commune = commune
    structure.commune_is_approximate = match.approximate
    if structure.location is not None and not structure.location_is_approximate:
        structure.source_location = None
        if honest_facts.is_far(structure.location, commune):
            structure.source_location, structure.location = structure.location, commune.centre.clone()
            structure.location_is_approximate = True
    if structure.location is None and commune is not None and commune.centre is not None:
        structure.location = commune.centre.clone()
        structure.location_is_approximate = True


def _same_request(a: tuple, b: tuple) -> bool:
    *texts_a, point_a = a
    *texts_b, point_b = b
    same_points = point_a is point_b or (point_a is not None and point_b is not None and point_a.equals(point_b))
    return texts_a == texts_b and same_points


def _same(structure: Structure, name: str, new) -> bool:
    current = getattr(structure, name)
    if name == "location":
        if structure.source_location is not None:  # the source's point was set aside as too far
            return new is not None and same_point(structure.source_location, new)
        if new is None:
            # No published point: the stored commune centre stands in for it.
            return current is None or structure.location_is_approximate
        return current is not None and not structure.location_is_approximate and same_point(current, new)
    return current == new


def same_point(a, b) -> bool:
    """Two points of one place are the same point within a metre."""
    # Compared at the metre: a file that rounds its 6th decimal differently (11 cm) changes nothing.
    return metres_between(a, b) < 1


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
    changes = [] if created else field_changes(structure, values, changed, term_rows, terms_changed)
    if area_changed and not created:
        old_area = sorted(c.pk for c in structure.service_area.all())
        changes.append(FieldChange("service_area", "|".join(old_area), "|".join(sorted(service_area))))

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
        search_index.index_structures([structure.pk])
    quality.refresh(pks=[structure.pk])
    locking.touch(structure.pk)  # the version moves past the history just written
    return UpsertResult(structure, "created" if created else "updated", changed, changes)


# Bulk variants of the derivations above, for generators that write thousands of rows at once. They apply
# the same rules (slugs, weekly slots from actors.opening.hours, QPV distance from actors.core.locate) without one query
# per row. Historical records are not written for bulk rows.


@dataclass
class BulkStructure:
    """A structure to create in bulk: an unsaved instance (commune and location already set), its Term pks
    and the codes of the communes it serves."""

    structure: Structure
    term_ids: list[int] = field(default_factory=list)
    service_area: list[str] = field(default_factory=list)


def unique_slugs(pairs: list[tuple[str, str]]) -> list[str]:
    """Slugs for (nom, commune_nom) pairs, unique among themselves and the stored ones, as `unique_slug`."""
    bases = [slugify(f"{nom} {commune_nom}")[:100] or "lieu" for nom, commune_nom in pairs]
    # Every stored slug (a few MB for 100,000 rows) rather than one query per candidate.
    taken = set(Structure.objects.values_list("slug", flat=True))
    next_suffix: dict[str, int] = {}
    slugs = []
    for base in bases:
        slug, suffix = base, next_suffix.get(base, 2)
        while slug in taken:
            slug, suffix = f"{base}-{suffix}", suffix + 1
        next_suffix[base] = suffix
        taken.add(slug)
        slugs.append(slug)
    return slugs


class QPVIndex:
    """QPV perimeters loaded once (`territories.qpv_distance.ShapeGrid`): the rule of
    `actors.core.locate.nearby_qpvs` applied to many points without one spatial query per point."""

    def __init__(self, *, extent: tuple[float, float, float, float] | None = None):
        """`extent` (xmin, ymin, xmax, ymax): only the QPV near that box are loaded (an import's points)."""
        qpvs = QPV.objects.only("code", "perimeter")
        if extent is not None:
            box = Polygon.from_bbox(qpv_distance.reach_box(extent, 2 * qpv_distance.REACH_M))
            box.srid = 4326
            qpvs = qpvs.filter(perimeter__intersects=box)
        self.grid = qpv_distance.ShapeGrid((qpv.code, qpv.perimeter) for qpv in qpvs)

    def nearby(self, point: Point) -> list[tuple[str, int]]:
        """(QPV code, distance in metres) of the QPV containing `point` (0) or within reach of it."""
        return self.grid.links(point.x, point.y)


def _insert_many(table: str, columns: list[str], rows: list[tuple], batch: int = 20_000) -> None:
    """Plain multi-row INSERTs: the same SQL on SQLite and PostgreSQL, far cheaper than model instances."""
    table = connection.ops.quote_name(table)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), batch):
            cursor.executemany(sql, rows[start:start + batch])


@transaction.atomic
def structures_bulk_create(
    items: list[BulkStructure], qpv_index: QPVIndex | None = None, batch_size: int = 2000
) -> list[Structure]:
    """Create many structures with their derived rows (slugs, terms, service areas, weekly slots, QPV links).

    Callers set `commune`, `location` and `location_is_approximate` themselves (no geocoding here); pass
    one `QPVIndex` when calling this repeatedly.
    """
    structures = [item.structure for item in items]
    for structure, slug in zip(structures, unique_slugs([(s.nom, s.commune_nom) for s in structures]), strict=True):
        structure.slug = slug
    today = timezone.localdate()
    for structure in structures:
        structure.hours_vary = hours.varies(structure.horaires, today)
    Structure.objects.bulk_create(structures, batch_size=batch_size)
    through_terms = Structure.terms.through._meta
    _insert_many(through_terms.db_table, ["structure_id", "term_id"],
                 [(item.structure.pk, term_id) for item in items for term_id in item.term_ids])
    through_area = Structure.service_area.through._meta
    _insert_many(through_area.db_table, ["structure_id", "commune_id"],
                 [(item.structure.pk, code) for item in items for code in item.service_area])
    slots_by_hours: dict[str, list[tuple[int, int, int]]] = {}
    slot_rows = []
    for structure in structures:
        if structure.horaires not in slots_by_hours:
            slots_by_hours[structure.horaires] = hours.weekly_slots(structure.horaires)
        slot_rows.extend((structure.pk, *slot) for slot in slots_by_hours[structure.horaires])
    _insert_many(WeeklySlot._meta.db_table, ["structure_id", "weekday", "opens", "closes"], slot_rows)
    qpv_index = qpv_index or QPVIndex()
    qpv_rows = [
        (structure.pk, code, distance)
        for structure in structures
        if structure.location is not None and not structure.location_is_approximate
        for code, distance in qpv_index.nearby(structure.location)
    ]
    _insert_many(StructureQPV._meta.db_table, ["structure_id", "qpv_id", "distance_m"], qpv_rows)
    # Search documents from the terms in hand (as a prefetch would give them), not re-read per row.
    terms = {term.pk: term for term in Term.objects.all()}
    for item in items:
        item.structure._prefetched_objects_cache = {"terms": [terms[pk] for pk in item.term_ids]}
    search_index._write(search_index.documents(structures))
    quality.refresh(pks=[s.pk for s in structures])
    return structures


@transaction.atomic
def structures_bulk_delete(queryset) -> int:
    """Delete many structures and their dependent rows without one historical record each.

    Meant for regenerable data (the synthetic set): a coordinator's deletion goes through the admin.
    """
    ids = queryset.values("pk")
    # Read before the related rows go: the queryset may filter on them (terms, QPV links…).
    pks = list(queryset.values_list("pk", flat=True))
    # Every table pointing at structures (derived rows, M2M links, closures, contacts, corrections...),
    # found from the model graph so that a relation added later is not forgotten.
    for relation in Structure._meta.get_fields(include_hidden=True):
        if not (relation.one_to_many or relation.one_to_one) or not relation.auto_created:
            continue
        rows = relation.related_model._base_manager.filter(**{f"{relation.field.name}__in": ids})
        if relation.on_delete is CASCADE:
            rows._raw_delete(connection.alias)
        elif relation.on_delete is SET_NULL:
            rows.update(**{relation.field.name: None})
    if not search_index.is_postgres():
        with connection.cursor() as cursor:
            cursor.executemany(f"DELETE FROM {search_index.FTS_TABLE} WHERE rowid = %s",
                               [(pk,) for pk in pks])
    return Structure.objects.filter(pk__in=pks)._raw_delete(connection.alias)


# --- Coordination: saves from the admin (forms, history revert, accepted corrections, merges). ---

@transaction.atomic
def structure_save(
    structure: Structure,
    terms: dict[str, list[str]] | None = None,
    service_area: list[str] | None = None,
    *,
    user=None,
    reason: str = "",
) -> Structure:
    """Save a structure whose fields were already set (by a form, a revert, a merge) and rebuild derived data.

    Commune, approximate-point flag, QPV links and weekly slots are recomputed from the saved values, the
    same derivations `structure_upsert` applies; `terms` (kind → codes) replaces the vocabularies given.
    The history entry records `user` and `reason`.
    """
    hours.weekly_slots(structure.horaires)  # validate before touching the database
    term_rows = terms_by_codes(terms) if terms is not None else None
    previous = Structure.objects.filter(pk=structure.pk).values("location").first() if structure.pk else None
    if previous is not None and structure.location is not None:
        moved = previous["location"] is None or not previous["location"].equals_exact(structure.location, 1e-7)
        if moved:
            structure.location_is_approximate = False
    locate(structure)
    if not structure.slug:
        structure.slug = unique_slug(structure.nom, structure.commune_nom)
    if user is not None:
        structure._history_user = user
    if reason:
        structure._change_reason = reason
    structure.save()
    if term_rows is not None:
        kinds = set(terms)
        kept = [t for t in structure.terms.all() if t.kind not in kinds]
        structure.terms.set(kept + term_rows)
    if service_area is not None:
        structure.service_area.set(service_area)
    rebuild_slots(structure)
    rebuild_qpv_links(structure)
    search_index.index_structures([structure.pk])
    honest_facts.refresh_blanket_claims(pks=[structure.pk])
    folding.refresh(pks=[structure.pk])
    quality.refresh(pks=[structure.pk])
    locking.touch(structure.pk)  # the version moves past the history just written
    return structure


def _save_workflow(structures, user, reason: str, **values) -> int:
    # One save per row (not a bulk UPDATE) so that each change gets its history entry with its author.
    count = 0
    for structure in structures:
        for name, value in values.items():
            setattr(structure, name, value)
        structure._history_user = user
        structure._change_reason = reason
        structure.save(update_fields=[*values, "updated_at"])
        locking.touch(structure.pk)  # the version moves past the history just written
        count += 1
    return count


@transaction.atomic
def structures_mark_verified(structures, user=None) -> int:
    """Mark the structures as verified now (freshness); returns how many were marked."""
    structures = list(structures)
    count = _save_workflow(structures, user, "Marqué comme vérifié", verified_at=timezone.now(),
                           verified_by=Verifier.COORDINATION)
    quality.refresh(pks=[s.pk for s in structures])
    return count


@transaction.atomic
def structures_set_state(structures, state: str, user=None) -> int:
    """Publish, archive or set back to draft; returns how many changed. Folded groups follow."""
    changed = [s for s in structures if s.state != state]
    count = _save_workflow(changed, user, f"État : {state}", state=state)
    if count:
        folding.refresh(pks=[s.pk for s in changed])
    return count
