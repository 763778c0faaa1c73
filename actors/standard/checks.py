"""Checks of single values of the standard that a regular expression alone cannot do."""

import re

# (south, north, west, east) in WGS84 degrees; generous boxes: the goal is to catch swapped or null
# coordinates and points abroad, not to draw coastlines.
FRANCE_BOXES: dict[str, tuple[float, float, float, float]] = {
    "métropole": (41.2, 51.2, -5.6, 9.9),
    "Guadeloupe": (15.8, 16.6, -61.9, -60.9),
    "Martinique": (14.3, 14.95, -61.3, -60.75),
    "Guyane": (2.0, 5.9, -54.7, -51.5),
    "La Réunion": (-21.45, -20.8, 55.15, 55.9),
    "Mayotte": (-13.1, -12.55, 44.9, 45.4),
    # Overseas collectivities with INSEE codes (975, 977, 978), next to the DROM.
    "Saint-Pierre-et-Miquelon": (46.7, 47.2, -56.5, -56.0),
    "Saint-Martin et Saint-Barthélemy": (17.85, 18.15, -63.2, -62.75),
}

SIRET = re.compile(r"^\d{14}$")
RNA = re.compile(r"^W\d{9}$")
LA_POSTE_SIREN = "356000000"


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def siret_ok(siret: str) -> bool:
    """SIRET checksum as the standard accepts it: Luhn, or for La Poste's establishments (SIREN 356000000)
    digits adding up to a multiple of 5, as an alternative (the head office, 35600000000048, passes Luhn and
    not the sum rule). The all-zeros placeholder of the national files passes Luhn."""
    if not SIRET.match(siret):
        return False
    if luhn_ok(siret):
        return True
    return siret.startswith(LA_POSTE_SIREN) and sum(int(char) for char in siret) % 5 == 0


def pivot_error(pivot: str) -> str | None:
    """French reason why `pivot` is not a valid SIRET / RNA / RIDET, or None."""
    if not re.fullmatch(r"[a-zA-Z0-9]{9,14}", pivot):
        return f"« {pivot} » n'est ni un SIRET (14 chiffres) ni un numéro RNA (W suivi de 9 chiffres)."
    if pivot[0] in "Ww":
        if not RNA.match(pivot):
            return f"Le numéro RNA « {pivot} » doit être un W majuscule suivi de 9 chiffres."
        return None
    if SIRET.match(pivot) and not siret_ok(pivot):
        return f"Le SIRET « {pivot} » est invalide : sa clé de contrôle ne correspond pas (faute de frappe ?)."
    return None


def in_france(latitude: float, longitude: float) -> bool:
    return any(
        south <= latitude <= north and west <= longitude <= east
        for south, north, west, east in FRANCE_BOXES.values()
    )


def coordinates_error(latitude: float, longitude: float) -> str | None:
    if in_france(latitude, longitude):
        return None
    if in_france(longitude, latitude):
        return "La latitude et la longitude semblent inversées : le point tombe en France une fois échangées."
    return (
        f"Le point ({latitude}, {longitude}) est hors de France (métropole et outre-mer) : "
        "vérifiez les coordonnées (degrés décimaux WGS84, latitude puis longitude)."
    )


def complete_siret(prefix: str) -> str:
    """The 14-digit SIRET made of a 13-digit `prefix` and the Luhn check digit (for generated data)."""
    for last in "0123456789":
        if luhn_ok(prefix + last):
            return prefix + last
    raise ValueError(prefix)  # unreachable: one digit out of ten always completes a Luhn sum
