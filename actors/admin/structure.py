"""The structure admin: standard fieldsets, map widget, hours preview, inlines, filters and scoped bulk actions."""

import csv

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from leaflet.admin import LeafletGeoAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from actors.admin.campaigns import request_update
from actors.admin.filters import (
    DepartementFilter,
    EPCIFilter,
    FreshnessFilter,
    ReliabilityFilter,
    ServicesFilter,
    SourceFilter,
    TypologieFilter,
    UnconfirmedFilter,
    VisibilityFilter,
)
from actors.admin.imports import import_job_view, import_view
from actors.admin.quality import QualityFilter, quality_display
from actors.admin.scoping import ScopedAdminMixin, ScopedInlineMixin
from actors.admin.structure_form import StructureAdminForm
from actors.core import locking, writes
from actors.models import ContactPerson, Structure, TemporaryClosure
from actors.opening import hours
from actors.opening.preview import hours_preview
from actors.vocabulary.enums import PublicationState, Verifier

EXPORT_COLUMNS = ["nom", "pivot", "adresse", "code_postal", "commune_nom", "code_insee", "telephone",
                  "courriels", "site_web", "horaires", "state", "date_maj", "verified_at"]


class ClosureInline(ScopedInlineMixin, admin.TabularInline):
    model = TemporaryClosure
    fields = ["starts_on", "ends_on", "reason"]
    extra = 0


class ContactInline(ScopedInlineMixin, admin.TabularInline):
    model = ContactPerson
    fields = ["name", "role", "phone", "email", "is_public"]
    extra = 0


