"""Hours degrade day by day, never to "open all day", and what is not read is counted and kept as text.

Measured before the fix: one unreadable day dropped the whole week; "08:30-12:00,13:30-17:30" was not read;
"00:00-00:00" became open all day; dropped hours were neither counted nor kept; French free text was read
wrongly ("Lundi - Jeudi" as Monday and Thursday, "tous les 15 jours" as every week) or cut silently.
"""

import datetime as dt

import pytest
from opening_hours import OpeningHours

from actors.imports import import_file
from actors.imports.hours_text import degrade_osm, france_services_day, french_text
from actors.models import Structure
from actors.opening import hours

pytestmark = pytest.mark.django_db


def open_days(osm: str) -> set[int]:
    return {day for day, _opens, _closes in hours.weekly_slots(osm)}


# Real values of the demo's sources (Haute-Vienne, Creuse, Pyrénées-Atlantiques), read by an independent
# oracle: the OSM library evaluates the result.
@pytest.mark.parametrize("text, expected", [
    ("Lundi et mercredi : 8h30 - 12h15 et 13h15 - 17h 00", "Mo,We 08:30-12:15,13:15-17:00"),
    ("du mardi au vendredi de 8 h 30 à 12 h 30", "Tu-Fr 08:30-12:30"),
    ("Lundi - Jeudi : 9h-12h / 14h-17h Vendredi : 9h-12h", "Mo-Th 09:00-12:00,14:00-17:00; Fr 09:00-12:00"),
    ("8h/12h15 et 13h15/17h du lundi au vendredi", "Mo-Fr 08:00-12:15,13:15-17:00"),
    ("Lundi au vendredi 10h/12h 14h/17h30 - sam 10h/12h", "Mo-Fr 10:00-12:00,14:00-17:30; Sa 10:00-12:00"),
    ("Mar à ven : 10h/17h mer : 10h/18h sam : 10h/16h", "Tu,Th,Fr 10:00-17:00; We 10:00-18:00; Sa 10:00-16:00"),
    ("mer : 14h/17 sam : 14h/16h", "We 14:00-17:00; Sa 14:00-16:00"),
    ("lundi 10-12h/14-18h30 mercredi 14-18h30 vendredi 10-12/14h-18h30 samedi 14-18h30",
     "Mo,Fr 10:00-12:00,14:00-18:30; We,Sa 14:00-18:30"),
    ("Lun au jeu : 8h30h/12h 14h/17h ven: 8h/12h 14h/16h",
     "Mo-Th 08:30-12:00,14:00-17:00; Fr 08:00-12:00,14:00-16:00"),
    ("mardi matin 9h-10h30", "Tu 09:00-10:30"),
    ("Mercredi de 14h à 16H et le Samedi de 10h à 12H", "We 14:00-16:00; Sa 10:00-12:00"),
    ("mercredi 13 h 15 - 18h00", "We 13:15-18:00"),
    ("le week-end de 10h à 12h", "Sa,Su 10:00-12:00"),
    ("samedi et dimanche de 14h à 18h", "Sa,Su 14:00-18:00"),
])
def test_unambiguous_french_hours_are_read(text, expected):
    assert french_text(text) == expected
    OpeningHours(expected)  # the oracle reads it


@pytest.mark.parametrize("text", [
    "samedi APRÈS-MIDI Tous Les 15 jours de 14H à 16h",  # every other week
    "les lundis et mardis matins en période scolaire",
    "Mer au sam : pér. scolaire. Lun au Ven : vacances",  # school holidays
    "Du lundi au vendredi de 9h à 12h, pendant les vacances scolaires de 14h à 17h",
    "du lundi au vendredi de 08h30 à 12h00 et de 13h30",  # cut short in the source
    "Du lundi au vendredi de 9h à 12h et d",
    "le lundi de 13h30 à 17h, le mardi et jeudi de 9h0",
    "Du lundi au vendredi : 9h00-12h30 / 13h30",
    "LUNDI MERDI MERCREDI et VENDREDI 9h00 a 12h00 / 13h30 a 16h45",  # a typo hides a day
    "9-12h et 14-18h du lundi au vendredi ouverture les samedis pour l'espace jeunes",
    "Vendredi matin sur RDV 1 fois par mois",
    "Se rapprocher de l'organisme",
    "Du lundi au vendredi",
])
def test_ambiguous_french_hours_are_left_as_text(text):
    assert french_text(text) is None


