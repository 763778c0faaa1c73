from django.urls import path

from actors.views.detail import StructureDetailView

urlpatterns = [
    path("lieux/<slug:slug>/", StructureDetailView.as_view(), name="detail"),
]
