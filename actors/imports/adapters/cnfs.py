"""Permanences of the conseillers numériques (CNFS export, 2022): flat pre-v1 national format.

Columns: id, nom, pivot, commune, code_postal, adresse, latitude, longitude, services (v0, `;`-joined),
horaires (OSM), telephone, courriel, site_web, prise_rdv, conditions_access, labels_nationaux, source,
date_maj, structureId, nb_conseillers.
"""

from actors.imports import common, vocabulary
from actors.imports.common import Conversion, LegacyRow
from actors.imports.reading import Table

NAME = "cnfs"
SOURCE = "Conseillers numériques (ANCT)"
COLUMNS = {"id", "nom", "pivot", "services", "conditions_access", "labels_nationaux", "structureId"}


def detect(columns: set[str]) -> bool:
    return COLUMNS <= columns


def convert(table: Table, conversion: Conversion) -> list[LegacyRow]:
    rows = []
    for number, record in enumerate(table.records, start=1):
        row = common.empty_row()
        row["id"] = common.text(record.get("id"))
        row["source"] = common.text(record.get("source"))  # the producer the row names, if any
        row["pivot"] = common.pivot(record.get("pivot"), conversion, number)
        row["nom"] = common.text(record.get("nom"))
        row["commune"] = common.text(record.get("commune"))
        row["code_postal"] = common.postcode(record.get("code_postal"))
        row["adresse"] = common.text(record.get("adresse"))
        row["latitude"], row["longitude"] = common.coordinates(
            record.get("latitude"), record.get("longitude"), conversion, number
        )
        row["typologie"] = vocabulary.typology_from_name(row["nom"])
        row["telephone"] = common.phone(record.get("telephone"), conversion, number, postcode=row["code_postal"])
        row["courriels"] = common.emails(record.get("courriel"))
        row["site_web"] = common.website(record.get("site_web"))
        row["horaires"] = common.text(record.get("horaires"))
        row["prise_rdv"] = common.website(record.get("prise_rdv")).split("|")[0]
        row["date_maj"] = common.text(record.get("date_maj"))
        row["services"] = common.joined(
            conversion.map_values("services", common.split(record.get("services")), vocabulary.SERVICES_V0)
        )
        row["frais_a_charge"] = common.joined(conversion.map_values(
            "conditions_access", common.split(record.get("conditions_access")), vocabulary.CONDITIONS_V0,
            key=vocabulary.before_colon,
        ))
        row["dispositif_programmes_nationaux"] = common.joined(conversion.map_values(
            "labels_nationaux", common.split(record.get("labels_nationaux")), vocabulary.LABELS_V0
        ))
        rows.append(LegacyRow(number, row))
    return rows
