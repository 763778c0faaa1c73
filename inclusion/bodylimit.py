"""Request bodies above a cap are refused before a byte of them is read (HTTP 413, a French page).

Django reads at most Content-Length bytes of a body (a body sent without one, chunked, is not read at all), so
checking the announced length at the door caps what any view can receive: a 200 MB post to a public form is
answered at once, not spooled to disk first. Public pages take small forms (PUBLIC_BODY_MAX_BYTES); the
admin takes partner files up to the import's limit (ADMIN_BODY_MAX_BYTES).
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def body_cap(path: str) -> int:
    return settings.ADMIN_BODY_MAX_BYTES if path.startswith("/admin/") else settings.PUBLIC_BODY_MAX_BYTES


class BodySizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body it cannot measure
        cap = body_cap(request.path_info)
        if length > cap and request.path_info.startswith("/api/"):
            response = JsonResponse({"detail": _("Requête trop volumineuse : %(n)d octets au plus.") % {"n": cap}},
                                    status=413, json_dumps_params={"ensure_ascii": False})
        elif length > cap:
            response = render(request, "413.html", {"cap": cap}, status=413)
        if length > cap:
            response["Connection"] = "close"  # the unread body must not be taken for the next request
            return response
        return self.get_response(request)
