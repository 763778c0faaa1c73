from django.urls import path, re_path

from actors.open_data.export_views import ExportView
from actors.open_data.views import OpenDataView

urlpatterns = [
    re_path(r"^export/lieux\.(?P<fmt>csv|json|geojson)$", ExportView.as_view(), name="export"),
    path("donnees-ouvertes/", OpenDataView.as_view(), name="open_data"),
]
