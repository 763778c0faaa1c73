"""The private update page of a place: « Rien n'a changé » or « Corriger », no account, rate-limited."""

import datetime as dt

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from actors import campaigns, updates
from actors.forms.update import UpdateForm
from actors.models import RateLimitHit
from inclusion.clientip import client_ip

WINDOW = dt.timedelta(hours=1)


def rate_key(request) -> str:
    return f"updates:ip:{client_ip(request)}"


class UpdateView(View):
    template_name = "actors/update_page.html"

    def dispatch(self, request, *args, **kwargs):
        # Every request counts (a wrong token too): guessing tokens costs the same as using one.
        if not RateLimitHit.objects.allow(rate_key(request), limit=settings.UPDATE_PAGE_PER_HOUR, window=WINDOW):
            return self.refusal(request, "too_many", 429)
        try:
            self.structure = updates.read_token(kwargs["token"])
        except updates.LinkExpired:
            return self.refusal(request, "expired", 410)
        except updates.LinkUsed:
            return self.refusal(request, "used", 410)
        except updates.LinkError:
            return self.refusal(request, "invalid", 404)
        return super().dispatch(request, *args, **kwargs)

    def refusal(self, request, reason: str, status: int):
        return render(request, "actors/update_refused.html", {"reason": reason}, status=status)

    def page(self, form, status: int = 200):
        return render(self.request, self.template_name, {
            "structure": self.structure, "form": form,
            "freshness": self.structure.freshness(), "correcting": form.is_bound,
            "max_age_days": settings.UPDATE_LINK_MAX_AGE_DAYS,
        }, status=status)

    def get(self, request, token):
        campaigns.record_opening(structure=self.structure, now=timezone.now())  # « lien ouvert » in the report
        return self.page(UpdateForm(structure=self.structure))

    def post(self, request, token):
        try:
            return self.answer(request)
        except updates.LinkUsed:  # the same link answered meanwhile (two tabs, a double click)
            return self.refusal(request, "used", 410)

    def answer(self, request):
        now = timezone.now()
        if "unchanged" in request.POST:
            updates.confirm_unchanged(structure=self.structure, now=now)
            return render(request, "actors/update_done.html", {"structure": self.structure, "confirmed": True,
                                                               "freshness": self.structure.freshness(now)})
        form = UpdateForm(request.POST, structure=self.structure)
        if not form.is_valid():
            return self.page(form, status=400)
        count = updates.propose_changes(structure=self.structure, changes=form.changes(),
                                        note=form.cleaned_data["note"], now=now)
        return render(request, "actors/update_done.html", {"structure": self.structure, "confirmed": False,
                                                           "count": count})
