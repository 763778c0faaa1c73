"""Open-data exports in the national standard, over HTTP: CSV, JSON, GeoJSON.

They take the directory's filters (`StructureFilter`: territory, services, hours, text...), so an export
holds exactly the places the list shows for the same query string.
"""

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from actors.exports import FORMATS, export_chunks, public_structures
from actors.filters import StructureFilter

TERRITORY_PARAMETERS = ("departement", "epci", "commune")


def export_filename(fmt: str, territory: str = "") -> str:
    """The standard's recommended name: AAAA-MM-JJ_lieux-de-mediation-numerique[_territoire].ext."""
    parts = [timezone.localdate().isoformat(), "lieux-de-mediation-numerique"]
    if territory:
        parts.append(territory)
    return "_".join(parts) + f".{fmt}"


def selection(params) -> tuple[StructureFilter, list[str]]:
    """The filtered published structures and the French notices of parameters that could not be used."""
    filterset = StructureFilter(params, queryset=public_structures())
    filterset.qs  # noqa: B018 - validates the parameters and fills `notices`
    return filterset, filterset.notices


class ExportView(View):
    """Streams the selection; a parameter that cannot be applied is a 400 rather than a bigger file."""

    def get(self, request, fmt: str):
        filterset, notices = selection(request.GET)
        if notices:
            message = _("Paramètre invalide, rien n'a été exporté.") + "\n" + "\n".join(notices) + "\n"
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        cleaned = filterset.cleaned
        territory = "-".join(str(cleaned[name]) for name in TERRITORY_PARAMETERS if cleaned.get(name))
        response = StreamingHttpResponse(export_chunks(filterset.qs, fmt), content_type=FORMATS[fmt])
        response["Content-Disposition"] = f'attachment; filename="{export_filename(fmt, territory.upper())}"'
        response["Access-Control-Allow-Origin"] = "*"  # open data: other sites may fetch it
        return response
