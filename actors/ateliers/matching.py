"""Which place an event happens at, from the location its producer wrote (« Médiathèque X, 1 rue…, 86000
Poitiers »): a public place of that postcode whose name the text holds (the most fully named one when several
do), else the one place of that postcode at the address the text holds, else a place whose exact name is one of
the text's parts. No guess: two equally good candidates are as good as none, and the event is reported."""

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
        places = places.filter(code_postal__in=postcodes)
        candidates = list(places)
        # A name written in the location says more than an address several places share.
        named = [place for place in candidates if f" {_folded(place.nom)} " in f" {text} "]
        if named:
            return _most_specific(named)
        at_address = [place for place in candidates if place.adresse and _folded(place.adresse) in text]
        if at_address:
            return at_address[0] if len(at_address) == 1 else None
    for part in location.split(","):
        named = list(places.filter(nom__iexact=part.strip())[:2]) if part.strip() else []
        if len(named) == 1:
            return named[0]
    return None


def _most_specific(found: list[Structure]) -> Structure | None:
    """One candidate; or the one whose name holds every other's (« Commune de X, …, médiathèque » over
    « Médiathèque »): the text names it more fully. Otherwise no guess."""
    if len(found) == 1:
        return found[0]
    names = {place.pk: f" {_folded(place.nom)} " for place in found}
    fullest = [place for place in found if all(other in names[place.pk] for other in names.values())]
    return fullest[0] if len(fullest) == 1 else None
