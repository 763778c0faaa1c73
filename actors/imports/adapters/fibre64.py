"""Pyrénées-Atlantiques directory (La Fibre 64 survey, JSON; keys are the form's questions without spaces).

Activities are rated "Souvent" / "De temps en temps" / "Exceptionnellement" / "Pas du tout": the first two
make a service of the standard. Ticked boxes ("X") give access modes, accompaniment and itinerance.
The id is a digest of name, address and postcode (stable across re-runs).
"""


from actors.imports import common, hours_text
from actors.imports.common import Conversion, LegacyRow
from actors.imports.reading import Table
from actors.vocabulary.enums import UNKNOWN_PIVOT
from territories.text import fold

NAME = "fibre64"
SOURCE = "Annuaire de l'inclusion numérique des Pyrénées-Atlantiques (La Fibre 64)"
COLUMNS = {"Nomdelastructure", "Adressenumeronomdelavoie", "Codepostal", "Ville"}

ACTIVITIES = {
    "Demarchesadministratives": "Aide aux démarches administratives",
    "InitiationaunumeriqueFormationApprentissagePerfectionnement": "Maîtrise des outils numériques du quotidien",
    "Accesadesequipementsetuneconnexioninternet": "Accès internet et matériel informatique",
}
FREQUENT = {"souvent", "de temps en temps"}
RATINGS = FREQUENT | {"exceptionnellement", "pas du tout", ""}
TICKS = {
    "Enlibreacces": ("modalites_acces", "Se présenter"),
    "Individuellement": ("modalites_accompagnement", "Accompagnement individuel"),
    "Collectivement": ("modalites_accompagnement", "Dans un atelier collectif"),
}


def detect(columns: set[str]) -> bool:
    return COLUMNS <= columns


def fees(value: str, conversion: Conversion) -> str:
    folded = fold(value)
    if not folded or folded == "-":
        return ""
    paying = "euro" in folded.replace("0euro", "") or "adhesion" in folded
    if "gratuit" in folded and "condition" in folded:
        return "Gratuit sous condition"
    if paying:
        return "Payant"
    if "gratuit" in folded or folded == "0euro" or "100% finance" in folded:
        return "Gratuit"
    conversion.unmapped("Lestarifsdemastructure", value)
    return ""


def convert(table: Table, conversion: Conversion) -> list[LegacyRow]:
    rows = []
    for number, record in enumerate(table.records, start=1):
        row = common.empty_row()
        name = common.text(record.get("Nomdelastructure"))
        row["nom"], row["pivot"] = name, UNKNOWN_PIVOT
        row["adresse"] = common.text(record.get("Adressenumeronomdelavoie"))
        row["complement_adresse"] = common.text(record.get("Complementdadresseexquartier..."))
        row["code_postal"] = common.postcode(record.get("Codepostal"))
        row["commune"] = common.text(record.get("Ville"))
        row["id"] = common.stable_id(name, row["adresse"], row["code_postal"])
        row["latitude"], row["longitude"] = common.coordinates(
            record.get("latitude"), record.get("longitude"), conversion, number
        )
        row["telephone"] = common.phone(record.get("Telephone"), conversion, number, postcode=row["code_postal"])
        row["courriels"] = common.emails(record.get("Adressemail"))
        row["site_web"] = common.website(record.get("SiteWeb"))
        services = []
        for column, service in ACTIVITIES.items():
            rating = fold(common.text(record.get(column)))
            if rating in FREQUENT:
                services.append(service)
            elif rating not in RATINGS:
                conversion.unmapped(column, common.text(record.get(column)))
        row["services"] = common.joined(services)
        ticked: dict[str, list[str]] = {}
        for column, (target, value) in TICKS.items():
            if common.text(record.get(column)).upper() == "X":
                ticked.setdefault(target, []).append(value)
        for target, values in ticked.items():
            row[target] = common.joined(values)
        row["itinerance"] = "Itinérant|Fixe" if common.text(record.get("Enitinerance")).upper() == "X" else "Fixe"
        row["frais_a_charge"] = fees(common.text(record.get("Lestarifsdemastructure")), conversion)
        detail = [str(record.get("Jedecrislesactionsdinclusionnumeriquedemastructureenquelquesmots") or "").strip()]
        text = str(record.get("Leshorairesdemastructure") or "").strip()
        if text:
            row["horaires"] = hours_text.french_text(text) or ""
            if not row["horaires"]:
                conversion.unmapped("Leshorairesdemastructure", common.text(text))
            if not row["horaires"] and not common.looks_personal(text):
                detail.append(common.hours_note(common.text(text)))
        row["presentation_detail"] = "\n".join(filter(None, detail))
        row["date_maj"] = common.undated(conversion)
        rows.append(LegacyRow(number, row))
    return rows
