"""What a partner file says is kept: SIRET as the standard accepts them, extra columns mapped or listed,
communes cross-checked, phones with their region.

Measured before the fix: a real La Poste head-office SIRET refused the whole file; `courriel`,
`accessibilite`, `labels_nationaux`, `publics_accueillis` were dropped without a word; places were attached
to a commune up to 75 km away; overseas numbers were dropped or stored as "+33…".
"""

import pytest

from actors.core.geo import km_between
from actors.core.phones import read_phone
from actors.imports import import_file
from actors.models import Structure
from actors.standard import pivot_error, siret_ok
from territories.models import Commune

pytestmark = pytest.mark.django_db


# --- SIRET ---------------------------------------------------------------------------------------------------

def test_la_postes_head_office_siret_passes_luhn_and_is_accepted():
    assert siret_ok("35600000000048")  # La Poste's head office: Luhn, not the digit-sum rule
    assert siret_ok("35600000010000")  # a La Poste establishment: the digit-sum rule, not Luhn
    assert siret_ok("00000000000000")  # the national files' "unknown" placeholder
    assert pivot_error("35600000000049") is not None


def test_a_file_of_la_poste_places_is_imported(vienne, terms, import_data):
    report = import_file(import_data / "siret_la_poste.csv", apply=True)
    assert report.ok, report.fatal
    assert report.created == 3
    assert set(Structure.objects.values_list("pivot", flat=True)) == {
        "35600000000048", "35600000010000", "00000000000000"}


def test_the_admin_form_accepts_the_same_sirets():
    from django.core.exceptions import ValidationError

    from actors.core.validators import validate_pivot

    for siret in ("35600000000048", "35600000010000"):
        validate_pivot(siret)
    with pytest.raises(ValidationError):
        validate_pivot("35600000000049")


# --- extra columns -------------------------------------------------------------------------------------------

def test_extra_columns_the_standard_can_hold_are_mapped_and_the_others_listed(vienne, terms, import_data):
    report = import_file(import_data / "colonnes_en_plus.csv", apply=True)
    assert report.ok and report.created == 2
    place = Structure.objects.get(source_id="poitiers-1")
    assert place.courriels == "mediatheque@poitiers.fr"
    assert place.fiche_acces_libre.startswith("https://acceslibre.beta.gouv.fr/")
    assert set(place.term_codes("dispositif_programmes_nationaux")) == {"france-services", "aidants-connect"}
    assert place.term_codes("publics_specifiquement_adresses") == ["jeunes"]
    assert place.term_codes("prise_en_charge_specifique") == ["surdite"]
    assert report.unmapped[("labels_nationaux", "APTIC")] == 1
    assert report.ignored_columns == {"cle_ban": 2, "note_interne": 1}
    assert "Colonnes ignorées : cle_ban (2), note_interne (1)" in report.summary()


def test_legacy_adapters_list_the_columns_they_do_not_read(vienne, terms, import_data):
    report = import_file(import_data / "cnfs_horaires.csv", apply=False)
    assert report.ignored_columns == {"structureId": 2, "nb_conseillers": 2}


# --- communes ------------------------------------------------------------------------------------------------

def test_a_wrong_postcode_no_longer_sends_a_place_to_another_commune(territories_vienne_haute_vienne, terms,
                                                                     import_data):
    report = import_file(import_data / "communes_discordantes.csv", apply=True)
    assert report.ok, report.fatal
    saint_junien = Structure.objects.get(source_id="sj-1")
    assert saint_junien.commune_id == "87154"  # the named commune, not Limoges (the postcode's, 30 km away)
    assert saint_junien.commune_is_approximate
    assert km_between(saint_junien.location, saint_junien.commune.centre) < 5
    warnings = {p.row: p.reason for p in report.problems if p.column == "commune"}
    assert "code postal 87000 absent de Saint-Junien" in warnings[1]


