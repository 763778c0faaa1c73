"""Open-data exports in the national standard, over HTTP: CSV, JSON, GeoJSON.

They take the directory's filters (`StructureFilter`: territory, services, hours, text...), so an export
holds exactly the places the list shows for the same query string.
"""

import hashlib

from django.core.cache import cache
from django.db import transaction
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views import View

from actors.directory.filters import StructureFilter
from actors.models.version import data_version
from actors.open_data import files
from actors.open_data.exports import FORMATS, export_chunks, public_structures

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
    """Streams the selection; a parameter that cannot be applied is a 400 rather than a bigger file.

    Without any parameter (the national file), the file built in the background for the current data is
    sent as it is stored, gzipped (or unpacked on the fly for the rare client without gzip); while it is
    missing or older than the data, a rebuild is queued and the rows stream from the database.
    """

    def get(self, request, fmt: str):
        if not request.GET:
            return national_file(request, fmt)
        filterset, notices = selection(request.GET)
        if notices:
            message = _("Paramètre invalide, rien n'a été exporté.") + "\n" + "\n".join(notices) + "\n"
            return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
        cleaned = filterset.cleaned
        territory = "-".join(str(cleaned[name]) for name in TERRITORY_PARAMETERS if cleaned.get(name))
        response = StreamingHttpResponse(export_chunks(filterset.qs, fmt), content_type=FORMATS[fmt])
        return open_data(response, export_filename(fmt, territory.upper()))


def open_data(response, filename: str):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"  # open data: other sites may fetch it
    return response


def national_file(request, fmt: str):
    version = data_version()
    if not files.is_current(version):
        queued = "exports-queued:" + hashlib.sha256(version.encode()).hexdigest()
        if cache.add(queued, True, 600):  # once per data version, whatever the traffic
            transaction.on_commit(files.build_files.enqueue)
        response = StreamingHttpResponse(export_chunks(public_structures(), fmt), content_type=FORMATS[fmt])
        return open_data(response, export_filename(fmt))
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = FileResponse(files.path_for(fmt).open("rb"), content_type=FORMATS[fmt])
        response["Content-Encoding"] = "gzip"
    else:
        response = StreamingHttpResponse(files.chunks_unpacked(fmt), content_type=FORMATS[fmt])
    patch_vary_headers(response, ["Accept-Encoding"])
    return open_data(response, export_filename(fmt))
