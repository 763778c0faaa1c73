"""The directory's result count and facet counts, computed once per filter set and data version.

Counting is the costly part of a list page at national scale (the facets group every structure-term link
of the selection: 1.2 million for 100,000 places), and it does not depend on the page, the sort or the
language. So both are kept in the cache (shared by every server when REDIS_URL is set) under the scope
(the page's path: the directory or a territory page), the normalised filters and the data version: an edit
changes the version, hence the key, and is seen at once. `warm()` fills the unfiltered directory and every
département after a bulk change.
"""


from django.conf import settings
from django.core.cache import cache
from django.http import QueryDict
from django.utils import timezone

from actors.core.versioned_cache import cache_key, kept
from actors.directory import facets
from actors.directory.filters import OPENING, StructureFilter
from actors.models import Structure
from actors.models.version import data_version
from territories.models import Departement

# Parameters that change what is shown, never what is counted.
NOT_COUNTED = ("page", "tri")


def summary_key(scope: str, filterset: StructureFilter, version: str) -> str:
    """Counted parameters only (their order and the order of values do not matter)."""
    query = filterset.data
    lists = query.lists() if hasattr(query, "lists") else ((name, [value]) for name, value in query.items())
    filters = "&".join(
        f"{name}={','.join(sorted(str(v) for v in values))}"
        for name, values in sorted(lists)
        if name in filterset.filters and name not in NOT_COUNTED and any(values)
    )
    if any(f"{name}=" in filters for name in OPENING):
        # Opening answers are for real dates (the next Saturday, closures, holidays): counted again each day,
        # and each minute for "open now".
        moment = timezone.localtime(filterset.now or timezone.now())
        filters += "|" + moment.strftime("%Y-%m-%d %H:%M" if "ouvert=" in filters else "%Y-%m-%d")
    return cache_key("listcounts", scope, filters, version)


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
