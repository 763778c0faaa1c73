from django.urls import include, path

app_name = "actors"

# One URL module per area of the product, all in the "actors" namespace.
urlpatterns = [
    path("", include("actors.directory.urls")),
    path("", include("actors.place.urls")),
    path("", include("actors.ateliers.urls")),
    path("", include("actors.map.urls")),
    path("", include("actors.open_data.urls")),
    path("", include("actors.moderation.urls")),
    path("", include("actors.campaigns.urls")),
]
