"""The public correction form of a structure; reports land in the coordinators' moderation queue."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView

from actors.models import RateLimitHit, Structure
from actors.moderation.forms import CorrectionForm
from inclusion.clientip import client_ip

WINDOW = dt.timedelta(hours=1)


def rate_key(request) -> str:
    return f"corrections:ip:{client_ip(request)}"


class CorrectionView(FormView):
    form_class = CorrectionForm
    template_name = "actors/correction_form.html"

    def dispatch(self, request, *args, **kwargs):
        self.structure = get_object_or_404(Structure.objects.published(), slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(structure=self.structure, **kwargs)

    def too_many(self, form):
        form.add_error(None, _("Vous avez déjà envoyé plusieurs signalements : réessayez dans une heure. Merci !"))
        response = self.render_to_response(self.get_context_data(form=form))
        response.status_code = 429
        return response

    def post(self, request, *args, **kwargs):
        # Counted in the database: every worker shares the count, a restart does not reset it.
        if RateLimitHit.objects.used(rate_key(request), window=WINDOW) >= settings.CORRECTIONS_PER_HOUR:
            return self.too_many(self.get_form())
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if not RateLimitHit.objects.allow(rate_key(self.request), limit=settings.CORRECTIONS_PER_HOUR, window=WINDOW):
            return self.too_many(form)  # another worker took the last slot meanwhile
        if not form.is_robot():
            form.instance.structure = self.structure
            form.save()
        messages.success(self.request, _("Merci ! Votre signalement a été transmis à l'équipe qui tient cet "
                                          "annuaire à jour."))
        return redirect(self.structure.get_absolute_url())
