"""How many places the list would show for a filter set, before it is applied: the « Voir les N résultats »
button that follows the first changed filter (static/js/directory.js) asks it as the person ticks.

The same filter set and the same cached counts as the list page (scope "/"), so the number on the button is
the number on the page it opens, and asking warms that page's counts.
"""

from django.http import JsonResponse
from django.utils.formats import localize
from django.utils.translation import gettext, ngettext

from actors.directory import counts as listcache
from actors.directory.filters import StructureFilter
from actors.models import Structure

LIST_SCOPE = "/"


def result_count(request) -> JsonResponse:
    filterset = StructureFilter(request.GET, Structure.objects.public(), request=request)
    filterset.qs  # noqa: B018 - builds the conditions and runs the bounded text search
    text = filterset.text_search
    if text is not None and text.broad:
        # A very broad text match is not counted whole, as on the page (textsearch.py).
        total = text.total
        label = ngettext("Voir plus de %(n)s résultat", "Voir plus de %(n)s résultats", total)
    else:
        total = listcache.counts(filterset, scope=LIST_SCOPE)[0].total
        label = (ngettext("Voir le %(n)s résultat", "Voir les %(n)s résultats", total) if total
                 else gettext("Aucun résultat : voir comment élargir"))
    return JsonResponse({"n": total, "label": label % {"n": localize(total)}})
