"""What the one search box understood: day and time words become the opening filters, a commune or a
département named at the end becomes the territory filter; the other words stay a text search.

`understand` only reads the text (one query for the place); `StructureFilter` applies what it found to the
request's data, unless the person asked for the words as typed (`tels_quels`). Each understood part keeps
the words it came from, so that its chip removes them from the box.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import CharField, IntegerField, Value
from django.db.models.functions import Coalesce

from actors.core.versioned_cache import cache_key, kept
from actors.models import Structure
from actors.models.version import data_version
from territories.communes import SAINTS
from territories.models import Commune, Departement
from territories.text import fold

DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MAX_PLACE_WORDS = 5
# Folded phrases -> (filter, value); "+0" / "+1": today / tomorrow's weekday, settled at the request's date.
TIME_PHRASES = [
    *((rf"\b(?:le |les )?{day}s?\b", ("jour", day)) for day in DAYS),
    (r"\baujourd hui\b", ("jour", "+0")),
    (r"\bdemain\b", ("jour", "+1")),
    (r"\b(?:ce |le |les )?soirs?\b", ("soir", "1")),
    (r"\bapres (?:18|19|20|21|22) ?(?:h|heures?)\b", ("soir", "1")),
    (r"\b(?:ce |le )?week ?end\b", ("weekend", "1")),
    (r"\b(?:ouverts? )?maintenant\b", ("ouvert", "maintenant")),
]


@dataclass
class Understood:
    text: str  # the words left for the text search, folded
    filters: dict[str, str] = field(default_factory=dict)  # filter name -> value
    phrases: dict[str, str] = field(default_factory=dict)  # filter name -> the folded words it came from
    place: str = ""  # the place's name, for its chip
    choices: list[tuple[str, str]] = field(default_factory=list)  # communes of the name typed: (code, label)

    def text_without(self, name: str, original: str) -> str:
        """The box's text without the words of filter `name` (its chip's link)."""
        phrase = self.phrases.get(name, "")
        return " ".join(fold(original).replace(phrase, " ").split()) if phrase else original


def understand(text: str, *, today: dt.date, read_place: bool = True) -> Understood:
    """Day and time phrases, then (when `read_place`) a commune or département ending the text."""
    folded = fold(text)
    result = Understood(text=folded)
    for pattern, (name, value) in TIME_PHRASES:
        found = re.search(pattern, result.text)
        if found is None or name in result.filters:
            continue
        if value.startswith("+"):
            value = DAYS[(today.weekday() + int(value[1:])) % 7]
        result.filters[name] = value
        result.phrases[name] = found.group(0)
        result.text = " ".join((result.text[:found.start()] + " " + result.text[found.end():]).split())
    if read_place:
        _read_place(result)
    return result


def _read_place(result: Understood) -> None:
    """The longest run of final words naming a commune (then a département) becomes its filter."""
    words = result.text.split()
    runs = {" ".join(SAINTS.get(w, w) for w in words[i:]): " ".join(words[i:])
            for i in range(max(0, len(words) - MAX_PLACE_WORDS), len(words))}
    if not runs:
        return
    # Only a commune with places: « Sainte Foy » is Sainte-Foy (Landes, no place) and Sainte-Foy-la-Grande's
    # first words; the text search finds the second, the filter would show nothing. Communes and départements
    # are read in one query (a text page keeps its query budget).
    communes = (Commune.objects.filter(name_folded__in=list(runs), kind=Commune.Kind.COMMUNE,
                                       pk__in=Structure.objects.public().values("commune_id"))
                .annotate(what=Value("commune"), size=Coalesce("population", 0))
                .order_by().values_list("what", "pk", "name", "name_folded", "size", "departement_id"))
    departements = (Departement.objects.filter(name_folded__in=list(runs))
                    .annotate(what=Value("departement"), size=Value(0, output_field=IntegerField()),
                              parent=Value("", output_field=CharField()))
                    .order_by().values_list("what", "pk", "name", "name_folded", "size", "parent"))
    # Kept per data version, like the text's matches: paging through the results reads it once.
    found = kept(cache_key("box-place-parent", *sorted(runs), data_version()),
                 lambda: list(communes.union(departements, all=True)), seconds=settings.LIST_COUNTS_SECONDS)
    # The longest name wins (« haute vienne » is the Haute-Vienne, not Vienne), then a commune, the biggest.
    best = max(found, key=lambda row: (len(row[3]), row[0] == "commune", row[4]), default=None)
    if best is None:
        return
    name, pk, label, folded, _size, _parent = best
    typed = runs[folded]
    namesakes = sorted((row for row in found if row[0] == "commune" and row[3] == folded), key=lambda row: row[5])
    if name == "commune" and len(namesakes) > 1:
        # Two communes of that name have places (Saint-Paul in the Gironde and in the Haute-Vienne): the person
        # chooses; meanwhile the words are searched as typed.
        result.choices = [(row[1], f"{row[2]} ({row[5]})") for row in namesakes]
        result.phrases["commune"] = typed
        return
    result.filters[name] = pk
    result.phrases[name] = typed
    result.place = label
    result.text = " ".join(result.text[:len(result.text) - len(typed)].split())
