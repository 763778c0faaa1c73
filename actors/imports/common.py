"""What every legacy adapter shares: the conversion context, and lenient normalisers of cells.

An adapter turns each legacy record into a national-standard row (standard column -> string). It never
writes: the standard path (`actors.standard.parse_row`) validates the row and the runner writes it. What an
adapter cannot map goes to `Conversion.unmapped(column, value)` (counted) or to a per-row note.
"""

import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from actors.core.phones import read_phone
from actors.standard import in_france, siret_ok
from actors.vocabulary.enums import UNKNOWN_PIVOT
from territories.communes import communes_named
from territories.text import fold

# Standard columns, in the schema's order.
STANDARD_COLUMNS = [
    "id", "pivot", "nom", "commune", "code_postal", "code_insee", "adresse", "complement_adresse", "latitude",
    "longitude", "typologie", "telephone", "courriels", "site_web", "horaires", "presentation_resume",
    "presentation_detail", "source", "itinerance", "structure_parente", "date_maj", "services",
    "publics_specifiquement_adresses", "prise_en_charge_specifique", "frais_a_charge",
    "dispositif_programmes_nationaux", "formations_labels", "autres_formations_labels", "modalites_acces",
    "modalites_accompagnement", "fiche_acces_libre", "prise_rdv",
]

# "Unknown SIRET" as the national files write it (the standard requires the column).

# date_maj for files that carry none: the date of the national extractions they were published with
# (the CNFS and France Services lists are of December 2022). Stated in the report, never "today", so that
# re-running an import changes nothing.
UNDATED = "2022-12-01"

@dataclass
class Note:
    row: int
    column: str
    message: str


@dataclass
class LegacyRow:
    """One converted record: its row number in the file (1 = first data row), its standard row."""

    number: int
    row: dict[str, str]
    service_area: list[str] | None = None
    located: tuple | None = None  # ((code_insee, code_postal, commune_nom, point), CommuneMatch) from planning


@dataclass
class Conversion:
    """Collects what an adapter could not map, for the report."""

    unmapped_values: Counter = field(default_factory=Counter)
    notes: list[Note] = field(default_factory=list)
    file_notes: list[str] = field(default_factory=list)

    def unmapped(self, column: str, value: str) -> None:
        self.unmapped_values[(column, value.strip())] += 1

    def note(self, row: int, column: str, message: str) -> None:
        self.notes.append(Note(row, column, message))

    def map_values(self, column: str, values: Iterable[str], table: dict, *, key=fold) -> list[str]:
        """Standard values for legacy values through `table` (folded keys); unknown ones are reported."""
        mapped: list[str] = []
        for value in values:
            value = value.strip()
            if not value:
                continue
            found = table.get(key(value))
            if found is None:
                self.unmapped(column, value)
                continue
            mapped.extend(v for v in found if v not in mapped)
        return mapped


def split(value, separator: str = ";") -> list[str]:
    return [part.strip() for part in str(value or "").split(separator) if part.strip()]


def text(value) -> str:
    """A JSON or CSV cell as clean text (None, numbers and NaN-like blanks included)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())


def joined(values: Iterable[str]) -> str:
    unique: list[str] = []
    for value in values:
        if value and value not in unique:
            unique.append(value)
    return "|".join(unique)


def stable_id(*parts: str) -> str:
    """An id for files that have none: a digest of the folded identifying cells, stable across re-runs."""
    digest = hashlib.sha1("|".join(fold(p) for p in parts).encode()).hexdigest()
    return digest[:16]


def pivot(value, conversion: Conversion, number: int, column: str = "pivot") -> str:
    """A SIRET (spaces removed) when valid, else the standard's "unknown" value with a note."""
    cleaned = re.sub(r"\D", "", text(value))
    if not cleaned or cleaned == UNKNOWN_PIVOT:
        return UNKNOWN_PIVOT
    if siret_ok(cleaned):
        return cleaned
    conversion.note(number, column, _("SIRET invalide « %(value)s » ignoré.") % {"value": text(value)})
    return UNKNOWN_PIVOT


