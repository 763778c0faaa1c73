"""The folding rule on hand-made pairs: what it folds, and the look-alikes it must leave apart."""

from django.contrib.gis.geos import Point

from actors.duplicates.folding import fold_reason, normalise_address, normalise_name
from actors.models import Structure

PLACEHOLDER = "00000000000000"
# 0.001° of latitude is about 111 m.
HERE = (0.3400, 46.5800)


def record(pk: int, nom: str, *, north_m: float = 0, adresse: str = "4 rue Jules Ferry", pivot: str = PLACEHOLDER,
           commune: str = "86194", approximate: bool = False) -> Structure:
    point = Point(HERE[0], HERE[1] + north_m / 111_195, srid=4326)
    return Structure(pk=pk, nom=nom, adresse=adresse, pivot=pivot, commune_id=commune, commune_nom="Poitiers",
                     location=point, location_is_approximate=approximate)


def test_names_and_addresses_are_compared_without_case_accents_punctuation_or_abbreviations():
    assert normalise_name("France Services - Châteauponsac") == normalise_name("France services Châteauponsac")
    assert normalise_address("15 PL DU MARECHAL LECLERC") == normalise_address("15 place du Maréchal Leclerc")
    assert normalise_address("55bis Route des allées") == normalise_address("55 Bis Route des Allées")
    assert normalise_address("20 Bd Bergeon") == normalise_address("20 boulevard bergeon")
    assert normalise_address("Poitiers", "Poitiers") == ""  # the commune's name is no address


def test_the_same_real_siret_within_200_m_with_close_names_folds():
    a = record(1, "Ville de Poitiers", pivot="21860194600013")
    b = record(2, "COMMUNE DE POITIERS", pivot="21860194600013", north_m=150)
    assert fold_reason(a, b).startswith("même SIRET à 150 m")


def test_the_same_name_within_100_m_folds_even_from_the_same_source_and_without_siret():
    a = record(1, "Médiathèque de Mirambeau")
    b = record(2, "médiathèque de MIRAMBEAU", adresse="9 avenue de la République", north_m=80)
    assert fold_reason(a, b) == "même nom à 80 m"


def test_the_same_address_with_close_names_folds():
    a = record(1, "France services Thèze", adresse="5 Place Albert Lacoste")
    b = record(2, "FRANCE SERVICES LA POSTE THEZE", adresse="5 PL ALBERT LACOSTE", north_m=18)
    assert fold_reason(a, b) == "même adresse à 18 m, noms proches"


def test_a_commune_centre_point_folds_only_with_the_same_name_at_the_same_address():
    a = record(1, "Mairie de Latillé", adresse="7 rue Docteur Roux", approximate=True)
    same = record(2, "mairie de latillé", adresse="7 rue docteur roux", north_m=3000)
    elsewhere = record(3, "Mairie de Latillé", adresse="2 place de l'Église", approximate=True)
    assert fold_reason(a, same) == "même nom, même adresse"
    assert fold_reason(a, elsewhere) == ""  # both at the commune centre, 0 m apart: distance proves nothing


def test_the_same_siret_far_apart_does_not_fold():
    # A CCAS with three sites in one commune nouvelle: one SIRET, three places.
    a = record(1, "CCAS d'Aigondigné", pivot="26790318500010", adresse="24 rue Jacques Bujault")
    b = record(2, "CCAS d'Aigondigné", pivot="26790318500010", adresse="6 route de la Rivière", north_m=7000)
    assert fold_reason(a, b) == ""


def test_the_same_name_beyond_100_m_at_another_address_does_not_fold():
    a = record(1, "Afpa", adresse="27 rue Léonard Samié")
    b = record(2, "Afpa", adresse="68 rue de Babylone", north_m=150)
    assert fold_reason(a, b) == ""


def test_two_different_real_sirets_never_fold():
    a = record(1, "ADEI", pivot="78134357900459", adresse="8 boulevard du Commandant Charcot")
    b = record(2, "ADEI", pivot="78134357900442", adresse="8 boulevard du Commandant Charcot")
    assert fold_reason(a, b) == ""


def test_two_services_in_one_building_do_not_fold():
    a = record(1, "Agence postale de Solignac", adresse="57 avenue Saint-Eloi")
    b = record(2, "Mairie de Solignac", adresse="57 Avenue Saint-Eloi")
    assert fold_reason(a, b) == ""
    # Two words in common is not enough when they are only "France services".
    c = record(3, "France services Nexon", adresse="5 rue Jean-Jacques Rousseau")
    d = record(4, "France services Saint-Hilaire", adresse="5 rue Jean-Jacques Rousseau")
    assert fold_reason(c, d) == ""


def test_a_bus_does_not_fold_with_its_base():
    a = record(1, "PIMMS Médiation Ambazac", adresse="2 place de la gare")
    b = record(2, "Bus France services PIMMS Médiation Ambazac", adresse="2 Place de la Gare")
    assert fold_reason(a, b) != ""
    assert fold_reason(a, b, itinerant={2}) == ""
