"""Suggestions as one types in the search box: communes (with places), services and places, as JSON for the
combobox of static/js/suggest.js. The form works without it; this only saves typing.

Communes of the same name are listed each with its département, so that the person chooses: never a guess.
Three small queries, each bounded, and the whole under a short time limit: past it, what was found so far
is answered (a suggestion late is a suggestion useless).
"""

from dataclasses import asdict, dataclass
from urllib.parse import urlencode

from django.http import JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from actors.core import search_index
from actors.models import Structure, Term
from actors.timelimit import QueryTimeLimitExceeded, query_time_limit
from actors.vocabulary.enums import TermKind
from territories.communes import SAINTS
from territories.models import Commune
from territories.text import fold

MIN_CHARS = 3
SHOWN = 5  # of each kind
SECONDS = 0.5


@dataclass
class Suggestion:
    kind: str  # « Commune », « Service », « Lieu »: read before the label by screen readers too
    label: str
    url: str


def _list_url() -> str:
    return reverse("actors:list")


def communes(folded: str) -> list[Suggestion]:
    """Communes with places whose name starts with the words typed (« st junien » is Saint-Junien)."""
    name = " ".join(SAINTS.get(word, word) for word in folded.split())
    rows = (Commune.objects.filter(name_folded__startswith=name, kind=Commune.Kind.COMMUNE,
                                   pk__in=Structure.objects.public().values("commune_id"))
            .order_by("-population", "name").values_list("pk", "name", "departement_id")[:SHOWN])
    return [Suggestion(_("Commune"), f"{label} ({departement})", _list_url() + "?" + urlencode({"commune": code}))
            for code, label, departement in rows]


def services(folded: str) -> list[Suggestion]:
    """Services whose label holds a word starting with the text typed (the vocabulary is short: read whole)."""
    found = []
    for code, label in Term.objects.of_kind(TermKind.SERVICES).order_by("position").values_list("code", "label"):
        if any(word.startswith(folded) for word in fold(label).split()) or fold(label).startswith(folded):
            found.append(Suggestion(_("Service"), label, _list_url() + "?" + urlencode({"services": code})))
    return found[:SHOWN]


def places(text: str) -> list[Suggestion]:
    """The most relevant public places for the words typed, the last one as a prefix (the index's rule)."""
    query = search_index.parse(text, needs=False)
    if query is None:
        return []
    ranked = search_index.ranked(Structure.objects.public(), query).order_by("-rank", "nom", "pk")
    return [Suggestion(_("Lieu"), f"{place.display_name} ({place.commune_nom})", place.get_absolute_url())
            for place in ranked[:SHOWN]]

def suggest(text: str) -> list[Suggestion]:
    # Control characters (a NUL byte, which PostgreSQL refuses in any text) are no part of a name.
    text = "".join(char if char.isprintable() else " " for char in text[:200])
    folded = " ".join(fold(text).split())[:80]
    if len(folded) < MIN_CHARS:
        return []
    found: list[Suggestion] = []
    try:
        # Inside the page's own limit (QueryTimeLimitMiddleware), a shorter one: nothing runs after it.
        with query_time_limit(SECONDS):
            for source in (communes, services):
                found += source(folded)
            found += places(text[:80])
    except QueryTimeLimitExceeded:
        pass
    return found


@require_GET
def suggestions(request):
    return JsonResponse({"suggestions": [asdict(item) for item in suggest(request.GET.get("q") or "")]})
