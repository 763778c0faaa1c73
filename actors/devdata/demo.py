"""The Nouvelle-Aquitaine demo: built from the eight real files by the importer, restored in seconds.

`build_demo` imports the files of actors/data/demo/sources/ with the importer (the same adapters,
validation and `structure_upsert` as any import), then saves a snapshot of the result, derived data
included (commune, approximate points, weekly slots, service areas, duplicate pairs), to
actors/data/demo/demo.json.gz. `load_demo` restores that snapshot with bulk inserts, measuring only the QPV
links again (in memory, territories.qpv_distance), which is what makes it fast; places already present
(same source and id) are left as they are, so a second run changes nothing.
"""

import gzip
import json
from pathlib import Path

from django.contrib.gis.geos import Point
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from actors.core import honest_facts, quality, search_index
from actors.core.writes import QPVIndex
from actors.duplicates import folding
from actors.imports import hours_text
from actors.imports.common import hours_note
from actors.models import DuplicateCandidate, Structure, StructureQPV, Term, WeeklySlot
from actors.opening import hours
from territories.models import Commune

DEMO_DIR = Path(__file__).resolve().parent.parent / "data" / "demo"
SOURCES_DIR = DEMO_DIR / "sources"
SNAPSHOT = DEMO_DIR / "demo.json.gz"
# Import order: the national lists first, then the local directories (the order only affects pks).
SOURCE_FILES = [
    "france_services_2022-12-01_nouvelle-aquitaine.csv",
    "cnfs_permanences_2022-12_nouvelle-aquitaine.csv",
    "lieux_mednum_via_data_inclusion_2023-02_nouvelle-aquitaine.csv",
    "gironde_33.json",
    "haute_vienne_87.json",
    "la_creuse_23.json",
    "fibre64_pyrenees_atlantiques_64.json",
    "bus_france_services_charente_16.json",
]
SKIPPED = {"id", "slug", "commune", "location", "created_at", "updated_at", "hours_vary",
           "folded_into", "source_location", "blanket_claims", "quality"}  # derived on load (hours, honesty, folding)
COPIED = [f.name for f in Structure._meta.concrete_fields if f.name not in SKIPPED]


class TerritoriesMissing(RuntimeError):
    pass


def snapshot(sources: list[str]) -> dict:
    """The demo structures of `sources`, with their derived data, keyed by (source, source_id)."""
    structures = (
        Structure.objects.filter(source__in=sources)
        .prefetch_related("terms", "service_area", "slots")
        .order_by("source", "source_id")
    )
    keys, records = {}, []
    for structure in structures:
        keys[structure.pk] = [structure.source, structure.source_id]
        record = {name: getattr(structure, name) for name in COPIED}
        record["date_maj"] = structure.date_maj.isoformat()
        record["verified_at"] = None
        record.update(
            slug=structure.slug, commune=structure.commune_id,
            location=[structure.location.x, structure.location.y] if structure.location else None,
            terms=sorted([term.kind, term.code] for term in structure.terms.all()),
            service_area=sorted(commune.pk for commune in structure.service_area.all()),
            slots=[[slot.weekday, slot.opens, slot.closes] for slot in structure.slots.all()],
        )
        records.append(record)
    pairs = [
        [keys[c.first_id], keys[c.second_id], c.score, c.reasons]
        for c in DuplicateCandidate.objects.filter(first_id__in=keys, second_id__in=keys).order_by("-score", "pk")
    ]
    return {"structures": records, "duplicates": pairs}


def write_snapshot(data: dict, path: Path = SNAPSHOT) -> None:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # mtime=0: the same data gives the same bytes, so rebuilding does not show up as a change in git.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as stream:
        stream.write(text.encode("utf-8"))


def read_snapshot(path: Path = SNAPSHOT) -> dict:
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        return json.load(stream)


@transaction.atomic
def _tidy_hours(record: dict) -> None:
    """The snapshot predates the importer's rule on empty ranges ("14:00-14:00" says no hour): apply it as an
    import of the same file would, so that the demo exports and imports back unchanged."""
    if not hours_text.ZERO_RANGE.search(record["horaires"] or ""):
        return
    kept, dropped = hours_text.degrade_osm(record["horaires"])
    if dropped:
        record["horaires"] = kept
        record["slots"] = [list(slot) for slot in hours.weekly_slots(kept)]
        note = hours_note(" ; ".join(dropped))
        record["presentation_detail"] = "\n".join(filter(None, [record.get("presentation_detail", ""), note]))


