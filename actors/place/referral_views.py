"""The referral sheet ("fiche d'orientation"): one to three places on one printable page, ready to send.

Only GET requests: nothing about the person referred reaches the server, nothing is stored or logged.
"""

import re
from dataclasses import dataclass

from django import forms
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import DetailView, TemplateView

from actors.freshness.rule import Freshness
from actors.models import AtelierSession, Structure, TemporaryClosure
from actors.opening import status as opening
from actors.place import folded_records, referral
from actors.place.views import VisibleStructureMixin
from actors.vocabulary.enums import TermKind

MAX_SLUG_LENGTH = 120
SLUG = re.compile(r"[-\w]+", re.ASCII)


@dataclass
class Sheet:
    structure: Structure
    url: str
    short_url: str
    qr: SafeString
    week: list[opening.DayRow]
    access: referral.Access
    advice: str
    closure: TemporaryClosure | None
    services: list[str]
    fees: list[str]
    freshness: Freshness
    stops: list[str]
    text: str
    sms: str
    atelier: AtelierSession | None = None


def sheet_structures(structures):
    today = timezone.localdate()
    return structures.select_related("commune").prefetch_related(
        "terms", "service_area", Prefetch("closures", queryset=TemporaryClosure.objects.filter(ends_on__gte=today))
    )


def build_sheet(request, structure: Structure, *, atelier: AtelierSession | None = None) -> Sheet:
    today = timezone.localdate()
    closures = list(structure.closures.all())
    url = request.build_absolute_uri(structure.get_absolute_url())
    # The number form (/lieux/1234/ redirects to the page): fits an SMS, and a QR code of fewer, larger dots.
    short_url = request.build_absolute_uri(reverse("actors:detail", args=[str(structure.pk)]))
    week = opening.weekly_table(structure.horaires, today, closures)
    closure = next((c for c in closures if c.ends_on >= today), None)
    access = referral.access_for(structure)
    return Sheet(
        structure=structure,
        url=url,
        short_url=short_url,
        qr=referral.qr_svg(short_url, _("Code QR de la page en ligne de %(nom)s") % {"nom": structure.display_name}),
        week=week,
        access=access,
        advice=referral.before_you_go(access),
        closure=closure,
        services=structure.term_labels(TermKind.SERVICES),
        fees=structure.term_labels(TermKind.FRAIS),
        freshness=structure.freshness(),
        stops=sorted(commune.name for commune in structure.service_area.all())
        if "itinerant" in structure.term_codes(TermKind.ITINERANCE) else [],
        text=with_atelier(referral.place_text(structure, url, opening.hours_summary(week), closure), atelier),
        sms=with_atelier(referral.sms_place_text(structure, short_url, closure), atelier, sms=True),
        atelier=atelier,
    )


def with_atelier(text: str, atelier: AtelierSession | None, *, sms: bool = False) -> str:
    """The picked session first: it is why the person goes, the place's details follow."""
    if atelier is None:
        return text
    line = referral.atelier_text(atelier)
    return (referral.gsm7(line) if sms else line) + "\n" + text


class AtelierPickForm(forms.Form):
    """`?atelier=<id>`: one session of this place, picked from /ateliers/ or the place's page."""

    atelier = forms.IntegerField(min_value=1, required=False)


def picked_atelier(query, structure: Structure) -> tuple[AtelierSession | None, str]:
    """(the session to come of `structure` that the query names, or None; a notice when it names none)."""
    form = AtelierPickForm(query)
    if form.is_valid() and not form.cleaned_data["atelier"]:
        return None, ""
    found = None
    if form.is_valid():
        found = (AtelierSession.objects.at(structure.pk).upcoming().select_related("series")
                 .filter(pk=form.cleaned_data["atelier"]).first())
    if found is None:
        return None, _("Cet atelier n'est pas ou plus proposé par ce lieu (annulé, passé ou inconnu) : la fiche ne "
                       "le mentionne pas. Choisissez une séance à venir sur la page du lieu ou dans les ateliers.")
    return found, ""


