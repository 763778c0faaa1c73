"""The directory's result count and facet counts, computed once per filter set and data version.

Counting is the costly part of a list page at national scale (the facets group every structure-term link
of the selection: 1.2 million for 100,000 places), and it does not depend on the page, the sort or the
language. So both are kept in the cache (shared by every server when REDIS_URL is set) under the scope
(the page's path: the directory or a territory page), the normalised filters and the data version: an edit
changes the version, hence the key, and is seen at once. `warm()` fills the unfiltered directory and every
département after a bulk change.
"""


import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.http import QueryDict
from django.utils import timezone
from django.utils.http import urlencode

from actors.core.versioned_cache import cache_key, kept
from actors.directory import facets
from actors.directory.filters import AT_THE_MINUTE, OPENING, StructureFilter
from actors.models import Structure
from actors.models.version import data_version
from territories.models import Departement

# Parameters that change what is shown, never what is counted.
NOT_COUNTED = ("page", "tri")


def filters_key(query, *, now: dt.datetime | None = None) -> str:
    """A filter set's query as one text, the same for the same filters: only the filters' own parameters,
    without those that change what is shown but not which places (page, sort), in any order of parameters and
    of values. The one normalisation of the directory's counts, the map's selection and the map's data
    (actors.map); `query` a QueryDict or a dict of lists, read without building the filter set.

    Opening filters are answered for real dates (the next Saturday, closures, holidays): the text then holds
    the day, and the minute for "open now" and « ateliers cette semaine » (a session ends), so that a cached
    answer is asked again when it may have changed.
    """
    lists = query.lists() if hasattr(query, "lists") else (
        (name, value if isinstance(value, list | tuple) else [value]) for name, value in query.items())
    counted = {name: sorted(str(v) for v in values) for name, values in lists
               if name in StructureFilter.base_filters and name not in NOT_COUNTED and any(values)}
    # Percent-encoded: a value holding a comma or "&" (an address) never reads as two values.
    filters = urlencode([(name, value) for name, values in sorted(counted.items()) for value in values])
    if any(name in counted for name in (*OPENING, *AT_THE_MINUTE)):
        moment = timezone.localtime(now or timezone.now())
        at_the_minute = any(name in counted for name in AT_THE_MINUTE)
        filters += "|" + moment.strftime("%Y-%m-%d %H:%M" if at_the_minute else "%Y-%m-%d")
    return filters


def filter_set_key(filterset: StructureFilter) -> str:
    """`filters_key` of a filter set's (cleaned) data at its moment."""
    return filters_key(filterset.data, now=filterset.now)


def summary_key(scope: str, filterset: StructureFilter, version: str) -> str:
    """The cache key of a filter set's counts on a page (`scope`) for a data version."""
    return cache_key("listcounts", scope, filter_set_key(filterset), version)


def counts(filterset: StructureFilter, *, scope: str,
           version: str | None = None) -> tuple[facets.Totals, dict[int, int]]:
    """(results and places left out, {term id: count}) of the filter set, from the cache when counted."""
    return kept(summary_key(scope, filterset, version or data_version()),
                lambda: (facets.totals(filterset), facets.term_counts(filterset)), seconds=settings.LIST_COUNTS_SECONDS)


def warm() -> int:
    """Counts of the unfiltered directory and of each département's list; returns how many were computed."""

    version = data_version()
    queries = [""] + [f"departement={code}" for code in Departement.objects.values_list("pk", flat=True)]
    for query in queries:
        filterset = StructureFilter(QueryDict(query), Structure.objects.public())
        result = counts(filterset, scope="/", version=version)
        cache.set(summary_key("/lieux/", filterset, version), result, settings.LIST_COUNTS_SECONDS)
    return len(queries)
