"""Checks on the values a coordinator (or an importer) writes, each failing with a plain French message.

Shared by the admin forms and the public correction moderation; importers may call the same functions.
"""

import re

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _

from actors.core.geo import is_far_from, km_between
from actors.core.phones import read_phone
from actors.opening import hours
from actors.standard.checks import luhn_ok, siret_ok

# Rough boxes (lon/lat) of metropolitan France, Corsica and the overseas départements and collectivities.
FRANCE_BOXES = [
    (-5.5, 41.2, 9.9, 51.3),  # metropole + Corse
    (-61.9, 15.8, -60.8, 16.6),  # Guadeloupe
    (-61.3, 14.3, -60.8, 14.9),  # Martinique
    (-54.7, 2.1, -51.5, 5.9),  # Guyane
    (55.1, -21.5, 55.9, -20.8),  # La Réunion
    (44.9, -13.1, 45.4, -12.6),  # Mayotte
    (-56.5, 46.7, -56.1, 47.2),  # Saint-Pierre-et-Miquelon
    (-63.2, 17.8, -62.7, 18.2),  # Saint-Martin, Saint-Barthélemy
    (-179.0, -23.0, -134.0, -7.0),  # Polynésie, Wallis-et-Futuna
    (163.5, -23.0, 168.5, -19.5),  # Nouvelle-Calédonie
]
SIRET_RE = re.compile(r"^\d{14}$")
SIREN_RE = re.compile(r"^\d{9}$")
RNA_RE = re.compile(r"^W\d[0-9A-Z]\d{7}$")
# Line breaks, tabs and other control characters (C0, DEL, C1, Unicode line and paragraph separators).
CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Fields that hold one line: they end up in e-mail headers, CSV cells and page titles.
SINGLE_LINE_FIELDS = ("nom", "adresse", "complement_adresse", "commune_nom", "code_postal", "code_insee",
                      "structure_parente", "telephone", "courriels", "site_web", "prise_rdv", "pivot",
                      "fiche_acces_libre", "source", "source_id")


def validate_single_line(value: str) -> None:
    """A one-line value: a line break (or another control character) is refused, not silently changed."""
    if value and CONTROL_RE.search(str(value)):
        raise ValidationError(_("Ce champ tient sur une seule ligne : retirez le retour à la ligne (ou le caractère "
                                "invisible) qu'il contient."), code="control")


def one_line(value: str) -> str:
    """A value made fit for one line (an e-mail subject) whatever it holds: control characters become spaces."""
    return " ".join(CONTROL_RE.sub(" ", str(value)).split())
def validate_pivot(value: str) -> None:
    """A SIRET (14 digits, Luhn checksum), a SIREN (9 digits, Luhn) or an RNA number (W + 9 characters)."""
    value = value.strip().upper()
    if not value:
        return
    if SIRET_RE.match(value):
        if not siret_ok(value):
            raise ValidationError(_("Ce SIRET est invalide : la clé de contrôle ne correspond pas. "
                                    "Vérifiez les 14 chiffres."), code="pivot")
        return
    if SIREN_RE.match(value):
        if not luhn_ok(value):
            raise ValidationError(_("Ce SIREN est invalide : la clé de contrôle ne correspond pas."), code="pivot")
        return
    if value.startswith("W"):
        if not RNA_RE.match(value):
            raise ValidationError(_("Ce numéro RNA est invalide : il commence par W suivi de 9 caractères "
                                    "(ex. W862001234)."), code="pivot")
        return
    raise ValidationError(_("Indiquez un SIRET (14 chiffres), un SIREN (9 chiffres) ou un numéro RNA "
                            "(W suivi de 9 caractères)."), code="pivot")


def normalize_phone(value: str, *, postcode: str = "") -> str:
    """The number in international format (+33…), as the standard requires; raises on invalid numbers.

    Read as every importer reads it (actors.core.phones.read_phone): `postcode` (the place's) chooses the region
    of a number written without country code, so « 0594 … » is Guyane's for a place in Cayenne."""
    value = value.strip()
    if not value:
        return ""
    number = read_phone(value, postcode=postcode)
    if number is None:
        raise ValidationError(
            _("Numéro de téléphone invalide : « %(value)s ». Exemple attendu : 05 49 00 00 00.") % {"value": value},
            code="phone",
        )
    return number


def split_multi(value: str) -> list[str]:
    return [item.strip() for item in re.split(r"[|,;\s]+", value or "") if item.strip()]


def normalize_emails(value: str) -> str:
    """Several addresses joined with "|"; each must be a valid address."""
    items = split_multi(value)
    validator = EmailValidator()
    for item in items:
        try:
            validator(item)
        except ValidationError as error:
            raise ValidationError(_("Adresse électronique invalide : « %(value)s ».") % {"value": item},
                                  code="email") from error
    return "|".join(items)


def normalize_urls(value: str) -> str:
    """Several web addresses joined with "|"; "www.x.fr" gets https:// in front."""
    items = []
    validator = URLValidator(schemes=["http", "https"])
    for item in split_multi(value):
        if not re.match(r"^https?://", item, re.IGNORECASE):
            item = f"https://{item}"
        try:
            validator(item)
        except ValidationError as error:
            raise ValidationError(_("Adresse web invalide : « %(value)s ».") % {"value": item},
                                  code="url") from error
        items.append(item)
    return "|".join(items)


def validate_horaires(value: str) -> None:
    try:
        hours.weekly_slots(value or "")
    except hours.InvalidHours as error:
        raise ValidationError(
            _("Horaires illisibles au format OpenStreetMap. Exemple : « Mo-Fr 09:00-12:00,14:00-17:30; "
              "Sa 10:00-12:00 »."),
            code="horaires",
        ) from error


def validate_postcode_for_commune(code_postal: str, commune) -> None:
    if commune is None or not code_postal:
        return
    codes = commune.postal_code_list
    if codes and code_postal not in codes:
        raise ValidationError(
            _("Le code postal %(code)s ne correspond pas à la commune %(commune)s (codes : %(codes)s).")
            % {"code": code_postal, "commune": commune.name, "codes": ", ".join(codes)},
            code="postcode",
        )


def point_in_france(point: Point) -> bool:
    return any(x0 <= point.x <= x1 and y0 <= point.y <= y1 for x0, y0, x1, y1 in FRANCE_BOXES)


def validate_point(point: Point | None, commune=None) -> None:
    """The point lies in France and, when the commune is known, is not far from it (`geo.is_far_from`)."""
    if point is None:
        return
    if not point_in_france(point):
        raise ValidationError(_("Cette position est hors de France (en mer ou à l'étranger). "
                                "Déplacez le marqueur sur le lieu."), code="point")
    if commune is not None and commune.centre is not None:
        if is_far_from(point, commune):
            distance = km_between(point, commune.centre)
            raise ValidationError(
                _("Cette position est à %(km)d km du centre de %(commune)s : déplacez le marqueur ou corrigez "
                  "la commune.") % {"km": round(distance), "commune": commune.name},
                code="point",
            )
