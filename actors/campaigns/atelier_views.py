"""The place's own ateliers, from its private update link: `/mise-a-jour/<jeton>/ateliers/`.

Unlike the answer on the record, these edits do not spend the link (a place sets the seats of several sessions);
the link still expires and is revoked like any other (actors/campaigns/update_links.py), and every request counts
against the same rate limit."""

import datetime as dt

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from actors.ateliers import editing
from actors.campaigns import update_links
from actors.campaigns.views import WINDOW, rate_key, refusal
from actors.models import AtelierSession, RateLimitHit, Term
from actors.vocabulary.enums import TermKind

SHOWN = 30


class AddForm(forms.Form):
    title = forms.CharField(label=_("Titre de l'atelier"), max_length=250)
    day = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    starts = forms.TimeField(label=_("Début"), widget=forms.TimeInput(attrs={"type": "time"}))
    ends = forms.TimeField(label=_("Fin"), widget=forms.TimeInput(attrs={"type": "time"}))
    seats = forms.IntegerField(label=_("Nombre de places (vide : sans limite)"), required=False, min_value=1,
                               max_value=500)
    theme = forms.ChoiceField(label=_("Thème"), required=False)
    free = forms.BooleanField(label=_("Gratuit"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"].choices = [("", _("—"))] + [
            (t.code, t.display_label) for t in Term.objects.filter(kind=TermKind.SERVICES)]

    def clean(self):
        data = super().clean()
        if data.get("day") and data.get("starts") and data.get("ends"):
            data["starts_at"] = timezone.make_aware(dt.datetime.combine(data["day"], data["starts"]))
            data["ends_at"] = timezone.make_aware(dt.datetime.combine(data["day"], data["ends"]))
            if data["ends_at"] <= data["starts_at"]:
                self.add_error("ends", _("La fin de l'atelier doit suivre son début."))
            elif data["starts_at"] < timezone.now():
                self.add_error("day", _("Cette date est passée."))
        return data


class ChangeForm(forms.Form):
    session = forms.IntegerField(widget=forms.HiddenInput)
    version = forms.CharField(widget=forms.HiddenInput)
    seats_left = forms.IntegerField(label=_("Places restantes"), required=False, min_value=0, max_value=500)
    cancelled = forms.BooleanField(label=_("Annuler cette séance"), required=False)


class PlaceAteliersView(View):
    template_name = "actors/ateliers/update_page.html"

    def dispatch(self, request, *args, **kwargs):
        if not RateLimitHit.objects.allow(rate_key(request), limit=settings.UPDATE_PAGE_PER_HOUR, window=WINDOW):
            return refusal(request, "too_many", 429)
        try:
            self.structure = update_links.read_token(kwargs["token"])
        except update_links.LinkExpired:
            return refusal(request, "expired", 410, token=kwargs["token"])
        except update_links.LinkUsed:
            return refusal(request, "used", 410, token=kwargs["token"])
        except update_links.LinkError:
            return refusal(request, "invalid", 404)
        return super().dispatch(request, *args, **kwargs)

    def page(self, *, add_form=None, error: str = "", status: int = 200):
        sessions = list(AtelierSession.objects.at(self.structure.pk).upcoming().select_related("series")[:SHOWN])
        for session in sessions:
            session.version = editing.version_of(session)
        return render(self.request, self.template_name, {
            "structure": self.structure, "sessions": sessions, "add_form": add_form or AddForm(), "error": error,
            "token": self.kwargs["token"],
        }, status=status)

    def get(self, request, token):
        return self.page()

    def post(self, request, token):
        if "add" in request.POST:
            form = AddForm(request.POST)
            if not form.is_valid():
                return self.page(add_form=form, status=400)
            data = form.cleaned_data
            editing.session_add(structure=self.structure, title=data["title"], starts_at=data["starts_at"],
                                ends_at=data["ends_at"], seats=data["seats"], theme=data["theme"], free=data["free"])
            return redirect(request.path)
        form = ChangeForm(request.POST)
        if not form.is_valid():
            return self.page(error=str(_("Valeur non reconnue : un nombre de places de 0 à 500.")), status=400)
        try:
            editing.session_change(structure=self.structure, session_pk=form.cleaned_data["session"],
                                   version=form.cleaned_data["version"], seats_left=form.cleaned_data["seats_left"],
                                   cancelled=form.cleaned_data["cancelled"])
        except ValidationError as error:
            return self.page(error=" ".join(error.messages), status=409)
        return redirect(request.path)
