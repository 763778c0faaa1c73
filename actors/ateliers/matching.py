"""Which place an event happens at, from the location its producer wrote (« Médiathèque X, 1 rue…, 86000
Poitiers »): a public place of that postcode whose name or address the text holds, else a place whose exact
name is one of the text's parts. No guess: two candidates are as good as none, and the event is reported."""

import re

from actors.models import Structure
from territories.text import fold

POSTCODE = re.compile(r"\b(\d{5})\b")


def _folded(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", fold(text)).split())


def place_for(location: str) -> Structure | None:
    text = _folded(location)
    if not text:
        return None
    places = Structure.objects.public().only("pk", "slug", "nom", "adresse", "code_postal")
    postcodes = POSTCODE.findall(location)
    if postcodes:
        found = [
            place for place in places.filter(code_postal__in=postcodes)
            if f" {_folded(place.nom)} " in f" {text} " or (place.adresse and _folded(place.adresse) in text)
        ]
        if len(found) == 1:
            return found[0]
    for part in location.split(","):
        named = list(places.filter(nom__iexact=part.strip())[:2]) if part.strip() else []
        if len(named) == 1:
            return named[0]
    return None
