from django.urls import path

from actors.views.directory import StructureListView

urlpatterns = [
    path("", StructureListView.as_view(), name="list"),
    path("lieux/", StructureListView.as_view(), name="list_lieux"),
]
