from django.urls import path

from actors.directory.suggestions import suggestions
from actors.directory.views import StructureListView
from inclusion.pagecache import cache_public_page

urlpatterns = [
    path("", cache_public_page(StructureListView.as_view()), name="list"),
    path("lieux/", cache_public_page(StructureListView.as_view()), name="list_lieux"),
    path("suggestions/", suggestions, name="suggestions"),
]
