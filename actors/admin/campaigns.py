"""Update campaigns in the admin: the « Envoyer une demande de mise à jour » action on places, and each
campaign's answers (sent / confirmed / corrected / no answer), counted on the user's own territories."""

from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from actors.admin import campaign_views
from actors.campaigns import sending
from actors.models import Structure, UpdateCampaign, UpdateRequest


@admin.action(description=_("Envoyer une demande de mise à jour"), permissions=["change"])
def request_update(modeladmin, request, queryset):
    """The queryset is already narrowed to the user's territories (and a selection outside them is refused).
    First a page saying who would be written to and who is to call; the e-mails leave once it is confirmed."""
    selection = sending.select(queryset)
    if not selection.with_email and not selection.to_call:
        modeladmin.message_user(request, _("Aucun lieu publié dans la sélection : aucune demande envoyée."),
                                messages.WARNING)
        return None
    if "_send" not in request.POST:
        return TemplateResponse(request, "admin/actors/structure/request_update_confirm.html", {
            **modeladmin.admin_site.each_context(request), "title": _("Demander une mise à jour"),
            "opts": modeladmin.model._meta, "selection": selection, "action": "request_update",
            "selected": request.POST.getlist(helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME})
    label = _("Demande du %(date)s par %(user)s") % {"date": timezone.localdate().strftime("%d/%m/%Y"),
                                                     "user": request.user.get_username()}
    campaign = sending.campaign_start(label=label, structures=selection.with_email, user=request.user,
                                        to_call=selection.to_call)
    if selection.with_email:
        count = len(selection.with_email)
        modeladmin.message_user(request, ngettext("%d demande de mise à jour envoyée.",
                                                  "%d demandes de mise à jour envoyées.", count) % count,
                                messages.SUCCESS)
    if selection.to_call:
        names = ", ".join(f"{s.display_name} ({s.telephone or _('pas de téléphone')})" for s in selection.to_call)
        sheet = reverse("admin:actors_updatecampaign_call_sheet", args=[campaign.pk])
        modeladmin.message_user(request, format_html(
            "{} <a href=\"{}\">{}</a>", _("Sans courriel public, à appeler : %(names)s.") % {"names": names}, sheet,
            _("Fiche d'appel à imprimer")), messages.WARNING)
    return None


def counted(name: str, label) -> Callable:
    """A list column showing (and sorting by) one of `campaigns.report_counts`' annotations."""
    @admin.display(description=label, ordering=name)
    def column(modeladmin, obj):
        return getattr(obj, name)
    return column


@admin.register(UpdateCampaign)
class UpdateCampaignAdmin(admin.ModelAdmin):
    list_display = ["label", "created_at", "sent", "opened", "confirmed", "corrected", "no_answer", "bounced",
                    "failed", "report_links"]
    fields = ["label", "created_at", "created_by"]
    readonly_fields = fields
    change_list_template = "admin/actors/updatecampaign/change_list.html"
    sent = counted("sent", _("envoyés"))
    opened = counted("opened", _("liens ouverts"))
    confirmed = counted("confirmed", _("confirmés"))
    corrected = counted("corrected", _("corrigés"))
    no_answer = counted("no_answer", _("sans réponse"))
    bounced = counted("bounced", _("adresses en échec"))
    failed = counted("failed", _("échecs d'envoi"))

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return sending.report_counts(queryset)
        # Counted on the user's own places only: another territory's answers are not theirs to see.
        editable = Structure.objects.editable_by(request.user)
        queryset = queryset.filter(pk__in=UpdateRequest.objects.filter(structure__in=editable.values("pk"))
                                   .values("campaign_id"))
        return sending.report_counts(queryset, editable)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("tableau-de-bord/", view(self.dashboard_view), name="actors_updatecampaign_dashboard"),
            path("<int:pk>/rapport/", view(self.report_view), name="actors_updatecampaign_report"),
            path("<int:pk>/appels/", view(self.call_sheet_view), name="actors_updatecampaign_call_sheet"),
        ] + super().get_urls()

    def _allowed(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied

    def dashboard_view(self, request):
        self._allowed(request)
        return campaign_views.dashboard_view(self, request)

    def report_view(self, request, pk: int):
        self._allowed(request)
        return campaign_views.report_view(self, request, pk)

    def call_sheet_view(self, request, pk: int):
        self._allowed(request)
        return campaign_views.call_sheet_view(self, request, pk)

    @admin.display(description=_("suivi"))
    def report_links(self, obj):
        return format_html('<a href="{}">{}</a> · <a href="{}">{}</a>',
                           reverse("admin:actors_updatecampaign_report", args=[obj.pk]), _("rapport"),
                           reverse("admin:actors_updatecampaign_call_sheet", args=[obj.pk]),
                           _("fiche d'appel (%(count)s)") % {"count": obj.to_call})

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff
