"""Writing a file's validated rows in bulk: everything is read and derived before the write transaction,
which then only runs a few INSERT / UPDATE statements per table, whatever the number of rows.

The rules are those of `actors.core.writes.structure_upsert`, applied to all rows at once: the key is
(source, source_id); a row identical to the stored place is left alone; a change rebuilds what derives
from it (commune and approximate point when the address or point changes, the slug when the name
changes, weekly slots when the hours change, QPV links when the point moves, the search index); every
created or updated place gets its history entry. Communes are read once for the whole file
(`CommuneIndex`), QPV perimeters once (`actors.core.writes.QPVIndex`).
"""

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from actors.core import honest_facts, quality, search_index
from actors.core.field_changes import field_changes
from actors.core.locate import CommuneLookups, nearest_commune
from actors.core.writes import WRITABLE_FIELDS, QPVIndex, _insert_many, _same, locate
from actors.duplicates import folding
from actors.duplicates.pairs import record_duplicates
from actors.imports import folding_report
from actors.imports.report import RowChange
from actors.models import Structure, StructureQPV, Term, WeeklySlot
from actors.opening import hours
from actors.standard import extensions
from territories.models import Commune, FormerCommune

LOCATION_FIELDS = {"location", "code_insee", "code_postal", "commune_nom"}
BATCH = 500
Progress = Callable[[str, int, int], None]


def chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class CommuneIndex(CommuneLookups):
    """The reads of `find_commune` answered from communes loaded once for a file (a few queries instead of
    two per row), so that `find_commune`'s rule applies unchanged (tests compare both over the whole demo)."""

    def __init__(self, rows: Iterable[dict]):
        rows = list(rows)
        codes = sorted({row["code_insee"] for row in rows if row.get("code_insee")})
        postcodes = sorted({row["code_postal"] for row in rows if row.get("code_postal")})
        self.codes: dict[str, Commune] = {}
        for chunk in chunks(codes, BATCH):
            self.codes.update((commune.pk, commune) for commune in Commune.objects.filter(pk__in=chunk))
        # LIKE '%code%' over "|"-joined 5-digit codes matches exactly the communes listing that code: read
        # every commune's codes once (no geometry), then the candidate communes, in the database's order.
        wanted = set(postcodes)
        candidate_codes = {code: [] for code in postcodes}
        for pk, joined in Commune.objects.values_list("pk", "postal_codes").order_by():
            for code in wanted.intersection(joined.split("|")):
                candidate_codes[code].append(pk)
        loaded: dict[str, Commune] = {}
        for chunk in chunks(sorted({pk for pks in candidate_codes.values() for pk in pks}), BATCH):
            loaded.update((commune.pk, commune) for commune in Commune.objects.filter(pk__in=chunk))
        # The model's ordering, as find_commune's query returns them (it only breaks ties of equal names).
        self.postcodes: dict[str, list[Commune]] = {
            code: sorted((loaded[pk] for pk in pks), key=lambda commune: (commune.name, commune.pk))
            for code, pks in candidate_codes.items()
        }
        self.nearest_cache: dict[str, Commune | None] = {}
        self.former: dict[str, list[tuple[str, str]]] | None = None  # name: (commune, département), read once

    def by_code(self, code: str) -> Commune | None:
        return self.codes.get(code)

    def by_postcode(self, code_postal: str) -> list[Commune]:
        return list(self.postcodes.get(code_postal, []))

    def by_former_name(self, folded: str, departements: list[str]) -> list[Commune]:
        if self.former is None:
            # Names and codes only (2,576 rows): the few communes asked for are read when a name matches.
            self.former = {}
            for name, code, departement in FormerCommune.objects.values_list(
                    "name_folded", "commune_id", "commune__departement_id").order_by("commune_id"):
                self.former.setdefault(name, []).append((code, departement))
        codes = sorted({code for code, departement in self.former.get(folded, []) if departement in departements})
        missing = [code for code in codes if code not in self.codes]
        if missing:
            self.codes.update((commune.pk, commune) for commune in Commune.objects.filter(pk__in=missing))
        return [self.codes[code] for code in codes]

    def nearest(self, point) -> Commune | None:
        key = point.wkt
        if key not in self.nearest_cache:
            self.nearest_cache[key] = nearest_commune(point)
        return self.nearest_cache[key]


@dataclass
class Item:
    """One validated row to write: its row number, `structure_upsert`'s arguments, the slug it asks for."""

    number: int
    values: dict
    terms: dict[str, list[str]]
    service_area: list[str] | None = None
    slug: str = ""
    located: tuple | None = None  # (the address and point located, CommuneMatch), from actors.imports.plan


@dataclass
class Planned:
    item: Item
    structure: Structure
    action: str  # "created", "updated" or "unchanged"
    changed: list[str] = field(default_factory=list)
    term_ids: list[int] = field(default_factory=list)
    terms_changed: bool = False
    area_changed: bool = False
    relocated: bool = False
    field_changes: list = field(default_factory=list)  # actors.core.field_changes.FieldChange, for the report


class RowError(ValueError):
    def __init__(self, number: int, reason: str):
        super().__init__(reason)
        self.number = number


def _existing(items: list[Item]) -> tuple[dict, dict, dict]:
    """Stored places by key, and their Term ids and service-area codes (a few queries for the whole file)."""
    by_source = defaultdict(list)
    for item in items:
        if item.values.get("source_id"):
            by_source[item.values.get("source", "")].append(item.values["source_id"])
    found: dict[tuple[str, str], Structure] = {}
    for source, ids in by_source.items():
        for chunk in chunks(ids, BATCH):
            for structure in Structure.objects.filter(source=source, source_id__in=chunk):
                found[(structure.source, structure.source_id)] = structure
    pks = [structure.pk for structure in found.values()]
    terms, areas = defaultdict(set), defaultdict(set)
    for chunk in chunks(pks, BATCH):
        for structure_id, term_id in Structure.terms.through.objects.filter(structure_id__in=chunk).values_list(
                "structure_id", "term_id"):
            terms[structure_id].add(term_id)
        for structure_id, code in Structure.service_area.through.objects.filter(structure_id__in=chunk).values_list(
                "structure_id", "commune_id"):
            areas[structure_id].add(code)
    return found, terms, areas


def plan(items: list[Item], lookups: CommuneLookups, progress: Progress | None = None) -> list[Planned]:
    """What writing `items` would do, computed with reads only (no transaction is held)."""
    terms_by_pk = {term.pk: term for term in Term.objects.all()}
    term_pks = {(term.kind, term.code): pk for pk, term in terms_by_pk.items()}
    known_communes = set(Commune.objects.filter(
        pk__in={code for item in items for code in item.service_area or ()}).values_list("pk", flat=True))
    found, stored_terms, stored_areas = _existing(items)
    today = timezone.localdate()
    owner: dict[str, object] = dict(Structure.objects.values_list("slug", "pk"))
    plans = []
    for position, item in enumerate(items, start=1):
        if progress and position % 250 == 0:
            progress("preparation", position, len(items))
        unknown = set(item.values) - set(WRITABLE_FIELDS)
        if unknown:
            raise ValueError(f"Champs inconnus : {sorted(unknown)}")
        wanted = [(kind, code) for kind, codes in item.terms.items() for code in codes]
        missing = [pair for pair in wanted if pair not in term_pks]
        if missing:
            raise RowError(item.number, _("Valeurs inconnues du référentiel : %(values)s") % {"values": missing})
        term_ids = [term_pks[pair] for pair in wanted]
        if item.service_area is not None:
            item.service_area = [code for code in item.service_area if code in known_communes]
        existing = found.get((item.values.get("source", ""), item.values.get("source_id"))) \
            if item.values.get("source_id") else None
        structure = existing or Structure()
        planned = Planned(item, structure, "created" if existing is None else "updated", term_ids=term_ids)
        planned.changed = [name for name, value in item.values.items() if not _same(structure, name, value)]
        planned.terms_changed = existing is None or stored_terms[existing.pk] != set(term_ids)
        if existing is not None and (planned.changed or planned.terms_changed):
            # The report's field-by-field diff, read before the fields are set (terms from the rows read above).
            existing._prefetched_objects_cache = {"terms": [terms_by_pk[pk] for pk in stored_terms[existing.pk]]}
            planned.field_changes = field_changes(structure, item.values, planned.changed,
                                                  [terms_by_pk[pk] for pk in term_ids], planned.terms_changed)
        planned.area_changed = item.service_area is not None and (
            existing is None or stored_areas[existing.pk] != set(item.service_area))
        # A slug asked for but held by another place is not a change (the import stays idempotent).
        slug_changed = bool(item.slug) and item.slug != structure.slug and owner.get(item.slug) is None
        if existing is not None and not (planned.changed or planned.terms_changed or planned.area_changed
                                         or slug_changed):
            planned.action = "unchanged"
            plans.append(planned)
            continue
        for name, value in item.values.items():
            setattr(structure, name, value)
        if existing is None or "horaires" in planned.changed:
            structure.hours_vary = hours.varies(structure.horaires, today)  # see actors.opening.window
        planned.relocated = existing is None or bool(set(planned.changed) & LOCATION_FIELDS)
        if planned.relocated:
            structure.location_is_approximate = False
            locate(structure, lookups=lookups, located=item.located)
        plans.append(planned)
    _assign_slugs(plans, owner)
    return plans


def _assign_slugs(plans: list[Planned], owner: dict[str, object]) -> None:
    """The slug a row asks for when it is free, else `unique_slug`'s rule (name + commune, then -2, -3…);
    as `structure_upsert`, a stored place keeps its slug unless its name changes.

    `owner`: every stored slug -> its place's pk (updated as slugs are given out).
    """
    for planned in plans:
        structure, item = planned.structure, planned.item
        if planned.action == "unchanged":
            continue
        me = structure.pk if structure.pk else ("new", id(planned))
        if item.slug and owner.get(item.slug, me) == me:
            slug = item.slug
        elif planned.action == "created" or "nom" in planned.changed:
            base = slugify(f"{structure.nom} {structure.commune_nom}")[:100] or "lieu"
            slug, suffix = base, 2
            while owner.get(slug, me) != me:
                slug, suffix = f"{base}-{suffix}", suffix + 1
        else:
            continue
        if structure.slug and owner.get(structure.slug) == me:
            del owner[structure.slug]
        structure.slug = slug
        owner[slug] = me


def _history(pks: list[int], history_type: str, when) -> None:
    """django-simple-history's rows for the written places ("+" created, "~" changed), copied by the
    database from the rows just written (INSERT … SELECT): the same columns as its own bulk path, without
    building one historical instance per place."""
    model = Structure.history.model
    quote = connection.ops.quote_name
    copied = ", ".join(quote(f.column) for f in model._meta.concrete_fields if not f.name.startswith("history_"))
    date = connection.ops.adapt_datetimefield_value(when)
    with connection.cursor() as cursor:
        for chunk in chunks(pks, BATCH):
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} ({copied}, history_date, history_type) "
                f"SELECT {copied}, %s, %s FROM {quote(Structure._meta.db_table)} "
                f"WHERE id IN ({', '.join(['%s'] * len(chunk))})",
                [date, history_type, *chunk])


def write(plans: list[Planned], *, qpv_index: QPVIndex | None = None) -> list[int]:
    """Write the planned changes; returns the ids of the created and updated places. Call inside a transaction."""
    now = timezone.now()
    created = [p for p in plans if p.action == "created"]
    updated = [p for p in plans if p.action == "updated"]
    Structure.objects.bulk_create([p.structure for p in created], batch_size=BATCH)
    _history([p.structure.pk for p in created], "+", now)
    if updated:
        fields = {"updated_at", "slug", "commune", "location", "location_is_approximate", "commune_is_approximate",
                  "source_location", "hours_vary"}
        for planned in updated:
            fields.update(planned.changed)
            planned.structure.updated_at = now
        Structure.objects.bulk_update([p.structure for p in updated], sorted(fields), batch_size=BATCH)
        _history([p.structure.pk for p in updated], "~", now)
    touched = created + updated

    def replace(model, rows_of, planned_rows, columns):
        ids = [p.structure.pk for p in planned_rows if p.action == "updated"]
        for chunk in chunks(ids, BATCH):
            model.objects.filter(structure_id__in=chunk).delete()
        _insert_many(model._meta.db_table, columns, [row for p in planned_rows for row in rows_of(p)])

    replace(Structure.terms.through, lambda p: [(p.structure.pk, pk) for pk in p.term_ids],
            [p for p in touched if p.terms_changed], ["structure_id", "term_id"])
    replace(Structure.service_area.through, lambda p: [(p.structure.pk, code) for code in p.item.service_area],
            [p for p in touched if p.area_changed], ["structure_id", "commune_id"])
    slots: dict[str, list] = {}

    def slot_rows(p):
        if p.structure.horaires not in slots:
            slots[p.structure.horaires] = hours.weekly_slots(p.structure.horaires)
        return [(p.structure.pk, *slot) for slot in slots[p.structure.horaires]]

    replace(WeeklySlot, slot_rows, [p for p in touched if p.action == "created" or "horaires" in p.changed],
            ["structure_id", "weekday", "opens", "closes"])
    moved = [p for p in touched if p.relocated]
    if moved:
        qpv_index = qpv_index or QPVIndex()
        replace(StructureQPV, lambda p: [] if p.structure.location is None else [
            (p.structure.pk, code, distance) for code, distance in qpv_index.nearby(p.structure.location)],
            moved, ["structure_id", "qpv_id", "distance_m"])
    terms = {term.pk: term for term in Term.objects.all()}
    for planned in touched:
        planned.structure._prefetched_objects_cache = {"terms": [terms[pk] for pk in planned.term_ids]}
    search_index._write(search_index.documents([p.structure for p in touched]))
    return [p.structure.pk for p in touched]


def write_all(items: list[Item], report, *, lookups: CommuneLookups, progress: Progress | None = None) -> list[int]:
    """Plan outside any transaction, then write in one; the report gets the counts. Returns touched ids.

    Raises RowError for a row that cannot be stored and DatabaseError when the write fails (nothing stays).
    """

    plans = plan(items, lookups, progress)
    for planned in plans:
        setattr(report, planned.action, getattr(report, planned.action) + 1)
        if planned.action == "updated":
            report.changes.append(RowChange(planned.item.number, planned.structure.pk, planned.structure.nom,
                                            planned.field_changes))
    if progress:
        progress("ecriture", 0, len(plans))
    points = [p.structure.location for p in plans if p.relocated and p.structure.location is not None]
    qpv_index = QPVIndex(extent=(min(pt.x for pt in points), min(pt.y for pt in points),
                                 max(pt.x for pt in points), max(pt.y for pt in points))) if points else None
    with transaction.atomic():
        start = folding_report.before()
        touched = write(plans, qpv_index=qpv_index)
        report.duplicates = _duplicates(touched)
        honest_facts.refresh_blanket_claims(pks=touched)
        folding.refresh(pks=touched)  # one card per place: sure duplicates fold (actors/duplicates/folding.py)
        quality.refresh(pks=touched)
        outcome = folding_report.outcome(start, {p.structure.pk: p.item.number for p in plans},
                                         {p.structure.pk for p in plans if p.action == "created"})
        report.pairs_stored, report.hidden_new, report.replaced = (
            len(outcome.pairs), len(outcome.hidden_new), len(outcome.replaced))
        report.folding = folding_report.lines(outcome, applied=report.applied)
        if not report.applied:
            transaction.set_rollback(True)
    return touched


def _duplicates(touched: list[int]):

    return record_duplicates(touched)


def items_from(valid, *, standard: bool) -> list[Item]:
    """Items from the importer's (LegacyRow, ParsedRow) pairs; standard rows may carry the extension columns."""
    items = []
    for legacy, parsed in valid:
        area = legacy.service_area
        slug = ""
        if standard:
            area = extensions.service_area(legacy.row) if area is None else area
            slug = extensions.requested_slug(legacy.row)
        items.append(Item(legacy.number, parsed.values, parsed.terms, area, slug, legacy.located))
    return items


__all__ = ["CommuneIndex", "DatabaseError", "Item", "RowError", "items_from", "plan", "write", "write_all"]