def restore(data: dict) -> dict[str, int]:
    """Create the snapshot's structures that are missing; returns counts. Raises TerritoriesMissing."""
    records = data["structures"]
    wanted_communes = {r["commune"] for r in records if r["commune"]}
    known_communes = set(Commune.objects.filter(pk__in=wanted_communes).values_list("pk", flat=True))
    if len(known_communes) < len(wanted_communes):
        raise TerritoriesMissing(len(wanted_communes) - len(known_communes))
    sources = sorted({r["source"] for r in records})
    existing = set(Structure.objects.filter(source__in=sources).values_list("source", "source_id"))
    missing = [r for r in records if (r["source"], r["source_id"]) not in existing]
    counts = {"total": len(records), "created": len(missing), "duplicates": 0}
    if not missing:
        return counts
    taken = set(Structure.objects.filter(slug__in=[r["slug"] for r in missing]).values_list("slug", flat=True))
    today = timezone.localdate()
    structures = []
    for record in missing:
        _tidy_hours(record)
        values = {name: record[name] for name in COPIED if name in record}  # fields added later: defaults
        slug = record["slug"]
        while slug in taken:  # a place created by hand took the slug: keep both, as unique_slug would
            slug = f"{record['slug']}-demo{len(taken)}"
        taken.add(slug)
        location = Point(*record["location"], srid=4326) if record["location"] else None
        structures.append(Structure(slug=slug, commune_id=record["commune"], location=location,
                                    hours_vary=hours.varies(record["horaires"], today), **values))
    created = bulk_create_with_history(structures, Structure, batch_size=500)
    rows = Structure.objects.filter(source__in=sources).values_list("source", "source_id", "pk")
    by_key = {(source, source_id): pk for source, source_id, pk in rows}
    _restore_links(missing, by_key)
    counts["duplicates"] = _restore_duplicates(data["duplicates"], by_key)
    search_index.index_structures([by_key[(r["source"], r["source_id"])] for r in missing])
    # Honest facts and folding are derived here rather than shipped in the snapshot: the rules can change
    # without rebuilding it (about 1 s for the 2,162 places).
    counts.update(honest_facts.refresh())
    counts["folded"] = folding.refresh().copies
    quality.refresh()
    counts["created"] = len(created)
    return counts


def _restore_links(records: list[dict], by_key: dict) -> None:
    term_ids = {(t.kind, t.code): t.pk for t in Term.objects.all()}
    terms, areas, slots, points = [], [], [], []
    for record in records:
        pk = by_key[(record["source"], record["source_id"])]
        terms += [Structure.terms.through(structure_id=pk, term_id=term_ids[tuple(t)]) for t in record["terms"]]
        areas += [Structure.service_area.through(structure_id=pk, commune_id=code) for code in record["service_area"]]
        slots += [WeeklySlot(structure_id=pk, weekday=d, opens=o, closes=c) for d, o, c in record["slots"]]
        if record["location"]:
            points.append((pk, Point(*record["location"], srid=4326)))
    Structure.terms.through.objects.bulk_create(terms, batch_size=1000)
    Structure.service_area.through.objects.bulk_create(areas, batch_size=1000)
    WeeklySlot.objects.bulk_create(slots, batch_size=1000)
    # QPV links are measured again rather than restored: the rule (territories.qpv_distance) can change
    # without rebuilding the snapshot, and the QPV loaded may differ from those the snapshot was built with.
    if points:
        index = QPVIndex(extent=(min(p.x for _pk, p in points), min(p.y for _pk, p in points),
                                 max(p.x for _pk, p in points), max(p.y for _pk, p in points)))
        StructureQPV.objects.bulk_create(
            [StructureQPV(structure_id=pk, qpv_id=code, distance_m=metres)
             for pk, point in points for code, metres in index.nearby(point)], batch_size=1000)


def _restore_duplicates(pairs: list, by_key: dict) -> int:
    candidates = []
    for first, second, score, reasons in pairs:
        a, b = by_key.get(tuple(first)), by_key.get(tuple(second))
        if a and b and a != b:
            a, b = min(a, b), max(a, b)
            candidates.append(DuplicateCandidate(first_id=a, second_id=b, score=score, reasons=reasons))
    return len(DuplicateCandidate.objects.bulk_create(candidates, ignore_conflicts=True, batch_size=1000))
