"""The first places of a nearest-first list, read from a smaller circle when the radius holds many more.

A list « près de » a commune of a dense area (10 km around Lille: ~1,000 places at national scale) would
otherwise measure every place of the radius to show 20. The page is first looked for in the circle that
should hold a few times the places it needs, given how many the whole radius holds (the list's count,
already known). When it does not (places gathered on one side), the whole radius is read: one query more,
at most.

The answer is the same as measuring the whole radius: when the place ranked `top` lies at `d` ≤ the
smaller radius, every place nearer than it lies in that smaller circle, hence in its box, which was read
whole; ties are broken by the list's own order (quality, name, id), on the same distances.
"""

import math

from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point

from actors.core import search_index
from actors.core.search_index import TextQuery
from actors.directory import conditions

HEADROOM = 4  # the smaller circle should hold about four times the places the page needs


def nearest_ids(places, *, order: list[str], point: Point, km: float, top: int,
                count: int) -> tuple[list[int], float]:
    """The ids of the first `top` of `places` (without the radius condition) in the list's nearest-first
    `order`, within the box of `km`; and the radius (km) that was read."""
    measured = places.annotate(distance=Distance("location", point, spheroid=True)).order_by(*order)
    radius = km * math.sqrt(min(1.0, HEADROOM * top / max(count, 1)))
    if radius < km:
        found = list(measured.filter(conditions.near_box(point, radius)).values_list("pk", "distance")[:top])
        if len(found) == top and found[-1][1].m <= radius * 1000:
            return [pk for pk, _distance in found], radius
    return list(measured.filter(conditions.near_box(point, km)).values_list("pk", flat=True)[:top]), km


def name_words_found(name: str, query: TextQuery) -> int:
    """How many of the query's words (or phrases, or needs) the place's name holds, as the index reads it."""
    stems = [stemmed for _word, stemmed in search_index.analysed(name)]
    found = 0
    for slot in query.slots:
        for alternative in slot:
            size = len(alternative.words)
            if alternative.prefix and any(s.startswith(alternative.words[0]) for s in stems):
                break
            if any(tuple(stems[i:i + size]) == alternative.words for i in range(len(stems) - size + 1)):
                break
        else:
            continue
        found += 1
    return found


def nearest_among_equals(ranked: list[tuple[int, str, float]], query: TextQuery) -> list[int]:
    """Ids of a search « près de » a place, (id, name, metres) given in relevance order: the places whose name
    holds the most words first, nearest first among them; relevance breaks a tie of distance (a stable sort).
    A rank's fine differences (one word more in a description) do not put a place 19 km away before one at
    10 km with the same name."""
    return [pk for pk, _name, _metres in sorted(
        ranked, key=lambda row: (-name_words_found(row[1], query), row[2]))]
