"""Creuse directory (JSON): workshops of the conseillers numériques, mostly touring village halls.

Keys: id, nom ("<place> - <person>"), description, latitude, longitude, téléphone, adresse, code_postal,
commune, horaires (free text or null), services and modalites_accompagnement (v0, `;`-joined).
Personal data: the file names the conseillers in `nom` and `description`. Names introduced by "par" in a
description, or ending two place names or more after " - ", are people (title-case first and last name):
any "<first name> <their last name>" is replaced by « atelier numérique » (in names) and « le conseiller
numérique » (in descriptions), so that no person's name reaches public pages.
"""

import re
from collections import Counter

from django.utils.translation import gettext as _

from actors.imports import common, hours_text, vocabulary
from actors.imports.common import Conversion, LegacyRow
from actors.imports.reading import Table
from actors.vocabulary.enums import UNKNOWN_PIVOT

NAME = "creuse"
SOURCE = "Annuaire de l'inclusion numérique de la Creuse"
COLUMNS = {"id", "nom", "description", "téléphone", "horaires", "services", "modalites_accompagnement"}


def detect(columns: set[str]) -> bool:
    return COLUMNS <= columns and "pivot" not in columns


PERSON = re.compile(r"(?!(?:La|Le|Les|Du|De|Des|Bus) )[A-ZÉ][a-zà-ÿ-]+ [A-ZÉ][a-zà-ÿ]+")


def touring_people(records: list[dict]) -> set[str]:
    """Last names of the conseillers: "par Prénom Nom" in a description, or "- Prénom Nom" ending 2+ names."""
    tails, named = Counter(), set()
    for record in records:
        parts = common.text(record.get("nom")).rsplit(" - ", 1)
        if len(parts) == 2 and PERSON.fullmatch(parts[1].strip()):
            tails[parts[1].strip()] += 1
        description = str(record.get("description") or "")
        named.update(re.findall(r"par (" + PERSON.pattern + ")", description))
        # Some descriptions are in capitals: "PAR MARIE-PIERRE MERMET".
        named.update(name.title() for name in re.findall(r"PAR ([A-ZÀ-Ý-]{2,} [A-ZÀ-Ý-]{2,})", description))
    people = named | {name for name, count in tails.items() if count >= 2}
    return {name.split(" ", 1)[1] for name in people}


def without_people(value: str, last_names: set[str], replacement: str) -> str:
    if not last_names:
        return value
    pattern = r"[A-ZÉ][\w'’-]* (?:" + "|".join(re.escape(name) for name in sorted(last_names)) + r")\w*"
    return re.sub(pattern, replacement, value, flags=re.IGNORECASE)


def convert(table: Table, conversion: Conversion) -> list[LegacyRow]:
    people = touring_people(table.records)
    rows = []
    for number, record in enumerate(table.records, start=1):
        row = common.empty_row()
        row["id"] = common.text(record.get("id"))
        row["pivot"] = UNKNOWN_PIVOT
        row["nom"] = without_people(common.text(record.get("nom")), people, _("atelier numérique"))
        row["commune"] = common.text(record.get("commune"))
        row["code_postal"] = common.postcode(record.get("code_postal"))
        row["adresse"] = common.text(record.get("adresse"))
        row["latitude"], row["longitude"] = common.coordinates(
            record.get("latitude"), record.get("longitude"), conversion, number
        )
        row["typologie"] = vocabulary.typology_from_name(row["nom"])
        row["telephone"] = common.phone(record.get("téléphone"), conversion, number, postcode=row["code_postal"])
        detail = without_people(str(record.get("description") or "").strip(), people,
                                _("le conseiller numérique"))
        text = common.text(record.get("horaires"))
        if text:
            row["horaires"] = hours_text.french_text(text) or ""
            if not row["horaires"]:
                conversion.unmapped("horaires", text)
                detail = "\n".join(filter(None, [detail, common.hours_note(text)]))
        row["presentation_detail"] = detail
        row["date_maj"] = common.undated(conversion)
        row["services"] = common.joined(
            conversion.map_values("services", common.split(record.get("services")), vocabulary.SERVICES_V0)
        )
        row["modalites_accompagnement"] = common.joined(conversion.map_values(
            "modalites_accompagnement", common.split(record.get("modalites_accompagnement")),
            vocabulary.ACCOMPAGNEMENT_V0, key=vocabulary.before_colon,
        ))
        rows.append(LegacyRow(number, row))
    return rows
