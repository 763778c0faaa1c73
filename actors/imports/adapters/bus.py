"""Stops of the Charente France Services bus (JSON, one record per stop, BAN geocoding columns).

Decision: each stop is a place of its own (a point, a weekday, its hours, its week parity), because that
is what a social worker refers someone to ("the bus is in Tusson on odd Tuesdays"). Each stop is marked
`Itinérant`, its parent is the bus's operator, and its service area is the set of communes of the whole
tour, so a search by commune finds the bus wherever it stops. Week parity ("Semaine impaire / paire")
becomes an OSM week rule (`week 01-53/2`, `week 02-52/2`).
"""

import re

from actors.imports import common, vocabulary
from actors.imports.common import Conversion, LegacyRow
from actors.imports.reading import Table

NAME = "bus"
SOURCE = "Bus France Services de Charente"
COLUMNS = {"id", "SIRET", "nom", "code_insee", "horaires", "ouverture", "result_citycode"}
PARITY = {"semaine impaire": "week 01-53/2", "semaine paire": "week 02-52/2"}


def detect(columns: set[str]) -> bool:
    return COLUMNS <= columns


def with_parity(horaires: str, ouverture: str, conversion: Conversion) -> str:
    if not ouverture:
        return horaires
    prefix = PARITY.get(ouverture.lower())
    if prefix is None:
        conversion.unmapped("ouverture", ouverture)
        return horaires
    rules = [rule.strip() for rule in horaires.split(";") if rule.strip()]
    return "; ".join(rule if re.match(r"PH\b", rule) else f"{prefix} {rule}" for rule in rules)


def convert(table: Table, conversion: Conversion) -> list[LegacyRow]:
    tour = sorted({common.insee(record.get("code_insee")) for record in table.records} - {""})
    rows = []
    for number, record in enumerate(table.records, start=1):
        row = common.empty_row()
        row["id"] = common.text(record.get("id"))
        row["source"] = common.text(record.get("source"))  # the producer the row names, if any
        row["pivot"] = common.pivot(record.get("SIRET"), conversion, number, "SIRET")
        row["nom"] = common.text(record.get("nom")).replace("[", "").replace("]", "")
        row["commune"] = common.text(record.get("commune"))
        row["code_postal"] = common.postcode(record.get("code_postal"))
        row["code_insee"] = common.insee(record.get("code_insee"))
        row["adresse"] = common.text(record.get("adresse"))
        row["complement_adresse"] = common.text(record.get("complement_adresse"))
        row["latitude"], row["longitude"] = common.coordinates(
            record.get("latitude"), record.get("longitude"), conversion, number
        )
        row["telephone"] = common.phone(record.get("telephone"), conversion, number, postcode=row["code_postal"])
        row["courriels"] = common.emails(record.get("courriel"))
        row["site_web"] = common.website(record.get("site_web"))
        row["horaires"] = with_parity(common.text(record.get("horaires")), common.text(record.get("ouverture")),
                                      conversion)
        row["presentation_resume"] = common.text(record.get("presentation_resume"))
        row["itinerance"] = "Itinérant"
        row["structure_parente"] = common.text(record.get("structure_parente"))
        row["date_maj"] = common.text(record.get("date_maj")) or common.undated(conversion)
        row["services"] = common.joined(
            conversion.map_values("services", common.split(record.get("services")), vocabulary.SERVICES_V0)
        )
        row["dispositif_programmes_nationaux"] = common.joined(conversion.map_values(
            "labels_nationaux", common.split(record.get("labels_nationaux")), vocabulary.LABELS_V0
        ))
        rows.append(LegacyRow(number, row, service_area=tour))
    return rows