def test_an_old_commune_name_goes_to_the_postcodes_commune_at_the_point(territories_vienne_haute_vienne, terms,
                                                                        import_data):
    report = import_file(import_data / "communes_discordantes.csv", apply=True)
    roussac = Structure.objects.get(source_id="roussac-1")  # Roussac merged into Saint-Pardoux-le-Lac in 2019
    # Issue 22: the COG's history of communes nouvelles names Roussac: no longer « approximative », but said.
    assert (roussac.commune_id, roussac.commune_is_approximate) == ("87128", False)
    line = next(p.reason for p in report.problems if p.row == 4 and p.column == "code_insee")
    assert line == f"Commune retenue {roussac.commune} : « Roussac » est une ancienne commune, aujourd'hui " \
                   f"{roussac.commune}."


def test_an_insee_code_outvoted_by_name_postcode_and_point_is_reported_with_the_distance(
    territories_vienne_haute_vienne, terms, import_data
):
    """Issue 22: the row names Limoges, 87000 and a point in Limoges with Saint-Junien's INSEE code. It used
    to be stored in Saint-Junien, its point replaced by Saint-Junien's centre; the lone code now loses."""
    report = import_file(import_data / "communes_discordantes.csv", apply=True)
    limoges = Structure.objects.get(source_id="lim-1")
    assert (limoges.commune_id, limoges.commune_is_approximate, limoges.location_is_approximate) == (
        "87085", False, False)
    assert (limoges.location.y, limoges.location.x) == (45.8336, 1.2482)  # the file's point, kept
    saint_junien = Commune.objects.get(pk="87154")
    distance = round(km_between(saint_junien.centre, limoges.commune.centre))
    warning = next(p.reason for p in report.problems if p.row == 2 and p.column == "code_insee")
    assert f"code INSEE 87154 ({saint_junien}, à {distance} km) écarté" in warning
    agreeing = Structure.objects.get(source_id="lim-2")
    assert (agreeing.commune_id, agreeing.commune_is_approximate) == ("87085", False)


def test_a_row_with_neither_commune_nor_point_is_refused_with_its_reason(territories_vienne_haute_vienne, terms,
                                                                         import_data):
    report = import_file(import_data / "commune_introuvable.csv", apply=True)
    assert report.ok and list(Structure.objects.values_list("source_id", flat=True)) == ["lim-2"]
    [problem] = [p for p in report.problems if p.rejected]
    assert (problem.row, problem.column) == (2, "commune")
    assert "Nulle-Part" in problem.reason and "87999" in problem.reason


# --- phones --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("raw, postcode, expected", [
    ("05 94 29 10 00", "97300", "+594594291000"),
    ("05 94 29 10 00", "", "+594594291000"),  # not a metropolitan number: its region is found anyway
    ("0596 71 23 45", "97200", "+596596712345"),  # also a valid metropolitan number: the postcode decides
    ("0596 71 23 45", "86000", "+33596712345"),
    ("0692 12 34 56", "97400", "+262692123456"),
    ("+33 5 94 32 10 10", "97310", "+594594321010"),  # once misread as metropolitan
    ("05 55 45 96 00", "87000", "+33555459600"),
    ("33630392518", "", "+33630392518"),
    ("05.55.77.75.89", "", "+33555777589"),
    ("12", "", None),
    ("pas de téléphone", "", None),
])
def test_phones_are_read_with_their_region(raw, postcode, expected):
    assert read_phone(raw, postcode=postcode) == expected


def test_overseas_numbers_of_a_file_are_kept_with_their_country_code(vienne, terms, import_data):
    report = import_file(import_data / "cnfs_telephones_outre_mer.csv", apply=True)
    assert report.created == 5
    phones = dict(Structure.objects.values_list("commune_nom", "telephone"))
    assert phones == {"Cayenne": "+594594291000", "Fort-de-France": "+596596712345",
                      "Saint-Denis": "+262692123456", "Kourou": "+594594321010", "Limoges": "+33555459600"}
    assert not [p for p in report.problems if p.column == "telephone"]
