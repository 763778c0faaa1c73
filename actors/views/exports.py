"""Open-data exports in the national standard, over HTTP: CSV, JSON, GeoJSON, filtered by territory."""

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from actors.exports import FORMATS, export_chunks, public_structures
from actors.filters_exports import ExportFilter


def export_filename(fmt: str, territory: str = "") -> str:
    """The standard's recommended name: AAAA-MM-JJ_lieux-de-mediation-numerique[_territoire].ext."""
    parts = [timezone.localdate().isoformat(), "lieux-de-mediation-numerique"]
    if territory:
        parts.append(territory)
    return "_".join(parts) + f".{fmt}"


class ExportView(View):
    """Streams the published structures of a territory; invalid parameters get a 400 in plain French."""

    filterset_class = ExportFilter

    def get(self, request, fmt: str):
        filterset = self.filterset_class(request.GET, queryset=public_structures())
        if not filterset.is_valid():
            lines = [f"{name} : {' '.join(errors)}" for name, errors in filterset.errors.items()]
            message = _("Paramètre invalide, rien n'a été exporté.") + "\n" + "\n".join(lines) + "\n"
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        territory = "-".join(value for value in filterset.form.cleaned_data.values() if value)
        response = StreamingHttpResponse(export_chunks(filterset.qs, fmt), content_type=FORMATS[fmt])
        response["Content-Disposition"] = f'attachment; filename="{export_filename(fmt, territory.upper())}"'
        response["Access-Control-Allow-Origin"] = "*"  # open data: other sites may fetch it
        return response
