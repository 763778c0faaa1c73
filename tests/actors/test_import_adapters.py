"""Legacy adapters turn their records into rows of the standard, and count what they cannot map."""

import io

import pytest

from actors.importers import bus, cnfs, creuse, fibre64, france_services, hours_text, import_file
from actors.importers.common import Conversion, coordinates, phone, pivot
from actors.importers.reading import Table, read_table
from actors.models import Structure


def table(records):
    return Table("json", list(records[0]), records)


def test_france_services_weekday_hours_become_one_osm_string():
    record = {"id_fs": "105", "lib_fs": "France services Poitiers", "h_lundi": "", "h_mardi": "13:30 - 18:00",
              "h_mercredi": "13:30 - 18:00", "h_jeudi": "08:30 - 12:00 / 13:30 - 18:00", "h_vendredi": "-",
              "h_samedi": "09:00 - 12:00", "insee_com": "86194", "lib_com": "Poitiers", "code_postal": "86000",
              "telephone": "05 86 30 29 22", "itinerance": "Non"}
    [row] = france_services.convert(table([record]), Conversion())
    assert row.row["horaires"] == "Tu,We 13:30-18:00; Th 08:30-12:00,13:30-18:00; Sa 09:00-12:00"
    assert row.row["telephone"] == "+33586302922"
    assert row.row["dispositif_programmes_nationaux"] == "France Services"


def test_cnfs_v0_services_map_to_v1_services_and_unknown_labels_are_counted():
    record = {"id": "a1", "nom": "Médiathèque de Melle", "pivot": "00000000000000", "structureId": "x",
              "services": "Prendre en main un ordinateur;Approfondir ma culture numérique;Tricoter en ligne",
              "conditions_access": "Gratuit : Je peux accéder gratuitement", "labels_nationaux": "CNFS;APTIC"}
    conversion = Conversion()
    [row] = cnfs.convert(table([record]), conversion)
    assert row.row["services"] == "Maîtrise des outils numériques du quotidien|Compréhension du monde numérique"
    assert row.row["frais_a_charge"] == "Gratuit"
    assert row.row["typologie"] == "BIB"
    assert conversion.unmapped_values == {("services", "Tricoter en ligne"): 1, ("labels_nationaux", "APTIC"): 1}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Du lundi au vendredi de 9h00 a 12h30 et de 13h30 a 17h00", "Mo-Fr 09:00-12:30,13:30-17:00"),
        ("Mar, jeu, ven : 16-18h. Mer : 14-18h. Sam : 10-13h",
         "Tu,Th,Fr 16:00-18:00; We 14:00-18:00; Sa 10:00-13:00"),
        ("MERCREDI 17h - 19h", "We 17:00-19:00"),
        ("9h-12h / 13h30-17h", None),  # no day: not guessed
        ("les lundis et mardis matins en période scolaire", None),
    ],
)
def test_french_free_text_hours_are_converted_only_when_unambiguous(text, expected):
    assert hours_text.french_text(text) == expected


def test_bus_stops_keep_their_week_parity_and_share_the_tour_as_service_area():
    records = [
        {"id": 1, "SIRET": "401 092 267 00020", "nom": "Bus France Services - [Place du marché]", "code_insee": 16317,
         "code_postal": 16140, "horaires": "Mo 09:30-12:30; PH off", "ouverture": "Semaine impaire",
         "result_citycode": 16317, "telephone": 33630392518, "date_maj": ""},
        {"id": 2, "SIRET": "401 092 267 00020", "nom": "Bus France Services - [Place de la mairie]",
         "code_insee": 16390, "code_postal": 16140, "horaires": "Tu 09:00-12:30; PH off",
         "ouverture": "Semaine paire", "result_citycode": 16390, "telephone": 33630392518, "date_maj": ""},
    ]
    rows = bus.convert(table(records), Conversion())
    assert rows[0].row["horaires"] == "week 01-53/2 Mo 09:30-12:30; PH off"
    assert rows[1].row["horaires"] == "week 02-52/2 Tu 09:00-12:30; PH off"
    assert rows[0].service_area == ["16317", "16390"]
    assert rows[0].row["itinerance"] == "Itinérant"
    assert rows[0].row["telephone"] == "+33630392518"


