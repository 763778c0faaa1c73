"""The open-data page: what the exports hold, in which standard, under which licence."""
from django.views.generic import TemplateView

from actors.open_data.exports import public_structures


class OpenDataView(TemplateView):
    template_name = "actors/open_data.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["count"] = public_structures().count()
        context["formats"] = [("csv", "CSV"), ("json", "JSON"), ("geojson", "GeoJSON")]
        return context