def test_an_unreadable_rule_makes_its_days_unknown_and_keeps_the_others():
    osm, dropped = degrade_osm("Th,Fr 09:00-12:00,14:00-17:00; Mo 14:00-14:00; Tu 09:00; Sa 09:30-12:00")
    assert dropped == ["Mo 14:00-14:00", "Tu 09:00"]
    assert open_days(osm) == {3, 4, 5}
    from opening_hours import State

    states = OpeningHours(osm)
    monday = dt.datetime(2025, 3, 10, 10)
    assert states.state(monday)[0] == states.state(monday + dt.timedelta(days=1))[0] == State.UNKNOWN


def test_zero_ranges_mean_no_hours_not_open_all_day():
    assert hours.weekly_slots("Mo-Fr 00:00-00:00") == [(d, 0, 1440) for d in range(5)]  # what the library says
    assert degrade_osm("Mo-Fr 00:00-00:00") == ("", ["Mo-Fr 00:00-00:00"])
    osm, _dropped = degrade_osm("Mo 09:00-12:00; Tu 00:00-00:00")
    assert osm == "Mo 09:00-12:00; Tu unknown"


def test_france_services_days_are_read_one_by_one():
    assert france_services_day("08:30-12:00,13:30-17:30") == "08:30-12:00,13:30-17:30"
    assert france_services_day("00:00 - 00:00 / 13:30 - 17:00") == "13:30-17:00"
    assert france_services_day("00:00 - 00:00") == "unknown"
    assert france_services_day("sur rendez-vous") is None


def test_a_france_services_file_keeps_every_readable_day(vienne, terms, import_data):
    report = import_file(import_data / "france_services_horaires.csv", apply=True)
    assert report.created == 2
    beaubreuil = Structure.objects.get(source_id="2532")
    assert beaubreuil.horaires == "Mo,Tu 13:30-17:00; Th,Fr 08:30-12:30,13:30-17:00"
    chalus = Structure.objects.get(source_id="511")
    assert open_days(chalus.horaires) == {0, 3, 4}  # Monday (comma), Thursday, Friday; Tuesday unknown
    assert chalus.horaires == "Mo 08:30-12:00,13:30-17:30; Tu,We unknown; Th,Fr 09:00-12:00,14:00-17:00"
    assert report.unmapped[("h_mardi", "sur rendez-vous")] == 1
    assert "Horaires : mardi sur rendez-vous" in chalus.presentation_detail


def test_a_legacy_file_keeps_the_readable_rules_and_counts_the_others(vienne, terms, import_data):
    report = import_file(import_data / "cnfs_horaires.csv", apply=True)
    assert report.created == 2
    ccas = Structure.objects.get(source_id="62dfd377631e9606e0351889")
    assert ccas.horaires == "Mo-Fr 09:00-12:30,14:00-17:00; Tu unknown"
    assert open_days(ccas.horaires) == {0, 2, 3, 4}
    assert "Horaires : Tu 09:00-14:00-17:00" in ccas.presentation_detail
    zero = Structure.objects.get(source_id="zero-1")
    assert zero.horaires == "" and not zero.slots.exists()
    assert report.unmapped[("horaires", "Tu 09:00-14:00-17:00")] == 1
    assert report.unmapped[("horaires", "Mo-Fr 00:00-00:00")] == 1


def test_a_standard_file_reads_zero_ranges_as_unknown_and_stays_strict_otherwise(vienne, terms, import_data,
                                                                                  tmp_path):
    text = (import_data / "valide.csv").read_text(encoding="utf-8")
    path = tmp_path / "zero.csv"
    path.write_text(text.replace("Mo-Fr 09:00-12:00", "Mo-Fr 09:00-12:00; Sa 00:00-00:00", 1), encoding="utf-8")
    report = import_file(path, apply=True)
    assert report.ok and report.created == 2
    assert Structure.objects.get(source_id="poitiers-1").horaires == "Mo-Fr 09:00-12:00; Sa unknown"
    assert not import_file(import_data / "horaires_impossibles.csv", apply=True, strict=True).ok
