from django.urls import path

from actors.directory.result_count import result_count
from actors.directory.suggestions import suggestions
from actors.directory.views import StructureListView
from inclusion.pagecache import cache_public_page

urlpatterns = [
    path("", cache_public_page(StructureListView.as_view()), name="list"),
    path("lieux/", cache_public_page(StructureListView.as_view()), name="list_lieux"),
    # A dot cannot be in a slug: no place's page is shadowed.
    path("lieux/nombre.json", result_count, name="list_count"),
    path("suggestions/", suggestions, name="suggestions"),
]
