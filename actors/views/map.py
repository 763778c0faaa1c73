"""The public map: the page, its data endpoint (clustered on the server) and the embeddable variant."""

import json

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.gzip import gzip_page
from django.views.generic import TemplateView, View

from actors.enums import SERVICE_GROUPS
from actors.mapdata import InvalidViewport, cache_key, data_version, map_data, parse_viewport
from actors.models import Structure


def filtered_structures(request: HttpRequest):
    """The published structures matching the request's filters (the same FilterSet as the list)."""
    return Structure.objects.published()


class MapPageMixin:
    """Shared by the full page and the embed: the same filters, preset from the query string."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["needs"] = [(key, label) for key, (label, _codes) in SERVICE_GROUPS.items()]
        context["query"] = self.request.GET.urlencode()
        context["map_cache_seconds"] = settings.MAP_CACHE_SECONDS
        return context


class MapView(MapPageMixin, TemplateView):
    template_name = "actors/map.html"


@method_decorator(xframe_options_exempt, name="dispatch")
class EmbedMapView(MapPageMixin, TemplateView):
    """Chrome-less map for partner sites' iframes: the only pages that may be framed."""

    template_name = "actors/embed_map.html"

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response.frame_ancestors = "*"
        return response


@method_decorator(gzip_page, name="dispatch")
class MapDataView(View):
    """Clusters or points for one viewport; cached per filters + viewport + data version."""

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            viewport = parse_viewport(request.GET.get("bbox"), request.GET.get("zoom"))
        except InvalidViewport as error:
            return JsonResponse({"erreur": str(error)}, status=400)
        key = cache_key(dict(request.GET.lists()), viewport, data_version())
        payload = cache.get(key)
        if payload is None:
            data = map_data(filtered_structures(request), viewport)
            payload = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
            cache.set(key, payload, settings.MAP_CACHE_SECONDS)
        response = HttpResponse(payload, content_type="application/json")
        patch_cache_control(response, public=True, max_age=settings.MAP_CACHE_SECONDS)
        return response
