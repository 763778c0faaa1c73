"""Lieux de médiation numérique as published through data·inclusion (2023): v0 vocabularies, `;`-joined.

data·inclusion aggregates several producers: each row's `source` (conseiller-numerique, dora, siao…)
names its producer, and ids are unique only within a producer. The row's source is kept as the key's
source, never the aggregator's name (two producers' "1568" are two places).

Columns: id, nom, pivot, typologie (codes), commune, code_postal, code_insee, adresse, complement_adresse,
latitude, longitude, services, horaires, telephone, courriel, site_web, prise_rdv, presentation_resume,
presentation_detail, publics_accueillis, conditions_acces, modalites_accompagnement, labels_nationaux,
source, date_maj.
"""

from actors.imports import common, vocabulary
from actors.imports.common import Conversion, LegacyRow
from actors.imports.reading import Table

NAME = "data-inclusion"
SOURCE = "data·inclusion (lieux de médiation numérique)"
COLUMNS = {"id", "nom", "typologie", "publics_accueillis", "conditions_acces", "labels_nationaux", "services"}


def detect(columns: set[str]) -> bool:
    return COLUMNS <= columns


def convert(table: Table, conversion: Conversion) -> list[LegacyRow]:
    rows = []
    for number, record in enumerate(table.records, start=1):
        row = common.empty_row()
        for column in ("id", "source", "nom", "commune", "adresse", "complement_adresse", "horaires", "date_maj",
                       "presentation_resume", "presentation_detail"):
            row[column] = common.text(record.get(column))
        row["pivot"] = common.pivot(record.get("pivot"), conversion, number)
        row["code_postal"] = common.postcode(record.get("code_postal"))
        row["code_insee"] = common.insee(record.get("code_insee"))
        row["latitude"], row["longitude"] = common.coordinates(
            record.get("latitude"), record.get("longitude"), conversion, number
        )
        codes = conversion.map_values(
            "typologie", common.split(record.get("typologie")), {c: (c,) for c in vocabulary.TYPOLOGY_CODES},
            key=str.strip,
        )
        row["typologie"] = common.joined(codes) or vocabulary.typology_from_name(row["nom"])
        row["telephone"] = common.phone(record.get("telephone"), conversion, number, postcode=row["code_postal"])
        row["courriels"] = common.emails(record.get("courriel"))
        row["site_web"] = common.website(record.get("site_web"))
        row["prise_rdv"] = common.website(record.get("prise_rdv")).split("|")[0]
        row["services"] = common.joined(
            conversion.map_values("services", common.split(record.get("services")), vocabulary.SERVICES_V0)
        )
        publics = conversion.map_values(
            "publics_accueillis", common.split(record.get("publics_accueillis")), vocabulary.PUBLICS_V0
        )
        for column in ("publics_specifiquement_adresses", "prise_en_charge_specifique"):
            row[column] = common.joined(value for kind, value in publics if kind == column)
        row["frais_a_charge"] = common.joined(conversion.map_values(
            "conditions_acces", common.split(record.get("conditions_acces")), vocabulary.CONDITIONS_V0,
            key=vocabulary.before_colon,
        ))
        row["modalites_accompagnement"] = common.joined(conversion.map_values(
            "modalites_accompagnement", common.split(record.get("modalites_accompagnement")),
            vocabulary.ACCOMPAGNEMENT_V0, key=vocabulary.before_colon,
        ))
        row["dispositif_programmes_nationaux"] = common.joined(conversion.map_values(
            "labels_nationaux", common.split(record.get("labels_nationaux")), vocabulary.LABELS_V0
        ))
        rows.append(LegacyRow(number, row))
    return rows
