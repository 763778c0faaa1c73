"""The France Services list (ANCT, 2022-12-01), verbatim columns, hours as free text per weekday.

Columns: id_fs, insee_dep, lib_fs, adresse, complement_adresse, insee_com, code_postal, lib_com, latitude,
longitude, mail, telephone, h_lundi … h_samedi ("09:00 - 12:00 / 13:30 - 17:00"), commentaire, itinerance
(Oui/Non), format_fs, groupe, labellisation. The file carries no SIRET and no update date: the list's
date (2022-12-01) is used as date_maj.
"""

from django.utils.translation import gettext as _

from actors.imports import common, hours_text, vocabulary
from actors.imports.common import Conversion, LegacyRow
from actors.imports.reading import Table
from actors.vocabulary.enums import UNKNOWN_PIVOT

NAME = "france-services"
SOURCE = "France Services (ANCT)"
LIST_DATE = "2022-12-01"
COLUMNS = {"id_fs", "lib_fs", "h_lundi", "h_mardi", "insee_com", "lib_com"}
DAY_NAMES = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
DAY_COLUMNS = ["h_lundi", "h_mardi", "h_mercredi", "h_jeudi", "h_vendredi", "h_samedi", "h_dimanche"]


def detect(columns: set[str]) -> bool:
    return COLUMNS <= columns


def opening_hours(record: dict, conversion: Conversion, number: int) -> tuple[str, list[str]]:
    """The week as OSM, each day on its own: an unreadable day is "unknown" (its text returned to be kept
    in the description), the other days stay."""
    per_day, unread = {}, []
    for day, column in enumerate(DAY_COLUMNS):
        cell = common.text(record.get(column))
        times = hours_text.france_services_day(cell)
        if times is None:
            conversion.unmapped(column, cell)
            conversion.note(number, column, _("Horaires illisibles « %(value)s » : jour marqué inconnu, texte "
                                              "gardé dans la présentation.") % {"value": cell})
            unread.append(f"{DAY_NAMES[day]} {cell}")
            times = "unknown"
        if times:
            per_day[day] = times
    if all(times == "unknown" for times in per_day.values()):
        return "", unread
    return hours_text.compact(per_day), unread


def convert(table: Table, conversion: Conversion) -> list[LegacyRow]:
    rows = []
    for number, record in enumerate(table.records, start=1):
        row = common.empty_row()
        row["id"] = common.text(record.get("id_fs"))
        row["pivot"] = UNKNOWN_PIVOT
        row["nom"] = common.text(record.get("lib_fs"))
        row["commune"] = common.text(record.get("lib_com"))
        row["code_postal"] = common.postcode(record.get("code_postal"))
        row["code_insee"] = common.insee(record.get("insee_com"))
        row["adresse"] = common.text(record.get("adresse"))
        row["complement_adresse"] = common.text(record.get("complement_adresse"))
        row["latitude"], row["longitude"] = common.coordinates(
            record.get("latitude"), record.get("longitude"), conversion, number
        )
        row["typologie"] = vocabulary.typology_from_name(row["nom"])
        row["telephone"] = common.phone(record.get("telephone"), conversion, number, postcode=row["code_postal"])
        row["courriels"] = common.emails(record.get("mail"))
        row["horaires"], unread = opening_hours(record, conversion, number)
        hours_note = common.hours_note(" ; ".join(unread)) if unread else ""
        row["presentation_detail"] = "\n".join(filter(None, [common.text(record.get("commentaire")), hours_note]))
        row["itinerance"] = "Itinérant" if common.text(record.get("itinerance")) == "Oui" else "Fixe"
        row["structure_parente"] = common.text(record.get("groupe"))
        row["date_maj"] = LIST_DATE
        row["services"] = "Aide aux démarches administratives"
        row["dispositif_programmes_nationaux"] = "France Services"
        rows.append(LegacyRow(number, row))
    return rows