def phone(value, conversion: Conversion, number: int, column: str = "telephone", *, postcode: str = "") -> str:
    """Any spelling ("05 45 24 08 79", "05.55…", "33630392518", "0594 29 10 00") in international format,
    overseas numbers with their own country code (see `actors.core.phones`)."""
    raw = text(value)
    if not raw:
        return ""
    found = read_phone(raw, postcode=postcode)
    if found is None:
        conversion.note(number, column, _("Téléphone illisible « %(value)s » ignoré.") % {"value": raw})
        return ""
    return found


def emails(value, separators: str = r"[;,\s|]+") -> str:
    return joined(v for v in re.split(separators, text(value)) if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", v))


def website(value) -> str:
    """URLs with their scheme; cells that are not addresses ("@", "-") are dropped."""
    urls = []
    for part in re.split(r"[\s|;]+", text(value)):
        if "." not in part or "@" in part:
            continue
        urls.append(part if re.match(r"https?://", part) else "https://" + part)
    return joined(urls)


def coordinates(lat, lon, conversion: Conversion, number: int) -> tuple[str, str]:
    """Latitude and longitude as text; swapped pairs are put back, points outside France dropped."""
    try:
        latitude, longitude = float(str(lat).replace(",", ".")), float(str(lon).replace(",", "."))
    except (TypeError, ValueError):
        return "", ""
    if in_france(latitude, longitude):
        return f"{latitude:.6f}".rstrip("0").rstrip("."), f"{longitude:.6f}".rstrip("0").rstrip(".")
    if in_france(longitude, latitude):
        conversion.note(number, "latitude", _("Latitude et longitude inversées : remises dans l'ordre."))
        return coordinates(longitude, latitude, conversion, number)
    conversion.note(number, "latitude", _("Coordonnées hors de France ignorées : centre de la commune retenu."))
    return "", ""


def postcode(value) -> str:
    digits = re.sub(r"\D", "", text(value))
    return digits.zfill(5) if 4 <= len(digits) <= 5 else ""


def insee(value) -> str:
    code = text(value).upper()
    return code.zfill(5) if re.fullmatch(r"\d{4,5}|2[AB]\d{3}", code) else ""


# A direct phone number or an e-mail in free text usually names a person: never copied to public fields.
PERSONAL_HINT = re.compile(r"(?:\+33|\b0)[1-9](?:[ .-]?\d{2}){4}|@")


def looks_personal(value: str) -> bool:
    return bool(PERSONAL_HINT.search(value or ""))


def hours_note(text: str) -> str:
    """Hours kept as text in a place's description: stored data, so French whatever the reader's language."""
    return f"Horaires : {text}"


def empty_row() -> dict[str, str]:
    return dict.fromkeys(STANDARD_COLUMNS, "")


def split_address(value) -> tuple[str, str, str]:
    """"8 rue X - 33000 Bordeaux" or "3 Cours Y, 87000 Limoges" -> (street, postcode, city); else (text, "", "")."""
    raw = text(value)
    match = re.fullmatch(r"(.*?)[\s,\-–]*(\d{5})\s+(.+)", raw)
    if not match or not match[1]:
        return raw, "", ""
    return match[1].strip(" ,-"), match[2], match[3].strip()


def postcode_of(commune_name: str, departement: str) -> str:
    """The first postcode of the commune of that name in that département (for addresses without one)."""
    commune = communes_named(commune_name, departements=[departement]).first()
    return commune.postal_code_list[0] if commune and commune.postal_code_list else ""


def undated(conversion: Conversion) -> str:
    note = _("Le fichier ne donne pas de date de mise à jour : %(date)s retenu pour toutes ses lignes.") % {
        "date": UNDATED}
    if note not in conversion.file_notes:
        conversion.file_notes.append(note)
    return UNDATED
