from django.views.generic import DetailView

from actors.models import Structure


class StructureDetailView(DetailView):
    template_name = "actors/structure_detail.html"
    context_object_name = "structure"

    def get_queryset(self):
        return Structure.objects.published().select_related("commune__departement").prefetch_related("terms")