@admin.register(Structure)
class StructureAdmin(ScopedAdminMixin, LeafletGeoAdminMixin, SimpleHistoryAdmin):
    structure_paths = ("",)
    form = StructureAdminForm
    change_form_template = "admin/actors/structure/change_form.html"
    change_list_template = "admin/actors/structure/change_list.html"
    settings_overrides = {"DEFAULT_ZOOM": 15}
    fieldsets = [
        (_("Identification"), {"fields": ["nom", "pivot", "structure_parente", ("source", "source_id"),
                                          "date_maj", "slug"]}),
        (_("Adresse et position"), {
            "fields": ["adresse", "complement_adresse", ("code_postal", "commune_nom", "code_insee"), "location",
                       "location_summary"],
            "description": _("Déplacez le marqueur pour corriger la position : la commune et les quartiers "
                             "prioritaires sont recalculés à l'enregistrement."),
        }),
        (_("Contact"), {"fields": ["telephone", "courriels", "site_web", "prise_rdv", "fiche_acces_libre"]}),
        (_("Horaires"), {
            "fields": ["horaires"],
            "description": _("Au format OpenStreetMap, par exemple « Mo-Fr 09:00-12:00,14:00-17:30; "
                             "Sa 10:00-12:00 ». L'aperçu se met à jour pendant la saisie."),
        }),
        (_("Présentation"), {"fields": ["presentation_resume", "presentation_detail"]}),
        (_("Typologie et itinérance"), {"fields": ["typologie", "itinerance", "service_area"]}),
        (_("Services et publics"), {"fields": ["services", "publics_specifiquement_adresses",
                                               "prise_en_charge_specifique", "frais_a_charge"]}),
        (_("Modalités"), {"fields": ["modalites_acces", "modalites_accompagnement"]}),
        (_("Dispositifs, formations et labels"), {"fields": ["dispositif_programmes_nationaux",
                                                             "formations_labels", "autres_formations_labels"]}),
        (_("Suivi"), {"fields": ["state", "verified_at", "verified_by", "created_at", "updated_at", "version"]}),
        (_("Fiabilité (calculée)"), {"fields": ["folded_into", "source_location", "blanket_claims"],
                                     "description": _("Voir le filtre « fiabilité » de la liste.")}),
    ]
    readonly_fields = ["slug", "date_maj", "location_summary", "verified_at", "verified_by", "created_at", "updated_at",
                       "folded_into", "source_location", "blanket_claims"]
    raw_id_fields = ["service_area"]
    inlines = [ClosureInline, ContactInline]
    list_display = ["nom", "commune_display", "state", "freshness", "quality_display", "verification",
                    "verify_button"]
    list_filter = [DepartementFilter, EPCIFilter, VisibilityFilter, FreshnessFilter, UnconfirmedFilter,
                   QualityFilter, TypologieFilter, ServicesFilter, SourceFilter, "state", "verified_by",
                   ReliabilityFilter]
    list_select_related = ["commune__departement"]
    search_fields = ["nom", "commune_nom", "code_postal", "adresse", "pivot"]
    actions = ["publish", "archive", "mark_verified", "export_csv", request_update]
    list_per_page = 50

    class Media:
        js = ["js/admin-hours.js", "js/admin-map.js"]
        css = {"all": ["css/admin-coordination.css"]}

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def get_urls(self):
        own = [
            path("horaires/apercu/", self.admin_site.admin_view(self.hours_preview_view),
                 name="actors_structure_hours_preview"),
            path("import/", self.admin_site.admin_view(self.import_view), name="actors_structure_import"),
            path("import/<int:pk>/", self.admin_site.admin_view(self.import_job_view),
                 name="actors_structure_import_job"),
            path("<int:pk>/verifier/", self.admin_site.admin_view(self.verify_view), name="actors_structure_verify"),
        ]
        return own + super().get_urls()

    # --- Columns ---
    @admin.display(description=_("commune"), ordering="commune__name")
    def commune_display(self, obj):
        return obj.commune or obj.commune_nom

    @admin.display(description=_("fraîcheur"), boolean=True)
    def freshness(self, obj):
        return not obj.freshness().stale

    quality_display = quality_display

    @admin.display(description=_("dernière confirmation"), ordering="verified_at")
    def verification(self, obj):
        """« Confirmé par le lieu le … » apart from « Vérifié par la coordination le … »."""
        return obj.freshness().verification_label if obj.verified_at else "—"

    @admin.display(description=_("vérification"))
    def verify_button(self, obj):
        url = reverse("admin:actors_structure_verify", args=[obj.pk])
        return format_html('<button type="submit" class="button coord-verify" formaction="{}" formmethod="post" '
                           'aria-label="{} {}">{}</button>', url, _("Marquer comme vérifié :"), obj.nom,
                           _("Marquer comme vérifié"))

    @admin.display(description=_("commune et quartiers prioritaires (calculés)"))
    def location_summary(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        qpvs = ", ".join(f"{link.qpv.name} ({_('dedans') if link.inside else f'{link.distance_m} m'})"
                         for link in obj.qpv_links.select_related("qpv"))
        approx = _(" — position approximative (centre de la commune)") if obj.location_is_approximate else ""
        return format_html("{}{} · {} {}", obj.commune or _("commune inconnue"), approx, _("QPV :"),
                           qpvs or _("aucun"))

    # --- Saves go through actors.core.writes, which rebuilds commune, QPV links and weekly slots ---
    def save_model(self, request, obj, form, change):
        obj.date_maj = timezone.localdate()
        if "_verify" in request.POST:
            obj.mark_verified(by=Verifier.COORDINATION, at=timezone.now())
        reason = _("Retour à une version antérieure") if "/history/" in request.path else _("Modifié dans l'admin")
        writes.structure_save(obj, form.term_codes(), user=request.user, reason=str(reason))

    @transaction.atomic  # like the change form: the version check and the revert commit together
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        locking.touch(form.instance.pk)  # inline closures and contacts are part of the place's version

    # --- Views ---
    def import_view(self, request):
        return import_view(self, request)

    def import_job_view(self, request, pk: int):
        return import_job_view(self, request, pk)

    def hours_preview_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        value = request.GET.get("horaires", "")[:500]
        try:
            return JsonResponse({"ok": True, "preview": hours_preview(value)})
        except hours.InvalidHours:
            return JsonResponse({"ok": False, "error": str(_("Horaires illisibles. Exemple : "
                                                             "« Mo-Fr 09:00-12:00,14:00-17:30; Sa 10:00-12:00 »."))})

    def verify_view(self, request, pk):
        return require_POST(self._verify)(request, pk)

    def _verify(self, request, pk):
        structure = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, structure):
            raise PermissionDenied
        writes.structures_mark_verified([structure], request.user)
        self.message_user(request, _("« %(nom)s » est marqué comme vérifié.") % {"nom": structure.nom},
                          messages.SUCCESS)
        return HttpResponseRedirect(request.META.get("HTTP_REFERER") or reverse("admin:actors_structure_changelist"))

    # --- Bulk actions (the queryset is already narrowed to the user's territories) ---
    @admin.action(description=_("Publier les lieux sélectionnés"), permissions=["change"])
    def publish(self, request, queryset):
        count = writes.structures_set_state(queryset, PublicationState.PUBLISHED, request.user)
        self.message_user(request, ngettext("%d lieu publié.", "%d lieux publiés.", count) % count)

    @admin.action(description=_("Archiver les lieux sélectionnés"), permissions=["change"])
    def archive(self, request, queryset):
        count = writes.structures_set_state(queryset, PublicationState.ARCHIVED, request.user)
        self.message_user(request, ngettext("%d lieu archivé.", "%d lieux archivés.", count) % count)

    @admin.action(description=_("Marquer comme vérifiés"), permissions=["change"])
    def mark_verified(self, request, queryset):
        count = writes.structures_mark_verified(queryset, request.user)
        self.message_user(request, ngettext("%d lieu marqué comme vérifié.", "%d lieux marqués comme vérifiés.",
                                            count) % count)

    @admin.action(description=_("Exporter la sélection (CSV)"), permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="lieux.csv"'
        writer = csv.writer(response)
        writer.writerow(EXPORT_COLUMNS)
        for structure in queryset.order_by("nom", "pk"):
            writer.writerow([getattr(structure, name) or "" for name in EXPORT_COLUMNS])
        return response
