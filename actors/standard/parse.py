"""From a row of the standard (column -> string) to the arguments of `actors.core.writes.structure_upsert`."""

import datetime as dt
import math
import re
from dataclasses import dataclass, field

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils import timezone

from actors.models import Structure
from actors.opening import hours
from actors.standard.checks import coordinates_error, pivot_error
from actors.standard.columns import TERM_COLUMNS, required_columns, schema_fields, vocabulary

# Standard column -> Structure field, for the columns copied as text.
TEXT_FIELDS: dict[str, str] = {
    "id": "source_id",
    "pivot": "pivot",
    "nom": "nom",
    "commune": "commune_nom",
    "code_postal": "code_postal",
    "code_insee": "code_insee",
    "adresse": "adresse",
    "complement_adresse": "complement_adresse",
    "telephone": "telephone",
    "courriels": "courriels",
    "site_web": "site_web",
    "horaires": "horaires",
    "presentation_resume": "presentation_resume",
    "presentation_detail": "presentation_detail",
    "source": "source",
    "structure_parente": "structure_parente",
    "autres_formations_labels": "autres_formations_labels",
    "fiche_acces_libre": "fiche_acces_libre",
    "prise_rdv": "prise_rdv",
}

_url = URLValidator(schemes=["http", "https"])
_email = EmailValidator()


@dataclass
class ParsedRow:
    """The outcome of `parse_row`.

    values: Structure field -> value, ready for `structure_upsert(values, terms)`.
    terms: TermKind value (= column name) -> list of Term codes, for every enumerated column.
    errors: (column, reason in French); when not empty the row must not be written.
    """

    values: dict = field(default_factory=dict)
    terms: dict[str, list[str]] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _patterns() -> dict[str, re.Pattern]:
    result = {}
    for spec in schema_fields():
        pattern = spec.get("constraints", {}).get("pattern")
        if pattern and spec["name"] not in TERM_COLUMNS:
            result[spec["name"]] = re.compile(pattern)
    return result


PATTERNS = _patterns()
PATTERN_REASONS = {
    "code_postal": "Le code postal doit compter exactement 5 chiffres.",
    "code_insee": "Le code INSEE doit compter 5 caractères (par exemple 86194, ou 2A004 en Corse).",
    "telephone": (
        "Le téléphone doit être au format international sans espace ni zéro après l'indicatif, "
        "par exemple +33549000000."
    ),
}
MAX_LENGTHS = {
    column: Structure._meta.get_field(name).max_length
    for column, name in TEXT_FIELDS.items()
    if Structure._meta.get_field(name).max_length
}


def _split(cell: str) -> list[str]:
    return [item.strip() for item in cell.split("|")]


def _check_text(row: dict[str, str], errors: list) -> None:
    for column in required_columns():
        if not row.get(column):
            errors.append((column, f"La colonne « {column} » est obligatoire et ne peut pas être vide."))
    for column, pattern in PATTERNS.items():
        cell = row.get(column, "")
        if cell and column != "pivot" and not pattern.search(cell):
            errors.append((column, PATTERN_REASONS.get(column, f"La valeur « {cell} » n'a pas le format attendu.")))
    if row.get("pivot") and (reason := pivot_error(row["pivot"])):
        errors.append(("pivot", reason))
    for column, limit in MAX_LENGTHS.items():
        cell = row.get(column, "")
        if len(cell) > limit:
            reason = f"Le texte fait {len(cell)} caractères : {limit} au maximum."
            if column == "presentation_resume":
                reason = f"La présentation résumée fait {len(cell)} caractères : 280 au maximum."
            errors.append((column, reason))
    for column in ("site_web", "fiche_acces_libre", "prise_rdv"):
        cell = row.get(column, "")
        for item in _split(cell) if cell else []:
            try:
                _url(item)
            except ValidationError:
                errors.append((column, f"« {item} » n'est pas une adresse web valide (https://…)."))
    for item in _split(row["courriels"]) if row.get("courriels") else []:
        try:
            _email(item)
        except ValidationError:
            errors.append(("courriels", f"« {item} » n'est pas une adresse électronique valide."))


def _parse_date(cell: str, errors: list) -> dt.date | None:
    if not cell:
        return None
    try:
        date = dt.date.fromisoformat(cell)
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", cell):
            raise ValueError(cell)
    except ValueError:
        errors.append(("date_maj", f"« {cell} » n'est pas une date au format AAAA-MM-JJ."))
        return None
    if date > timezone.localdate():
        errors.append(("date_maj", f"La date de mise à jour {cell} est dans le futur."))
        return None
    return date


def _number(column: str, cell: str, errors: list) -> float | None:
    try:
        value = float(cell)
    except ValueError:
        errors.append((column, f"« {cell} » n'est pas un nombre (séparateur décimal : le point)."))
        return None
    if not math.isfinite(value):
        errors.append((column, f"« {cell} » n'est pas un nombre."))
        return None
    return value


def _parse_point(row: dict[str, str], errors: list) -> Point | None:
    lat_cell, lon_cell = row.get("latitude", ""), row.get("longitude", "")
    if not lat_cell and not lon_cell:
        return None
    if not lat_cell or not lon_cell:
        column = "latitude" if not lat_cell else "longitude"
        errors.append((column, "La latitude et la longitude vont ensemble : l'une est vide, pas l'autre."))
        return None
    latitude, longitude = _number("latitude", lat_cell, errors), _number("longitude", lon_cell, errors)
    if latitude is None or longitude is None:
        return None
    if reason := coordinates_error(latitude, longitude):
        errors.append(("latitude", reason))
        return None
    return Point(longitude, latitude, srid=4326)


def _parse_terms(row: dict[str, str], errors: list) -> dict[str, list[str]]:
    terms = {}
    allowed = vocabulary()
    for column in TERM_COLUMNS:
        cell = row.get(column, "")
        codes: list[str] = []
        for item in _split(cell) if cell else []:
            if item in allowed[column]:
                code = allowed[column][item][0]
                if code not in codes:
                    codes.append(code)
            elif not item:
                errors.append((column, "Valeur vide entre deux « | »."))
            else:
                errors.append((column, f"« {item} » n'est pas une valeur autorisée par le standard pour ce champ."))
        terms[column] = codes
    return terms


def parse_row(row: dict[str, str | None], *, source_label: str | None = None) -> ParsedRow:
    """Validate one row of the standard strictly and convert it for `structure_upsert`.

    `row` maps column names (as in schema.json) to strings; missing columns count as empty, unknown
    columns are ignored, surrounding spaces are stripped. The structure's key is (source, id): `source` is
    the row's own `source` column, or `source_label` when that column is empty.
    Never raises for bad values: every problem is returned in `errors` as (column, French reason).
    """
    row = {str(key).strip(): (value or "").strip() for key, value in row.items() if key is not None}
    errors: list[tuple[str, str]] = []
    _check_text(row, errors)
    values = {name: row.get(column, "") for column, name in TEXT_FIELDS.items()}
    if not values["source"] and source_label:
        values["source"] = source_label
    values["date_maj"] = _parse_date(row.get("date_maj", ""), errors)
    values["location"] = _parse_point(row, errors)
    if row.get("horaires"):
        try:
            hours.weekly_slots(row["horaires"])
        except hours.InvalidHours:
            errors.append(("horaires", f"Horaires illisibles au format OpenStreetMap : « {row['horaires']} »."))
    terms = _parse_terms(row, errors)
    return ParsedRow(values=values, terms=terms, errors=errors)
