from django.urls import include, path

app_name = "actors"

# One URL module per area of the product, all in the "actors" namespace.
urlpatterns = [
    path("", include("actors.urls_directory")),
    path("", include("actors.urls_detail")),
    path("", include("actors.urls_map")),
    path("", include("actors.urls_exports")),
    path("", include("actors.urls_corrections")),
    path("", include("actors.urls_updates")),
]
