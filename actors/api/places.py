"""A place as the API gives it: the national standard's row (actors/standard), then this directory's own facts.

The standard's columns come first under their own names and string values, exactly as in the JSON export
(actors/open_data), so a client of the files reads the API unchanged; `slug`, `url`, `fraicheur`, `ouverture`,
`modifie_le` and `version` follow. Nothing here reads contact persons: the standard has no column for them.
"""

import datetime as dt

from django.urls import reverse

from actors.directory.views import decorate
from actors.models import Structure
from actors.standard import extensions, structure_to_row


def with_relations(queryset):
    return queryset.select_related("commune").prefetch_related("terms", "service_area")


def item(structure: Structure) -> dict:
    """One decorated structure (actors.directory.views.decorate: opening status and freshness)."""
    row = structure_to_row(structure)
    row.update(extensions.extension_values(structure.slug, [c.pk for c in structure.service_area.all()]))
    freshness = structure.status.freshness
    return {
        **row,
        # The standard's `nom` stays as published (as in the exports); pages show this one (Structure.display_name).
        "nom_affiche": structure.display_name,
        "url": reverse("actors:detail", args=[structure.slug]),
        "fraicheur": {"a_verifier": freshness.stale, "date": freshness.date.isoformat() if freshness.date else None,
                      "libelle": str(freshness.label)},
        "ouverture": {"ouvert": structure.status.opening.is_open, "libelle": str(structure.status.opening.label)},
        "modifie_le": structure.updated_at.isoformat(),
        # The token a correction sends back (actors.core.locking): a place changed since is refused.
        "version": structure.updated_at.isoformat(),
    }


def items(rows: list[Structure], now: dt.datetime) -> list[dict]:
    decorate(rows, now)
    return [item(row) for row in rows]


def feature(data: dict) -> dict:
    """A GeoJSON feature: the exact point only, as the standard's latitude and longitude (null when unknown)."""
    geometry = None
    if data.get("latitude") and data.get("longitude"):
        geometry = {"type": "Point", "coordinates": [float(data["longitude"]), float(data["latitude"])]}
    return {"type": "Feature", "id": data["id"], "geometry": geometry, "properties": data}