def test_creuse_names_of_touring_people_do_not_reach_the_place_names():
    records = [{"id": i, "nom": f"Village {i} - Leila Boubekeur", "description": f"Ateliers par Leïla Boubekeur ({i})",
                "téléphone": "", "horaires": None, "services": "", "modalites_accompagnement": "",
                "adresse": "Place", "code_postal": "23800", "commune": "Naillat"} for i in range(3)]
    rows = creuse.convert(table(records), Conversion())
    assert rows[0].row["nom"] == "Village 0 - atelier numérique"
    assert "Boubekeur" not in rows[0].row["presentation_detail"]


def test_fibre64_ratings_and_ticks_become_services_and_modes():
    record = {"Nomdelastructure": "Cyber-base", "Adressenumeronomdelavoie": "2 avenue Charles Moureu",
              "Codepostal": 64150, "Ville": "Mourenx", "Demarchesadministratives": "Souvent",
              "InitiationaunumeriqueFormationApprentissagePerfectionnement": "Pas du tout",
              "Accesadesequipementsetuneconnexioninternet": "De temps en temps", "Enlibreacces": "X",
              "Collectivement": "X", "Enitinerance": "", "Lestarifsdemastructure": "GRATUIT",
              "Leshorairesdemastructure": "Lundi - samedi"}
    conversion = Conversion()
    [row] = fibre64.convert(table([record]), conversion)
    assert row.row["services"] == "Aide aux démarches administratives|Accès internet et matériel informatique"
    assert (row.row["modalites_acces"], row.row["modalites_accompagnement"]) == ("Se présenter",
                                                                                  "Dans un atelier collectif")
    assert row.row["frais_a_charge"] == "Gratuit"
    assert conversion.unmapped_values[("Leshorairesdemastructure", "Lundi - samedi")] == 1
    assert "Lundi - samedi" in row.row["presentation_detail"]


def test_lenient_normalisers_fix_what_they_can_and_note_the_rest():
    conversion = Conversion()
    assert coordinates("0.3404", "46.5802", conversion, 1) == ("46.5802", "0.3404")
    assert coordinates("40.7", "-74.0", conversion, 2) == ("", "")
    assert phone("05.55.77.75.89", conversion, 3) == "+33555777589"
    assert pivot("21860194600014", conversion, 4) == "00000000000000"
    assert [note.row for note in conversion.notes] == [1, 2, 4]


def test_reading_sniffs_delimiters_and_decodes_windows_1252():
    parsed = read_table("nom;commune\nCafé;Poitiers\n".encode("cp1252"), "x.csv")
    assert parsed.delimiter == ";" and parsed.records == [{"nom": "Café", "commune": "Poitiers"}]
    assert parsed.notes


@pytest.mark.django_db
def test_a_legacy_row_with_a_bad_optional_value_is_kept_without_it(vienne, terms):
    header = "id,nom,pivot,commune,code_postal,adresse,latitude,longitude,services,horaires,telephone,courriel," \
             "site_web,prise_rdv,conditions_access,labels_nationaux,source,date_maj,structureId,nb_conseillers"
    lines = [
        "a1,Médiathèque,00000000000000,Poitiers,86000,4 rue A,46.58,0.34,,Mo 08:30,,,,,,CNFS,x,2022-06-16,s,1",
        "a2,,00000000000000,Poitiers,86000,,,,,,,,,,,,x,2022-06-16,s,1",
    ]
    stream = io.BytesIO("\n".join([header, *lines]).encode())
    report = import_file(stream, "cnfs.csv", apply=True)
    assert (report.format, report.created, report.rejected) == ("cnfs", 1, 1)
    assert [(p.row, p.column) for p in report.problems if p.rejected] == [(2, "nom"), (2, "adresse")]
    assert [(p.row, p.column) for p in report.problems if not p.rejected] == [(1, "horaires")]
    structure = Structure.objects.get()
    assert structure.horaires == ""
    assert structure.term_codes("dispositif_programmes_nationaux") == ["conseillers-numeriques"]
    assert structure.source == cnfs.SOURCE
