"""The France Services list (ANCT, 2022-12-01), verbatim columns, hours as free text per weekday.

Columns: id_fs, insee_dep, lib_fs, adresse, complement_adresse, insee_com, code_postal, lib_com, latitude,
longitude, mail, telephone, h_lundi … h_samedi ("09:00 - 12:00 / 13:30 - 17:00"), commentaire, itinerance
(Oui/Non), format_fs, groupe, labellisation. The file carries no SIRET and no update date: the list's
date (2022-12-01) is used as date_maj.
"""

from django.utils.translation import gettext as _

from actors.importers import common, hours_text, vocabulary
from actors.importers.common import Conversion, LegacyRow
from actors.importers.reading import Table

NAME = "france-services"
SOURCE = "France Services (ANCT)"
LIST_DATE = "2022-12-01"
COLUMNS = {"id_fs", "lib_fs", "h_lundi", "h_mardi", "insee_com", "lib_com"}
DAY_COLUMNS = ["h_lundi", "h_mardi", "h_mercredi", "h_jeudi", "h_vendredi", "h_samedi", "h_dimanche"]


def detect(columns: set[str]) -> bool:
    return COLUMNS <= columns


def opening_hours(record: dict, conversion: Conversion, number: int) -> str:
    per_day = {}
    for day, column in enumerate(DAY_COLUMNS):
        cell = common.text(record.get(column))
        times = hours_text.france_services_day(cell)
        if times is None:
            conversion.unmapped(column, cell)
            conversion.note(number, column, _("Horaires illisibles « %(value)s » ignorés.") % {"value": cell})
            return ""
        if times:
            per_day[day] = times
    return hours_text.compact(per_day) if per_day else ""


def convert(table: Table, conversion: Conversion) -> list[LegacyRow]:
    rows = []
    for number, record in enumerate(table.records, start=1):
        row = common.empty_row()
        row["id"] = common.text(record.get("id_fs"))
        row["pivot"] = common.UNKNOWN_PIVOT
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
        row["telephone"] = common.phone(record.get("telephone"), conversion, number)
        row["courriels"] = common.emails(record.get("mail"))
        row["horaires"] = opening_hours(record, conversion, number)
        row["presentation_detail"] = common.text(record.get("commentaire"))
        row["itinerance"] = "Itinérant" if common.text(record.get("itinerance")) == "Oui" else "Fixe"
        row["structure_parente"] = common.text(record.get("groupe"))
        row["date_maj"] = LIST_DATE
        row["services"] = "Aide aux démarches administratives"
        row["dispositif_programmes_nationaux"] = "France Services"
        rows.append(LegacyRow(number, row))
    return rows
