import datetime as dt

import pytest
from django.contrib.gis.geos import Point

from actors.core.writes import structure_upsert
from actors.standard import columns, missing_columns, parse_row, pivot_error, siret_ok, structure_to_row
from tests.fixtures.standard import generated_standard_rows, luhn_complete, read_example


def reasons(parsed, column):
    return [reason for col, reason in parsed.errors if col == column]


def example(**overrides):
    row = read_example()[0]
    row.update(overrides)
    return row


def test_columns_are_read_from_the_schema_in_its_order():
    assert columns()[:3] == ["id", "pivot", "nom"]
    assert len(columns()) == 32
    assert columns()[-1] == "prise_rdv"


def test_a_header_without_required_columns_is_reported():
    assert missing_columns(["id", "nom", "commune"]) == ["pivot", "code_postal", "adresse", "date_maj"]


def test_the_official_example_is_valid_and_converted_to_upsert_arguments():
    parsed = parse_row(read_example()[0])
    assert parsed.ok, parsed.errors
    assert parsed.values["source_id"] == "structure-1"
    assert parsed.values["source"] == "Hubik"
    assert parsed.values["commune_nom"] == "Reims"
    assert parsed.values["date_maj"] == dt.date(2024, 4, 2)
    assert parsed.values["location"].coords == (5.41423, 43.52609)
    assert parsed.terms["typologie"] == ["TIERS_LIEUX", "ASSO"]
    assert parsed.terms["frais_a_charge"] == ["gratuit-sous-condition", "payant"]


def test_the_source_label_is_used_only_when_the_row_has_no_source():
    assert parse_row(example(), source_label="Fichier").values["source"] == "Hubik"
    assert parse_row(example(source=""), source_label="Fichier").values["source"] == "Fichier"


@pytest.mark.parametrize("column", ["id", "pivot", "nom", "commune", "code_postal", "adresse", "date_maj"])
def test_every_required_column_must_be_filled(column):
    parsed = parse_row(example(**{column: "  "}))
    assert reasons(parsed, column) == [f"La colonne « {column} » est obligatoire et ne peut pas être vide."]


def test_siret_checksums_follow_luhn_and_the_la_poste_rule():
    assert siret_ok("43493312300029")
    assert not siret_ok("43493312300028")
    assert siret_ok("35600000049837")  # La Poste: digits add up to a multiple of 5 (not Luhn)
    assert not siret_ok("35600000049838")
    assert pivot_error("W863000123") is None
    assert "RNA" in pivot_error("W86300012")
    assert "clé de contrôle" in reasons(parse_row(example(pivot="43493312300028")), "pivot")[0]
    assert reasons(parse_row(example(pivot="12-34")), "pivot")


@pytest.mark.parametrize(
    ("column", "value", "expected"),
    [
        ("code_postal", "8600", "5 chiffres"),
        ("code_insee", "20004", "code INSEE"),
        ("telephone", "05 49 00 00 00", "format international"),
        ("presentation_resume", "x" * 281, "281 caractères : 280 au maximum"),
        ("site_web", "https://ok.fr|www.sans-schema", "« www.sans-schema » n'est pas une adresse web"),
        ("courriels", "a@b.fr|pas-un-courriel", "« pas-un-courriel » n'est pas une adresse électronique"),
        ("date_maj", "02/04/2024", "AAAA-MM-JJ"),
        ("horaires", "du lundi au vendredi", "Horaires illisibles"),
        ("services", "Aide aux démarches", "« Aide aux démarches » n'est pas une valeur autorisée"),
        ("typologie", "bib", "« bib » n'est pas une valeur autorisée"),
        ("latitude", "quarante", "n'est pas un nombre"),
    ],
)
def test_invalid_values_are_explained_in_french(column, value, expected):
    parsed = parse_row(example(**{column: value}))
    assert any(expected in reason for reason in reasons(parsed, column)), parsed.errors


def test_a_date_in_the_future_is_refused():
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert reasons(parse_row(example(date_maj=tomorrow)), "date_maj") == [
        f"La date de mise à jour {tomorrow} est dans le futur."
    ]


def test_swapped_coordinates_and_points_abroad_are_detected():
    swapped = parse_row(example(latitude="0.3404", longitude="46.5802"))
    assert "semblent inversées" in reasons(swapped, "latitude")[0]
    abroad = parse_row(example(latitude="40.4168", longitude="-3.7038"))  # Madrid
    assert "hors de France" in reasons(abroad, "latitude")[0]
    assert parse_row(example(latitude="-21.1151", longitude="55.5364")).ok  # La Réunion
    half = parse_row(example(latitude="46.5", longitude=""))
    assert reasons(half, "longitude")


def test_la_poste_label_is_accepted_with_or_without_the_space_of_the_schema_pattern():
    for spelling in ("Étapes numériques(La Poste)", "Étapes numériques (La Poste)"):
        parsed = parse_row(example(formations_labels=spelling))
        assert parsed.terms["formations_labels"] == ["etapes-numeriques-la-poste"], parsed.errors


def test_missing_and_unknown_columns_do_not_break_parsing():
    row = example(colonne_inconnue="x")
    del row["services"]
    parsed = parse_row(row)
    assert parsed.ok and parsed.terms["services"] == []


def test_the_generated_file_is_valid_and_uses_every_allowed_value():
    rows = generated_standard_rows()
    assert len(rows) >= 50
    seen: dict[str, set] = {}
    for row in rows:
        parsed = parse_row(row)
        assert parsed.ok, (row["id"], parsed.errors)
        for kind, codes in parsed.terms.items():
            seen.setdefault(kind, set()).update(codes)
    assert len(seen["typologie"]) == 92
    assert len(seen["services"]) == 9
    assert len(seen["dispositif_programmes_nationaux"]) == 11
    assert luhn_complete("4349331230002") == "43493312300029"


@pytest.mark.django_db
def test_structure_to_row_orders_values_like_the_standard_and_hides_approximate_points(vienne, terms):
    parsed = parse_row(example(typologie="ASSO|TIERS_LIEUX|BIB", latitude="", longitude="",
                               code_insee="86194", code_postal="86000", commune="Poitiers"))
    structure = structure_upsert(parsed.values, parsed.terms).structure
    assert structure.location_is_approximate
    row = structure_to_row(structure)
    assert list(row) == columns()
    assert row["typologie"] == "ASSO|BIB|TIERS_LIEUX"
    assert row["latitude"] == row["longitude"] == ""
    assert row["date_maj"] == "2024-04-02"


@pytest.mark.django_db
def test_a_structure_without_source_id_gets_a_stable_id(vienne, terms):
    parsed = parse_row(example(id="x"))
    parsed.values["source_id"] = ""
    parsed.values["location"] = Point(0.34, 46.58, srid=4326)
    structure = structure_upsert(parsed.values, parsed.terms).structure
    assert structure_to_row(structure)["id"] == f"lieu-{structure.pk}"
    assert structure_to_row(structure)["latitude"] == "46.58"
