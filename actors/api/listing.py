"""The list of places: the directory's own filter set (actors.directory.filters.StructureFilter), its count and
its order, read page after page through a signed cursor.

The name order (the directory's default) is walked by key (name, id): a place edited, archived or added during
the walk never shifts the others, so each place still listed is given exactly once. Ranked text and distance
orders are read by page number through the list page's own reader (actors.directory.views.page_rows): those
result sets are bounded by the text search's cap and by the radius.
"""

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Q, prefetch_related_objects
from django.http import QueryDict
from django.utils.translation import gettext as _

from actors.api import cursor
from actors.api.errors import ApiError
from actors.core.versioned_cache import cache_key, kept
from actors.directory import counts as listcache
from actors.directory import facets
from actors.directory.filters import StructureFilter
from actors.directory.views import page_rows
from actors.models import Structure
from actors.models.version import data_version

# The list page's path: the API shares its cached counts (actors.directory.counts), so both say the same number.
LIST_SCOPE = "/lieux/"
OWN_PARAMETERS = ("curseur", "limite", "format", "date")
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
KEYSET_ORDER = ("nom", "pk")


def limit_of(query: QueryDict, default: int = DEFAULT_LIMIT) -> int:
    raw = query.get("limite") or str(default)
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_LIMIT:
        raise ApiError(400, _("« limite » doit être un nombre entier de 1 à %(max)d.") % {"max": MAX_LIMIT})
    return int(raw)


def filter_set(query: QueryDict, *, now: dt.datetime | None) -> StructureFilter:
    """The directory's filter set of the query; 400 for a parameter it does not know or could not use (as the
    exports refuse it, rather than answer for other places than asked)."""
    unknown = [name for name in query if name not in StructureFilter.base_filters and name not in OWN_PARAMETERS]
    if unknown:
        raise ApiError(400, _("Paramètre inconnu : %(names)s.") % {"names": ", ".join(sorted(unknown))})
    filters = query.copy()
    for name in OWN_PARAMETERS:
        filters.pop(name, None)
    filterset = StructureFilter(filters, Structure.objects.public(), now=now)
    filterset.qs  # noqa: B018 - validates the parameters and fills `notices`
    if filterset.notices:
        raise ApiError(400, " ".join(str(notice) for notice in filterset.notices))
    return filterset


def total(filterset: StructureFilter) -> int:
    text = filterset.text_search
    if text is not None and text.broad:
        return text.total  # a very broad text match is counted up to its cap, as on the list page
    # The list page's counts when it has them (the same number by construction); else the total alone, without
    # the facets the API does not show (the costly part of a cold count at national scale).
    version = data_version()
    listed = cache.get(listcache.summary_key(LIST_SCOPE, filterset, version))
    if listed is not None:
        return listed[0].total
    counted = kept(cache_key("apicounts", listcache.filter_set_key(filterset), version),
                   lambda: facets.totals(filterset), seconds=settings.LIST_COUNTS_SECONDS)
    return counted.total


def page(filterset: StructureFilter, *, limit: int, token: str | None) -> tuple[list[Structure], int, list | None]:
    """(rows of the page, total, cursor of the next page or None)."""
    key = listcache.filter_set_key(filterset) + f"|tri={filterset.sort}|limite={limit}"
    position = cursor.read(token, query=key) if token else None
    count = total(filterset)
    queryset = filterset.qs
    if tuple(queryset.query.order_by) == KEYSET_ORDER:
        if position is not None:
            if len(position) != 2:
                raise ApiError(400, _("Curseur invalide : utilisez tel quel le lien « next » d'une réponse."))
            name, pk = position
            queryset = queryset.filter(Q(nom__gt=name) | Q(nom=name, pk__gt=pk))
        rows = list(queryset.select_related("commune").prefetch_related("terms", "service_area")[:limit + 1])
        more = len(rows) > limit
        rows = rows[:limit]
        following = [rows[-1].nom, rows[-1].pk] if more else None
    else:
        number = position[0] if position else 1
        if not isinstance(number, int) or number < 1:
            raise ApiError(400, _("Curseur invalide : utilisez tel quel le lien « next » d'une réponse."))
        paginator = Paginator(queryset, limit)
        paginator.count = count
        if count == 0 or number > paginator.num_pages:
            return [], count, None
        rows = page_rows(filterset, paginator.page(number))
        prefetch_related_objects(rows, "service_area")
        following = [number + 1] if number < paginator.num_pages else None
    next_token = cursor.make(query=key, position=following) if following else None
    return rows, count, next_token
