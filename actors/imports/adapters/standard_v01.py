"""The standard « Lieux de médiation numérique » v0.1 (2021–2022), converted to v1.0.

Schema: ../shared/data/schema/lieux-mediation-numerique-v0.1/Schema_V0.1.json; the changes are listed in
the v1 folder's « descriptif-des-evolutions ». Recognised by its columns (`courriel`, `publics_accueillis`,
`conditions_acces`, `labels_nationaux`, `labels_autres`, `accessibilite`, `cle_ban`, no v1-only column),
or, when a file has only the columns both versions share, by its `services` values: the 15 v0.1 services
(« Prendre en main un ordinateur »…) instead of the 9 of v1.

Conversion, column by column (lists are `;`-joined in v0.1, `|`-joined in v1):
- services: the 15 services → the 9 of v1 (`vocabulary.SERVICES_V0`);
- publics_accueillis → publics_specifiquement_adresses and prise_en_charge_specifique (`PUBLICS_V0`);
- conditions_acces → frais_a_charge (« Adhésion » counts as « Payant »; « Accepte le Pass numérique » has
  no v1 value and is kept as the label « Pass numérique »);
- labels_nationaux → dispositif_programmes_nationaux or formations_labels; labels with no v1 value (APTIC,
  Relais pôle emploi, French Tech, Campus connecté) and labels_autres → autres_formations_labels (kept as
  text, never lost);
- modalites_accompagnement → the v1 values (`ACCOMPAGNEMENT_V0`);
- courriel → courriels, accessibilite → fiche_acces_libre, site_web separated by « , » → « | »;
- presentation_resume: 500 characters in v0.1, 280 in v1: a longer summary is cut at a word with « … » and
  its full text put first in presentation_detail;
- pivot: SIRET or RNA (W + 9 digits) kept; cle_ban has no v1 column: ignored, its fill count in the report;
- source: the row's own `source` (the producer), as in v1.
"""

import re

from django.utils.translation import gettext as _

from actors.imports import common, vocabulary
from actors.imports.common import Conversion, LegacyRow
from actors.imports.reading import Table
from actors.standard import exported_values
from territories.text import fold

NAME = "standard-v0.1"
SOURCE = "Fichier au standard v0.1"
COLUMNS = {"id", "nom", "services"}
V01_ONLY = {"courriel", "publics_accueillis", "conditions_acces", "labels_nationaux", "labels_autres",
            "accessibilite", "cle_ban"}
# Columns of v0.1 that the data·inclusion publication of 2023 lacks: their presence says « v0.1 » first.
V01_FULL = {"cle_ban", "labels_autres", "accessibilite", "structure_parente"}
V1_ONLY = {"courriels", "frais_a_charge", "dispositif_programmes_nationaux", "formations_labels", "modalites_acces",
           "fiche_acces_libre", "publics_specifiquement_adresses", "prise_en_charge_specifique", "itinerance",
           "autres_formations_labels"}
RESUME_MAX = 280

LABELS = {
    "france services": ("dispositif_programmes_nationaux", "France Services"),
    "cnfs": ("dispositif_programmes_nationaux", "Conseillers numériques"),
    "aidants connect": ("dispositif_programmes_nationaux", "Aidants Connect"),
    "grandes ecoles du numerique": ("dispositif_programmes_nationaux", "Grande école du numérique"),
    "point relais caf": ("dispositif_programmes_nationaux", "Point d'accès numérique CAF"),
    "point numerique caf": ("dispositif_programmes_nationaux", "Point d'accès numérique CAF"),
    "fabriques de territoire": ("formations_labels", "Fabriques de Territoire"),
    # No v1 value: kept as text.
    "aptic": ("autres_formations_labels", "APTIC"),
    "relais pole emploi": ("autres_formations_labels", "Relais pôle emploi"),
    "french tech": ("autres_formations_labels", "French Tech"),
    "campus connecte": ("autres_formations_labels", "Campus connecté"),
}


def detect(columns: set[str]) -> bool:
    return COLUMNS <= columns and bool(columns & V01_ONLY) and not columns & V1_ONLY


def detect_first(columns: set[str]) -> bool:
    """A full v0.1 header: tried before the data·inclusion adapter, whose columns are a subset of v0.1's."""
    return detect(columns) and bool(columns & V01_FULL)


def has_v01_services(table: Table) -> bool:
    """A header both versions share: the `services` values tell (most are v0.1's, none is v1's)."""
    if "services" not in table.columns:
        return False
    old = new = 0
    v1 = {fold(value) for value in exported_values()["services"]}
    for record in table.records[:200]:
        for value in re.split(r"[;|]", str(record.get("services") or "")):
            folded = fold(value.strip())
            old += folded in vocabulary.SERVICES_V0
            new += folded in v1
    return old > 0 and new == 0


