from django.urls import re_path

from actors.views.exports import ExportView

urlpatterns = [
    re_path(r"^export/lieux\.(?P<fmt>csv|json|geojson)$", ExportView.as_view(), name="export"),
]
