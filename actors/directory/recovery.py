"""What a page with no result offers instead of a dead end: each word of the search alone, with the count
it would give under the same filters (« imprimer : 182 lieux »), and, « près de » a place, the nearest
matching places just beyond the radius with their distance and the radius that reaches them.

Read only when the list is empty, so its queries (one aggregate for the words, one for the nearest places
and one count) never weigh on a page that has results.
"""

from dataclasses import dataclass

from django.contrib.gis.db.models.functions import Distance
from django.db.models import Count, Q

from actors.core import search_index
from actors.directory import conditions as queries
from actors.directory.filters import StructureFilter
from territories.models import Commune

RADII = [1, 2, 5, 10, 20, 50, 100]
BEYOND_SHOWN = 3


@dataclass
class WordCount:
    word: str  # as typed (folded)
    count: int
    url: str  # the same search with this word alone


@dataclass
class Beyond:
    places: list  # the nearest matching places outside the radius, each with `distance`
    radius: int  # the smallest radius offered that reaches the first of them
    count: int  # the results within that radius
    url: str


def word_counts(query, filterset: StructureFilter) -> list[WordCount]:
    """Each word (or phrase, or need) of a search of several, alone with the other filters: one aggregate.
    Words that alone find nothing are listed too (« pronote : 0 lieu »): they say which word is at fault."""
    text = filterset.text_search
    if text is None or len(text.query.slots) < 2:
        return []
    whole = text.query
    others = filterset.conditions_without("q")
    counts = filterset.queryset.aggregate(**{
        f"w{index}": Count("pk", filter=Q(*others, search_index.matches(whole.only(index))))
        for index in range(len(whole.slots))
    })
    kept = _understood_words(filterset)
    found = []
    for index, word in enumerate(whole.typed):
        alone = query.copy()
        alone["q"] = " ".join([word, *kept])
        alone.pop("page", None)
        found.append(WordCount(word=word, count=counts[f"w{index}"], url="?" + alone.urlencode()))
    return found


def _understood_words(filterset: StructureFilter) -> list[str]:
    """The words of the box read as a day or a place: kept in a word's link, so that its filters stay."""
    understood = filterset.understood
    return list(understood.phrases.values()) if understood is not None else []


def beyond_radius(query, filterset: StructureFilter) -> Beyond | None:
    """The nearest places passing every other filter, within the largest radius, when none lies within the
    one asked (or in the commune asked, measured from its centre); the database measures the distances (on
    the spheroid, as the list does). The wider radius is offered as a link « près de » only."""
    point, left_out = filterset.point, "pres_de"
    if point is None and filterset.cleaned.get("commune"):
        point = Commune.objects.filter(pk=filterset.cleaned["commune"]).values_list("centre", flat=True).first()
        left_out = "commune"
    if point is None:
        return None
    others = filterset.queryset_without(left_out)
    rows = list(
        others.filter(queries.near_box(point, queries.MAX_RADIUS_KM))
        .annotate(distance=Distance("location", point, spheroid=True))
        .select_related("commune").order_by("distance", "pk")[:BEYOND_SHOWN]
    )
    rows = [row for row in rows if row.distance.km <= queries.MAX_RADIUS_KM]
    if not rows:
        return None
    if left_out == "commune":
        return Beyond(places=rows, radius=0, count=0, url="")
    radius = next(r for r in RADII if r >= rows[0].distance.km)
    count = others.filter(queries.near(point, radius)).count()
    wider = query.copy()
    wider["rayon"] = str(radius)
    wider.pop("page", None)
    return Beyond(places=rows, radius=radius, count=count, url="?" + wider.urlencode())
