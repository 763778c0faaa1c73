"""The private update page of a place: « Rien n'a changé » or « Corriger », no account, rate-limited."""

import datetime as dt

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from actors.campaigns import answers, new_links, update_links
from actors.campaigns.forms import RenewForm, UpdateForm, osm_hours
from actors.models import RateLimitHit
from actors.moderation import proposals
from actors.opening.preview import hours_preview as preview
from actors.vocabulary.enums import TermKind
from inclusion.clientip import client_ip

WINDOW = dt.timedelta(hours=1)


def rate_key(request) -> str:
    return f"updates:ip:{client_ip(request)}"


def refusal(request, reason: str, status: int, *, token: str = "", form=None):
    """Why the link does not open, and the « Recevoir un nouveau lien » form (the token, or an e-mail address)."""
    form = form or RenewForm(initial={"token": token if reason in ("expired", "used") else ""})
    return render(request, "actors/update_refused.html", {"reason": reason, "form": form}, status=status)


class RenewView(View):
    """Queue a new link for the place's public address; the same answer whether a place was found."""

    def get(self, request):
        return refusal(request, "renew", 200)

    def post(self, request):
        form = RenewForm(request.POST)
        if not form.is_valid():
            return refusal(request, "renew", 400, form=form)
        key = f"updates:renew:ip:{client_ip(request)}"
        if not RateLimitHit.objects.allow(key, limit=settings.UPDATE_RENEWALS_PER_HOUR, window=WINDOW):
            return refusal(request, "too_many", 429, form=form)
        new_links.request_new_link(token=form.cleaned_data["token"], email=form.cleaned_data["email"])
        return render(request, "actors/update_renewed.html")


class UpdateView(View):
    template_name = "actors/update_page.html"

    def dispatch(self, request, *args, **kwargs):
        # Every request counts (a wrong token too): guessing tokens costs the same as using one.
        if not RateLimitHit.objects.allow(rate_key(request), limit=settings.UPDATE_PAGE_PER_HOUR, window=WINDOW):
            return self.refusal(request, "too_many", 429)
        try:
            self.structure = update_links.read_token(kwargs["token"])
        except update_links.LinkExpired:
            return self.refusal(request, "expired", 410)
        except update_links.LinkUsed:
            return self.refusal(request, "used", 410)
        except update_links.LinkError:
            return self.refusal(request, "invalid", 404)
        return super().dispatch(request, *args, **kwargs)

    def refusal(self, request, reason: str, status: int):
        return refusal(request, reason, status, token=self.kwargs.get("token", ""))

    def page(self, form, status: int = 200):
        return render(self.request, self.template_name, {
            "structure": self.structure, "form": form, "hours_preview": preview(osm_hours(form.initial_week)),
            "applies_directly": proposals.applies_directly(self.structure),
            "services": self.structure.term_labels(TermKind.SERVICES),
            "closures": form.upcoming,
            "freshness": self.structure.freshness(), "correcting": form.is_bound,
            "max_age_days": settings.UPDATE_LINK_MAX_AGE_DAYS,
        }, status=status)

    def get(self, request, token):
        answers.record_opening(structure=self.structure, now=timezone.now())  # « lien ouvert » in the report
        return self.page(UpdateForm(structure=self.structure))

    def post(self, request, token):
        try:
            return self.answer(request)
        except update_links.LinkUsed:  # the same link answered meanwhile (two tabs, a double click)
            return self.refusal(request, "used", 410)

    def answer(self, request):
        now = timezone.now()
        if "unchanged" in request.POST:
            update_links.confirm_unchanged(structure=self.structure, now=now)
            return render(request, "actors/update_done.html", {"structure": self.structure, "confirmed": True,
                                                               "freshness": self.structure.freshness(now)})
        form = UpdateForm(request.POST, structure=self.structure)
        if not form.is_valid():
            return self.page(form, status=400)
        count = update_links.propose_changes(structure=self.structure, changes=form.changes(),
                                        note=form.cleaned_data["note"], now=now)
        return render(request, "actors/update_done.html", {"structure": self.structure, "confirmed": False,
                                                           "count": count})
