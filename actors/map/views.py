"""The public map: the page, its data endpoint (clustered on the server) and the embeddable variant."""

import hashlib
import json

from django.conf import settings
from django.contrib.gis.db.models import Extent
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_cache_control
from django.utils.decorators import method_decorator
from django.utils.translation import get_language, gettext
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.generic import TemplateView, View

from actors.directory.filters import WEEKDAYS, StructureFilter
from actors.directory.views import active_chips, title_filters
from actors.map.communes import communes_in_view
from actors.map.data import InvalidViewport, cache_key, map_data, parse_viewport
from actors.map.grid import selected_places
from actors.models import Structure
from actors.models.version import data_version
from actors.vocabulary.enums import SERVICE_GROUPS

# Filters the map panel shows as its own controls; every other parameter of the query is kept as is.
PANEL_FILTERS = ("besoin", "ouvert", "frais", "q", "jour", "soir", "ateliers")
# The map's own state in its URL (centre=lat,lon&zoom=z): written by the script, read back on Back or a link.
VIEW_PARAMS = ("centre", "zoom", "bbox")


def map_filterset(request: HttpRequest) -> StructureFilter:
    return StructureFilter(request.GET, queryset=Structure.objects.public())


class MapPageMixin:
    """Shared by the full page and the embed: the same filters, preset from the query string."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = map_filterset(self.request)
        cleaned = filterset.cleaned
        query = self.request.GET.copy()
        view = map_view(self.request.GET.get("centre"), self.request.GET.get("zoom"))
        notices = list(filterset.notices)
        if self.request.GET.get("centre") and not view:
            notices.append(gettext("La position de la carte donnée dans l'adresse n'a pas pu être lue : la carte "
                                   "montre tous les lieux choisis."))
        for name in VIEW_PARAMS:
            query.pop(name, None)
        context.update(
            needs=[(key, label) for key, (label, _codes) in SERVICE_GROUPS.items()],
            selected_needs=cleaned.get("besoin") or [],
            open_now=bool(cleaned.get("ouvert")),
            free="gratuit" in (cleaned.get("frais") or []),
            text=cleaned.get("q") or "",
            kept=[(name, value) for name, values in query.lists() if name not in PANEL_FILTERS
                  for value in values if value],
            notices=notices,
            view=view,
            days=WEEKDAYS,
            day=cleaned.get("jour") or "",
            evening=bool(cleaned.get("soir")),
            ateliers_week=bool(cleaned.get("ateliers")),
            query=query.urlencode(),
            endpoint=reverse("actors:map_data"),
            list_url=reverse("actors:list") if _has_route("actors:list") else "",
            strings=map_strings(),
            bounds=_bounds(filterset),
            title_filters=title_filters(active_chips(self.request.GET, filterset)),
        )
        return context


def map_view(centre: str | None, zoom: str | None) -> str:
    """"lat,lon,zoom" when the URL gives a readable centre and zoom, else "" (the map frames the places)."""
    try:
        lat, lon = (float(part) for part in (centre or "").split(","))
        level = int(zoom or "")
    except ValueError:
        return ""
    if not (-85 <= lat <= 85 and -180 <= lon <= 180 and 0 <= level <= 20):
        return ""
    return f"{lat:.5f},{lon:.5f},{level}"


# Mainland France, the first view when no filter narrows the places down.
FRANCE_BOUNDS = "41.30000,-5.20000,51.10000,9.60000"


def _bounds(filterset: StructureFilter) -> str:
    """"south,west,north,east" of the filtered places, so a preset territory opens framed on it."""
    if not filterset.active:
        return FRANCE_BOUNDS
    extent = filterset.queryset_without("").aggregate(extent=Extent("location"))["extent"]
    if not extent:
        return FRANCE_BOUNDS
    west, south, east, north = extent
    return f"{south:.5f},{west:.5f},{north:.5f},{east:.5f}"


def _has_route(name: str) -> bool:
    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def map_strings() -> dict[str, str]:
    """Texts the map script writes (it has no gettext of its own)."""
    return {
        "place": gettext("%(n)s lieu"), "places": gettext("%(n)s lieux"),
        "inView": gettext("%(n)s dans cette zone de la carte, sur %(t)s correspondant aux filtres."),
        "noneInView": gettext("Aucun lieu dans cette zone de la carte ; %(t)s correspondent aux filtres ailleurs."),
        "cluster": gettext("Groupe de %(n)s lieux : zoomer"),
        "zoomHint": gettext("Zoomez ou choisissez un groupe pour voir les lieux un par un."),
        "open": gettext("Ouvert maintenant"), "closed": gettext("Fermé maintenant"),
        "unknown": gettext("Horaires non renseignés"), "details": gettext("Voir la fiche"),
        "loading": gettext("Chargement…"), "error": gettext("Les lieux n'ont pas pu être chargés. Réessayez."),
        "locating": gettext("Recherche de votre position…"),
        "denied": gettext("Position non disponible (refusée ou introuvable). Déplacez la carte ou cherchez une "
                          "commune dans la liste."),
        "unsupported": gettext("Votre navigateur ne donne pas sa position. Déplacez la carte à la main."),
        "located": gettext("Carte centrée sur votre position."),
        "approximate": gettext("Position approximative"),
        "mapLabel": gettext("Carte des lieux : les flèches la déplacent, + et − zooment. La liste des lieux visibles "
                            "suit la carte."),
        "legend": gettext("Légende"), "legendCluster": gettext("Groupe de lieux (nombre) : zoomer"),
        "legendOpen": gettext("Lieu ouvert maintenant"), "legendClosed": gettext("Lieu fermé maintenant"),
        "legendUnknown": gettext("Lieu aux horaires non renseignés"),
        "legendApproximate": gettext("Position approximative (commune ou rue)"),
        "samePlace": gettext("à la même adresse"),
        "zoomIn": gettext("Zoomer"), "zoomOut": gettext("Dézoomer"), "closePopup": gettext("Fermer"),
        "wheelHint": gettext("Cliquez sur la carte pour zoomer avec la molette."),
        "listHide": gettext("Masquer la liste"), "listShow": gettext("Afficher la liste (%(n)s)"),
        "pickAdd": gettext("Choisir pour la fiche"), "pickRemove": gettext("Retirer de la fiche"),
        "pickFull": gettext("Fiche complète (3 lieux)"),
        "tilesFallback": gettext("Fond de carte indisponible : communes affichées à partir des données du site"),
    }


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


class MapDataView(View):
    """Clusters or points for one viewport; cached per filters + viewport + data version.

    The filters' places (ids and positions) are kept in memory per filter set and data version
    (`actors.map.grid`): a pan only groups them again. Compressed by the site's GZip middleware.
    """

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            viewport = parse_viewport(request.GET.get("bbox"), request.GET.get("zoom"))
        except InvalidViewport as error:
            return JsonResponse({"erreur": str(error)}, status=400)
        query, version = dict(request.GET.lists()), data_version()
        key = cache_key(query, viewport, version, get_language())
        payload = cache.get(key)
        if payload is None:
            filterset = map_filterset(request)
            places = selected_places(filterset, version)
            # The filters' conditions without the list's ordering or annotations (rank, distance).
            data = map_data(filterset.queryset_without(""), viewport, places=places)
            payload = json.dumps(data, separators=(",", ":"), ensure_ascii=False)
            cache.set(key, payload, settings.MAP_CACHE_SECONDS)
        response = HttpResponse(payload, content_type="application/json")
        patch_cache_control(response, public=True, max_age=settings.MAP_CACHE_SECONDS)
        return response


class CommuneNamesView(View):
    """The communes of a viewport for the map's fallback background (static/js/map-fallback.js).

    Communes change only when territories are reloaded; the key holds the data version as the map's data does,
    and the time limit of every GET request (actors.timelimit) applies.
    """

    def get(self, request: HttpRequest) -> HttpResponse:
        try:
            viewport = parse_viewport(request.GET.get("bbox"), request.GET.get("zoom"))
        except InvalidViewport as error:
            return JsonResponse({"erreur": str(error)}, status=400)
        digest = hashlib.sha256(f"{viewport.key()}|{data_version()}".encode()).hexdigest()
        key = f"mapcommunes:{digest}"
        payload = cache.get(key)
        if payload is None:
            payload = json.dumps(communes_in_view(viewport), separators=(",", ":"), ensure_ascii=False)
            cache.set(key, payload, settings.MAP_CACHE_SECONDS)
        response = HttpResponse(payload, content_type="application/json")
        patch_cache_control(response, public=True, max_age=settings.MAP_CACHE_SECONDS)
        return response
