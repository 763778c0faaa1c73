from django.urls import path

from actors.views.map import EmbedMapView, MapDataView, MapView

urlpatterns = [
    path("carte/", MapView.as_view(), name="map"),
    path("carte/donnees/", MapDataView.as_view(), name="map_data"),
    path("embed/carte/", EmbedMapView.as_view(), name="map_embed"),
]
