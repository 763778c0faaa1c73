"""Haute-Vienne directory (JSON): one record per (organisation, service), grouped here into one place.

Keys: objectid, nom_org, label, statut_org, adresse ("3 Cours X, 87000 Limoges"), commune, code_postal,
tel_fixe, tel_mobile, mail, site, categorie, service, condition, horaires (free text), public,
commentaires, latitude, longitude. Records with the same name, address and commune are the same place: their
services are merged, and the place's id is a digest of the three (stable across re-runs).
"""

import re

from django.utils.translation import gettext as _

from actors.imports import common, hours_text, vocabulary
from actors.imports.common import Conversion, LegacyRow
from actors.imports.reading import Table
from actors.opening import hours
from actors.vocabulary.enums import UNKNOWN_PIVOT
from territories.text import fold

NAME = "haute-vienne"
SOURCE = "Annuaire de l'inclusion numérique de la Haute-Vienne"
COLUMNS = {"objectid", "nom_org", "statut_org", "categorie", "service"}

LABELS = {
    "espace public numerique / cyberbase": (("typologie", "EPN"),),
    "france services": (("dispositif_programmes_nationaux", "France Services"),),
    "autre": (),
}
CONDITIONS = {"acces libre": ("Se présenter",)}
CATEGORIES = {
    "acces au materiel et a internet": ("Accès internet et matériel informatique",),
    "accompagnement et formation": (),
}
PUBLICS = {
    "tout public": (), "tous publics": (), "adulte": (), "public majeur": (),
    "public senior": ("Seniors",), "jeunes de 16 a 25 ans": ("Jeunes",),
}


def detect(columns: set[str]) -> bool:
    return COLUMNS <= columns


def convert(table: Table, conversion: Conversion) -> list[LegacyRow]:
    places: dict[str, LegacyRow] = {}
    extras: dict[str, dict[str, list[str]]] = {}
    for number, record in enumerate(table.records, start=1):
        name, address = common.text(record.get("nom_org")), common.text(record.get("adresse"))
        key = common.stable_id(name, address, common.text(record.get("commune")))
        bag = extras.setdefault(key, {column: [] for column in (
            "services", "typologie", "dispositif_programmes_nationaux", "modalites_acces",
            "publics_specifiquement_adresses", "detail", "horaires")})
        bag["services"] += conversion.map_values("service", [common.text(record.get("service"))],
                                                 vocabulary.SERVICES_DIRECTORIES)
        bag["services"] += conversion.map_values("categorie", [common.text(record.get("categorie"))], CATEGORIES)
        for column, value in conversion.map_values("label", common.split(record.get("label"), ","), LABELS):
            bag[column].append(value)
        bag["typologie"] += conversion.map_values("statut_org", [common.text(record.get("statut_org"))],
                                                  vocabulary.TYPES_DIRECTORIES)
        bag["modalites_acces"] += conversion.map_values("condition", [common.text(record.get("condition"))],
                                                        CONDITIONS)
        bag["publics_specifiquement_adresses"] += conversion.map_values(
            "public", [common.text(record.get("public"))], PUBLICS)
        bag["detail"].append(common.text(record.get("commentaires")))
        bag["horaires"].append(common.text(record.get("horaires")))
        if key in places:
            continue
        row = common.empty_row()
        street, postcode, _city = common.split_address(address)
        row["id"], row["pivot"], row["nom"] = key, UNKNOWN_PIVOT, name
        row["commune"] = common.text(record.get("commune"))
        row["adresse"] = street
        if not street and row["commune"]:
            # Some places are only known by their commune (geocoded to the town centre): kept, with the
            # commune as address and the commune centre as an approximate point.
            row["adresse"] = row["commune"]
            record = {**record, "latitude": "", "longitude": ""}
            conversion.note(number, "adresse", _("Adresse absente : la commune seule est connue, position "
                                                 "approximative (centre de la commune)."))
        row["code_postal"] = (common.postcode(record.get("code_postal")) or postcode
                              or common.postcode_of(row["commune"], "87"))
        row["latitude"], row["longitude"] = common.coordinates(
            record.get("latitude"), record.get("longitude"), conversion, number
        )
        row["telephone"] = common.phone(record.get("tel_fixe") or record.get("tel_mobile"), conversion, number,
                                        postcode=row["code_postal"])
        row["courriels"] = common.emails(record.get("mail"))
        row["site_web"] = common.website(record.get("site"))
        row["date_maj"] = common.undated(conversion)
        places[key] = LegacyRow(number, row)
    for key, place in places.items():
        bag, row = extras[key], place.row
        row["services"] = common.joined(bag["services"])
        row["typologie"] = vocabulary.typology_from_name(row["nom"]) or common.joined(bag["typologie"][:1])
        if "EPN" in bag["typologie"] and row["typologie"] != "EPN":
            row["typologie"] = common.joined([row["typologie"], "EPN"])
        for column in ("dispositif_programmes_nationaux", "modalites_acces", "publics_specifiquement_adresses"):
            row[column] = common.joined(bag[column])
        texts = [text for text in dict.fromkeys(bag["horaires"]) if text]
        parsed = [hours_text.french_text(text) for text in texts]
        detail = [text for text in dict.fromkeys(bag["detail"]) if text]
        # Readable hours are the place's (it opens whenever one of its services does); the others describe
        # one service ("une fois par mois", "sur RDV") and stay in the description for the reader.
        readable = [osm for osm in parsed if osm]
        if readable:
            row["horaires"] = union_of_hours(readable)
        unread = [text for text, osm in zip(texts, parsed, strict=True) if not osm]
        for text in unread:
            conversion.unmapped("horaires", text)
        if unread and not common.looks_personal(" ".join(unread)):
            detail.append(common.hours_note(" / ".join(unread)))
        row["presentation_detail"] = "\n".join(detail)
        # The file has no fee column; its comments say "Atelier gratuit" where a service is free.
        if any(FREE.search(fold(text)) for text in detail):
            row["frais_a_charge"] = "Gratuit"
    return list(places.values())


FREE = re.compile(r"\bgratuite?s?\b")


def union_of_hours(osm_values: list[str]) -> str:
    """One place listed once per service, each with its hours: the place is open whenever one service is."""
    if len(set(osm_values)) == 1:
        return osm_values[0]
    per_day: dict[int, list[tuple[int, int]]] = {}
    for value in osm_values:
        for day, opens, closes in hours.weekly_slots(value):
            per_day.setdefault(day, []).append((opens, closes))
    merged: dict[int, str] = {}
    for day, intervals in per_day.items():
        spans: list[list[int]] = []
        for opens, closes in sorted(intervals):
            if spans and opens <= spans[-1][1]:
                spans[-1][1] = max(spans[-1][1], closes)
            else:
                spans.append([opens, closes])
        merged[day] = ",".join(f"{o // 60:02d}:{o % 60:02d}-{c // 60:02d}:{c % 60:02d}" for o, c in spans)
    return hours_text.compact(merged)
