from django.urls import path

from actors.map.views import CommuneNamesView, EmbedMapView, MapDataView, MapView
from inclusion.pagecache import cache_public_page

urlpatterns = [
    path("carte/", MapView.as_view(), name="map"),
    path("carte/donnees/", cache_public_page(MapDataView.as_view()), name="map_data"),
    path("carte/communes/", CommuneNamesView.as_view(), name="map_communes"),
    path("embed/carte/", EmbedMapView.as_view(), name="map_embed"),
]
