"""List filters of the structure admin; their choices come from the user's own structures only."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from actors.campaigns import freshness_history
from actors.core import honest_facts
from actors.models import Structure, Term
from actors.vocabulary.enums import TermKind
from territories.models import EPCI, Departement


class FreshnessFilter(admin.SimpleListFilter):
    title = _("fraîcheur")
    parameter_name = "fraicheur"

    def lookups(self, request, model_admin):
        """Labels in the months of the freshness rule of the user's places (each département's own rule)."""
        months = freshness_history.limit_months(Structure.objects.editable_by(request.user))
        return [("a-verifier", freshness_history.stale_label(months)),
                ("a-jour", freshness_history.fresh_label(months))]

    def queryset(self, request, queryset):
        if self.value() == "a-verifier":
            return queryset.stale()
        if self.value() == "a-jour":
            return queryset.fresh()
        return queryset


class VisibilityFilter(admin.SimpleListFilter):
    """The places the public sees (`Structure.objects.public()`), the figure of the admin index and dashboard."""

    title = _("visibilité")
    parameter_name = "visibilite"

    def lookups(self, request, model_admin):
        return [("public", _("Lieux publics (visibles sur le site)")), ("masque", _("Non visibles du public"))]

    def queryset(self, request, queryset):
        if self.value() == "public":
            return queryset.public()
        if self.value() == "masque":
            return queryset.exclude(pk__in=Structure.objects.public().values("pk"))
        return queryset


class DepartementFilter(admin.SimpleListFilter):
    title = _("département")
    parameter_name = "departement"

    def lookups(self, request, model_admin):
        editable = Structure.objects.editable_by(request.user)
        departements = Departement.objects.filter(communes__structures__in=editable).distinct().order_by("code")
        return [(d.code, str(d)) for d in departements]

    def queryset(self, request, queryset):
        return queryset.in_departement(self.value()) if self.value() else queryset


class EPCIFilter(admin.SimpleListFilter):
    """The EPCI of the user's places (to ask one EPCI's places for an update, among others)."""

    title = _("EPCI")
    parameter_name = "epci"

    def lookups(self, request, model_admin):
        editable = Structure.objects.editable_by(request.user)
        return [(e.siren, e.name) for e in EPCI.objects.filter(communes__structures__in=editable).distinct()]

    def queryset(self, request, queryset):
        return queryset.in_epci(self.value()) if self.value() else queryset


class UnconfirmedFilter(admin.SimpleListFilter):
    """Places with no confirmation, by the coordination or the place itself, for N months (or never)."""

    title = _("sans confirmation depuis")
    parameter_name = "sans_confirmation"
    MONTHS = (3, 6, 12, 24)

    def lookups(self, request, model_admin):
        return [(str(months), _("%(n)d mois") % {"n": months}) for months in self.MONTHS]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit() and int(self.value()) > 0:
            return queryset.unconfirmed_for(int(self.value()))
        return queryset


class TermFilter(admin.SimpleListFilter):
    kind: str = ""

    def lookups(self, request, model_admin):
        return [(t.code, t.label) for t in Term.objects.of_kind(self.kind)]

    def queryset(self, request, queryset):
        return queryset.with_term(self.kind, [self.value()]) if self.value() else queryset


class TypologieFilter(TermFilter):
    title = _("typologie")
    parameter_name = "typologie"
    kind = TermKind.TYPOLOGIE.value


class ServicesFilter(TermFilter):
    title = _("services")
    parameter_name = "services"
    kind = TermKind.SERVICES.value


class SourceFilter(admin.SimpleListFilter):
    title = _("source")
    parameter_name = "source"

    def lookups(self, request, model_admin):
        sources = (Structure.objects.editable_by(request.user).exclude(source="")
                   .order_by("source").values_list("source", flat=True).distinct())
        return [(source, source) for source in sources]

    def queryset(self, request, queryset):
        return queryset.filter(source=self.value()) if self.value() else queryset


class ReliabilityFilter(admin.SimpleListFilter):
    """Honest facts to look at (actors/core/honest_facts.py): unreadable names, points set aside, blanket claims,
    copies."""

    title = _("fiabilité")
    parameter_name = "fiabilite"

    def lookups(self, request, model_admin):
        return [
            ("nom", _("Nom fait de chiffres")),
            ("position", _("Point loin de sa commune")),
            ("declarations", _("Source qui coche presque tout")),
            ("regroupe", _("Regroupé avec une autre fiche")),
        ]

    def queryset(self, request, queryset):

        if self.value() in ("nom", "position", "declarations"):
            return queryset.filter(pk__in=honest_facts.flagged(self.value()).values("pk"))
        if self.value() == "regroupe":
            return queryset.exclude(folded_into=None)
        return queryset
