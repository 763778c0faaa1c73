"""Legacy adapters turn their records into rows of the standard, and count what they cannot map."""

import io

import pytest

from actors.imports import hours_text, import_file
from actors.imports.adapters import bus, cnfs, creuse, fibre64, france_services
from actors.imports.common import Conversion, coordinates, phone, pivot
from actors.imports.reading import Table, read_table
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
    records.append({**records[0], "nom": "Moutier-Malcard", "description": "ATELIERS, PAR MARIE-PIERRE MERMET."})
    rows = creuse.convert(table(records), Conversion())
    assert rows[0].row["nom"] == "Village 0 - atelier numérique"
    assert "Boubekeur" not in rows[0].row["presentation_detail"]
    assert rows[3].row["presentation_detail"] == "ATELIERS, PAR le conseiller numérique."


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
    assert structure.source == "x"  # the producer the row names, not the adapter


def test_fibre64_hours_text_naming_a_person_stays_out_of_the_public_description():
    record = {"Nomdelastructure": "Loisirs pour tous", "Adressenumeronomdelavoie": "1 rue Carnot",
              "Codepostal": 64000, "Ville": "Pau", "Lestarifsdemastructure": "GRATUIT",
              "Jedecrislesactionsdinclusionnumeriquedemastructureenquelquesmots": "Ateliers numériques",
              "Leshorairesdemastructure": "Voir avec Helene, la formatrice 06 75 92 99 25"}
    conversion = Conversion()
    [row] = fibre64.convert(table([record]), conversion)
    assert row.row["presentation_detail"] == "Ateliers numériques"
    assert "06 75 92 99 25" not in str(row.row)


def test_haute_vienne_place_listed_per_service_opens_whenever_one_service_does_and_free_workshops_are_free():
    from actors.imports.adapters import haute_vienne

    base = {"nom_org": "BFM Centre Ville", "adresse": "2 Place Aimé césaire, 87000 Limoges", "commune": "Limoges",
            "code_postal": 87000, "latitude": 45.83, "longitude": 1.26, "statut_org": "Médiathèque/bibliothèque",
            "categorie": "Accès au matériel et à Internet", "service": "Accès à Internet", "condition": "Accès libre"}
    records = [
        {**base, "horaires": "Du lundi au samedi de 10h00 à 18h00", "commentaires": ""},
        {**base, "horaires": "Du lundi au samedi de 14h00 à 18h00",
         "commentaires": "Inscription obligatoire. Atelier gratuit."},
        {**base, "horaires": "Mar : 9h à 11h", "commentaires": ""},
    ]
    [place] = haute_vienne.convert(table(records), Conversion())
    assert place.row["horaires"] == "Mo,We-Sa 10:00-18:00; Tu 09:00-18:00"
    assert place.row["frais_a_charge"] == "Gratuit"


def test_haute_vienne_hours_of_one_service_in_words_stay_in_the_description():
    from actors.imports.adapters import haute_vienne

    base = {"nom_org": "BFM Aurence", "adresse": "29 Rue Marcel Vardelle, 87000 Limoges", "commune": "Limoges",
            "code_postal": 87000, "latitude": 45.83, "longitude": 1.24, "commentaires": ""}
    records = [{**base, "horaires": "Mar, jeu, ven : 13-18h. Mer, Sam : 10-18h"},
               {**base, "horaires": "Une fois par mois"}]
    conversion = Conversion()
    [place] = haute_vienne.convert(table(records), conversion)
    assert place.row["horaires"] == "Tu,Th,Fr 13:00-18:00; We,Sa 10:00-18:00"
    assert place.row["presentation_detail"] == "Horaires : Une fois par mois"
    assert conversion.unmapped_values[("horaires", "Une fois par mois")] == 1
