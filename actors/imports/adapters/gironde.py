"""Bordeaux Métropole / Gironde directory (JSON, French column names, no id, no hours).

Keys: "Dernière MAJ" (dd/mm/yyyy), "Lieu", "Type Structure", "Commune", "Adresse postale" (street, postcode
and city in one cell), "Email", "Description", "Site internet", "Téléphone", "Coord. X" (the latitude),
"Coord. Y" (the longitude), "services" (" / "-joined), "equipements". The id is a digest of the name and
address, stable across re-runs.
"""

import datetime as dt

from django.utils.translation import gettext as _

from actors.imports import common, vocabulary
from actors.imports.common import Conversion, LegacyRow
from actors.imports.reading import Table
from actors.vocabulary.enums import UNKNOWN_PIVOT

NAME = "gironde"
SOURCE = "Annuaire de l'inclusion numérique de la Gironde"
COLUMNS = {"Lieu", "Type Structure", "Adresse postale", "Coord. X", "Coord. Y"}


def detect(columns: set[str]) -> bool:
    return COLUMNS <= columns


def iso_date(value: str, conversion: Conversion, number: int) -> str:
    try:
        return dt.datetime.strptime(value, "%d/%m/%Y").date().isoformat()
    except ValueError:
        conversion.note(number, "Dernière MAJ", _("Date illisible « %(value)s ».") % {"value": value})
        return common.undated(conversion)


def convert(table: Table, conversion: Conversion) -> list[LegacyRow]:
    rows = []
    for number, record in enumerate(table.records, start=1):
        row = common.empty_row()
        address = common.text(record.get("Adresse postale"))
        street, postcode, _city = common.split_address(address)
        row["id"] = common.stable_id(common.text(record.get("Lieu")), address)
        row["pivot"] = UNKNOWN_PIVOT
        row["nom"] = common.text(record.get("Lieu"))
        row["commune"] = common.text(record.get("Commune"))
        row["adresse"] = street
        row["code_postal"] = postcode or common.postcode_of(row["commune"], "33")
        row["latitude"], row["longitude"] = common.coordinates(
            record.get("Coord. X"), record.get("Coord. Y"), conversion, number
        )
        types = conversion.map_values("Type Structure", [common.text(record.get("Type Structure"))],
                                      vocabulary.TYPES_DIRECTORIES)
        row["typologie"] = vocabulary.typology_from_name(row["nom"]) or common.joined(types)
        row["telephone"] = common.phone(record.get("Téléphone"), conversion, number, postcode=row["code_postal"])
        row["courriels"] = common.emails(record.get("Email"))
        row["site_web"] = common.website(record.get("Site internet"))
        detail = str(record.get("Description") or "").strip()
        equipment = common.text(record.get("equipements"))
        if equipment:
            detail = "\n\n".join(filter(None, [detail, f"Équipements : {equipment}"]))
        row["presentation_detail"] = detail
        row["date_maj"] = iso_date(common.text(record.get("Dernière MAJ")), conversion, number)
        row["services"] = common.joined(conversion.map_values(
            "services", common.split(record.get("services"), " / "), vocabulary.SERVICES_DIRECTORIES
        ))
        rows.append(LegacyRow(number, row))
    return rows
