import pytest
from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError

from actors.core import validators


@pytest.mark.parametrize("value", ["73282932000074", "W862001234", "732829320", ""])
def test_valid_siret_siren_and_rna_numbers_pass(value):
    validators.validate_pivot(value)


@pytest.mark.parametrize(("value", "message"), [
    ("73282932000075", "clé de contrôle"), ("12345", "SIRET"), ("W12", "RNA"),
])
def test_invalid_pivots_are_explained(value, message):
    with pytest.raises(ValidationError, match=message):
        validators.validate_pivot(value)


def test_phones_are_stored_in_international_format():
    assert validators.normalize_phone("05 49 00 00 00") == "+33549000000"
    with pytest.raises(ValidationError, match="invalide"):
        validators.normalize_phone("01 23")


def test_emails_and_urls_are_checked_one_by_one():
    assert validators.normalize_emails("a@b.fr | c@d.fr") == "a@b.fr|c@d.fr"
    assert validators.normalize_urls("www.poitiers.fr") == "https://www.poitiers.fr"
    with pytest.raises(ValidationError, match="« x@ »"):
        validators.normalize_emails("a@b.fr|x@")


@pytest.mark.django_db
def test_postcode_and_point_must_match_the_commune(vienne):
    poitiers = vienne["poitiers"]
    validators.validate_postcode_for_commune("86000", poitiers)
    with pytest.raises(ValidationError, match="ne correspond pas"):
        validators.validate_postcode_for_commune("87000", poitiers)
    validators.validate_point(Point(0.35, 46.59), poitiers)
    with pytest.raises(ValidationError, match="hors de France"):
        validators.validate_point(Point(-8.0, 46.0), poitiers)
    with pytest.raises(ValidationError, match="km du centre de Poitiers"):
        validators.validate_point(Point(1.25, 45.83), poitiers)