def sending_context(sheets: list[Sheet]) -> dict:
    body = referral.message_text([sheet.text for sheet in sheets])
    names = ", ".join(sheet.structure.display_name for sheet in sheets)
    subject = ngettext("Lieu d'accompagnement au numérique : %(noms)s",
                       "Lieux d'accompagnement au numérique : %(noms)s", len(sheets)) % {"noms": names}
    # One SMS per place where possible (7-bit alphabet, no hours); the full text stays on the page to copy.
    short = "\n\n".join(sheet.sms for sheet in sheets)
    return {"sheets": sheets, "message": body, "mailto": referral.mailto_uri(subject, body),
            "sms": referral.sms_uri(short), "sms_text": short, "sms_count": referral.sms_count(short)}


class ReferralSheetView(VisibleStructureMixin, DetailView):
    """`/lieux/<slug>/fiche/`: the sheet of one place."""

    template_name = "actors/referral.html"
    context_object_name = "structure"

    def get_queryset(self):
        return sheet_structures(self.visible_structures())

    def redirect_url(self, structure: Structure) -> str:
        return super().redirect_url(structure) + "fiche/"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        atelier, notice = picked_atelier(self.request.GET, self.object)
        context.update(sending_context([build_sheet(self.request, self.object, atelier=atelier)]),
                       atelier_notice=notice)
        return context


class SlugListField(forms.Field):
    """A repeated `lieux=<slug>` parameter, as sent by the checkboxes of the list."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[str]:
        slugs = []
        for item in value or []:
            item = str(item).strip()[:MAX_SLUG_LENGTH]
            if item and item not in slugs:
                slugs.append(item)
        return slugs


class ReferralSelectionForm(forms.Form):
    lieux = SlugListField(
        error_messages={"required": gettext_lazy("Cochez de 1 à 3 lieux dans la liste pour préparer une fiche.")}
    )

    def clean_lieux(self) -> list[Structure]:
        slugs = self.cleaned_data["lieux"]
        if len(slugs) > referral.MAX_PLACES:
            raise forms.ValidationError(
                _("Une fiche d'orientation réunit au plus %(max)s lieux : vous en avez choisi %(count)s. "
                  "Revenez à la liste et décochez-en.") % {"max": referral.MAX_PLACES, "count": len(slugs)}
            )
        # Only well-formed slugs reach the database (PostgreSQL refuses NUL bytes, for one).
        valid = [slug for slug in slugs if SLUG.fullmatch(slug)]
        # A link made before two records were folded names a copy: it stands for the folded place.
        roots = folded_records.root_slugs(valid)
        slugs = list(dict.fromkeys(roots.get(slug, slug) for slug in slugs))
        valid = [roots.get(slug, slug) for slug in valid]
        found = {s.slug: s for s in sheet_structures(Structure.objects.public().filter(slug__in=valid))}
        missing = [slug for slug in slugs if slug not in found]
        if missing:
            raise forms.ValidationError(
                ngettext("Ce lieu est introuvable ou n'est plus publié : %(slugs)s.",
                         "Ces lieux sont introuvables ou ne sont plus publiés : %(slugs)s.", len(missing))
                % {"slugs": ", ".join(f"« {slug} »" for slug in missing)}
            )
        return [found[slug] for slug in slugs]


class ReferralView(TemplateView):
    """`/orientation/?lieux=a&lieux=b`: the sheets of 1 to 3 places picked in the list."""

    template_name = "actors/referral.html"

    def get(self, request, *args, **kwargs):
        form = ReferralSelectionForm(request.GET)
        context = self.get_context_data(form=form)
        if not form.is_valid():
            return self.render_to_response(context, status=400)
        context.update(sending_context([build_sheet(request, s) for s in form.cleaned_data["lieux"]]))
        return self.render_to_response(context)
