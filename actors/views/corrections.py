"""The public correction form of a structure; reports land in the coordinators' moderation queue."""

from django.contrib import messages
from django.core.cache import cache
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from actors.forms.correction import CorrectionForm
from actors.models import Structure

MAX_REPORTS_PER_HOUR = 5


def rate_key(request) -> str:
    return f"corrections:ip:{request.META.get('REMOTE_ADDR', '')}"


class CorrectionView(FormView):
    form_class = CorrectionForm
    template_name = "actors/correction_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.structure = get_object_or_404(Structure.objects.published(), slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(structure=self.structure, **kwargs)

    def post(self, request, *args, **kwargs):
        if cache.get(rate_key(request), 0) >= MAX_REPORTS_PER_HOUR:
            form = self.get_form()
            form.add_error(None, _("Vous avez déjà envoyé plusieurs signalements : réessayez dans une heure. Merci !"))
            response = self.render_to_response(self.get_context_data(form=form))
            response.status_code = 429
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        key = rate_key(self.request)
        cache.add(key, 0, 3600)
        cache.incr(key)
        if not form.is_robot():
            form.instance.structure = self.structure
            form.save()
        messages.success(self.request, _("Merci ! Votre signalement a été transmis à l'équipe qui tient cet "
                                          "annuaire à jour."))
        return redirect(self.structure.get_absolute_url())