def _resume(row: dict, record: dict, conversion: Conversion, number: int) -> None:
    resume = common.text(record.get("presentation_resume"))
    detail = str(record.get("presentation_detail") or "").strip()
    if len(resume) > RESUME_MAX:
        cut = resume[: RESUME_MAX - 1].rsplit(" ", 1)[0].rstrip(" ,;.") + "…"
        detail = resume if not detail else f"{resume}\n\n{detail}"
        conversion.note(number, "presentation_resume", _(
            "Présentation résumée de %(length)s caractères (500 permis en v0.1, 280 en v1) : coupée, texte "
            "complet repris dans la présentation détaillée.") % {"length": len(resume)})
        resume = cut
    row["presentation_resume"], row["presentation_detail"] = resume, detail


def _pivot(value, conversion: Conversion, number: int) -> str:
    rna = common.text(value).upper().replace(" ", "")
    if re.fullmatch(r"W\d{9}", rna):
        return rna
    return common.pivot(value, conversion, number)


def convert(table: Table, conversion: Conversion) -> list[LegacyRow]:
    conversion.file_notes.append(_(
        "Fichier au standard v0.1 (2021-2022) converti en v1.0 : 15 services → 9, publics accueillis → publics "
        "spécifiquement adressés et prise en charge spécifique, conditions d'accès → frais à charge, labels "
        "nationaux → dispositifs et labels, courriel → courriels, accessibilite → fiche_acces_libre."))
    ban = sum(1 for record in table.records if common.text(record.get("cle_ban")))
    if ban:
        conversion.file_notes.append(_(
            "Colonne « cle_ban » ignorée (%(count)s valeurs) : le standard v1 n'a pas de colonne pour la clé BAN.")
            % {"count": ban})
    rows = []
    for number, record in enumerate(table.records, start=1):
        row = common.empty_row()
        for column in ("id", "nom", "commune", "adresse", "complement_adresse", "horaires", "date_maj", "source",
                       "structure_parente"):
            row[column] = common.text(record.get(column))
        _resume(row, record, conversion, number)
        row["pivot"] = _pivot(record.get("pivot"), conversion, number)
        row["code_postal"] = common.postcode(record.get("code_postal"))
        row["code_insee"] = common.insee(record.get("code_insee"))
        row["latitude"], row["longitude"] = common.coordinates(
            record.get("latitude"), record.get("longitude"), conversion, number)
        codes = conversion.map_values("typologie", common.split(record.get("typologie")),
                                      {code: (code,) for code in vocabulary.TYPOLOGY_CODES}, key=str.strip)
        row["typologie"] = common.joined(codes) or vocabulary.typology_from_name(row["nom"])
        row["telephone"] = common.phone(record.get("telephone"), conversion, number)
        row["courriels"] = common.emails(record.get("courriel"))
        row["site_web"] = common.joined(
            common.website(part) for part in str(record.get("site_web") or "").split(","))
        row["fiche_acces_libre"] = common.website(record.get("accessibilite")).split("|")[0]
        row["prise_rdv"] = common.website(record.get("prise_rdv")).split("|")[0]
        row["services"] = common.joined(
            conversion.map_values("services", common.split(record.get("services")), vocabulary.SERVICES_V0))
        publics = conversion.map_values("publics_accueillis", common.split(record.get("publics_accueillis")),
                                        vocabulary.PUBLICS_V0)
        for column in ("publics_specifiquement_adresses", "prise_en_charge_specifique"):
            row[column] = common.joined(value for kind, value in publics if kind == column)
        conditions = common.split(record.get("conditions_acces"))
        row["frais_a_charge"] = common.joined(conversion.map_values(
            "conditions_acces", conditions, vocabulary.CONDITIONS_V0, key=vocabulary.before_colon))
        labels = {"dispositif_programmes_nationaux": [], "formations_labels": [], "autres_formations_labels": []}
        if any(vocabulary.before_colon(value) == "accepte le pass numerique" for value in conditions):
            labels["autres_formations_labels"].append("Pass numérique")
        for value in common.split(record.get("labels_nationaux")):
            found = LABELS.get(fold(value))
            if found is None:
                conversion.unmapped("labels_nationaux", value)
            else:
                labels[found[0]].append(found[1])
        labels["autres_formations_labels"].extend(common.split(record.get("labels_autres")))
        for column, values in labels.items():
            row[column] = common.joined(values)
        row["modalites_accompagnement"] = common.joined(conversion.map_values(
            "modalites_accompagnement", common.split(record.get("modalites_accompagnement")),
            vocabulary.ACCOMPAGNEMENT_V0, key=vocabulary.before_colon))
        rows.append(LegacyRow(number, row))
    return rows
