"""The bulk write applies structure_upsert's rules: derived data follows every change, history is kept."""

import csv
import io

import pytest

from actors.core import search_index
from actors.core.locate import find_commune, nearby_qpvs
from actors.imports import import_file
from actors.models import Structure
from actors.opening import hours
from actors.standard import columns
from tests.fixtures.standard import generated_standard_rows

pytestmark = pytest.mark.django_db


def as_file(rows: list[dict]) -> io.BytesIO:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=[*columns(), "slug"], extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return io.BytesIO(out.getvalue().encode())


def derived(structure: Structure) -> dict:
    return {
        "slots": sorted((s.weekday, s.opens, s.closes) for s in structure.slots.all()),
        "qpvs": sorted((link.qpv_id, link.distance_m) for link in structure.qpv_links.all()),
        "commune": structure.commune_id,
    }


def expected(structure: Structure) -> dict:
    """The oracle: the derivations recomputed by the functions structure_upsert itself calls."""
    return {
        "slots": sorted(hours.weekly_slots(structure.horaires)),
        "qpvs": sorted((qpv.pk, distance) for qpv, distance in nearby_qpvs(structure.location))
        if structure.location else [],
        "commune": getattr(find_commune(structure.code_insee, structure.code_postal, structure.commune_nom,
                                        None if structure.location_is_approximate else structure.location), "pk", None),
    }


def test_an_update_rebuilds_what_derives_from_the_changed_values_and_keeps_history(vienne, terms):
    rows = [row for row in generated_standard_rows(12) if row["code_postal"].startswith("86")]
    assert import_file(as_file(rows), "lieux.csv", apply=True).created == len(rows)
    first = rows[0]
    before = Structure.objects.get(source_id=first["id"])
    history = before.history.count()
    first.update(date_maj="2026-01-05", nom="Espace numérique des Couronneries", horaires="Mo-Sa 08:00-20:00",
                 latitude="46.5880", longitude="0.3550", services="Aide aux démarches administratives")
    report = import_file(as_file(rows), "lieux.csv", apply=True)
    assert (report.created, report.updated, report.unchanged) == (0, 1, len(rows) - 1)
    after = Structure.objects.get(source_id=first["id"])
    assert after.slug == "espace-numerique-des-couronneries-poitiers"  # renamed: new slug, as structure_upsert
    assert after.term_codes("services") == ["aide-aux-demarches-administratives"]
    assert after.history.count() == history + 1 and after.history.first().history_type == "~"
    for structure in Structure.objects.all():
        assert derived(structure) == expected(structure), structure.source_id
    assert [q for q, _d in derived(after)["qpvs"]] == ["QN08601M"]  # moved next to the QPV
    assert Structure.objects.filter(search_index.matches("Couronneries")).get() == after  # search index updated


def test_a_slug_asked_for_is_used_when_free_and_kept_on_reimport(vienne, terms):
    rows = [row for row in generated_standard_rows(6) if row["code_postal"].startswith("86")]
    rows[0]["slug"] = "mediatheque-qr-code-imprime"
    rows[1]["slug"] = "mediatheque-qr-code-imprime"  # the same slug twice: the second gets a derived one
    import_file(as_file(rows), "lieux.csv", apply=True)
    first, second = (Structure.objects.get(source_id=row["id"]) for row in rows[:2])
    assert first.slug == "mediatheque-qr-code-imprime"
    assert second.slug.startswith("lieu-numero-1")
    assert import_file(as_file(rows), "lieux.csv", apply=True).unchanged == len(rows)
