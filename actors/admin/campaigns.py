"""Update campaigns in the admin: the « Envoyer une demande de mise à jour » action on places, and each
campaign's answers (sent / confirmed / corrected / no answer), counted on the user's own territories."""

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from actors import campaigns
from actors.models import Structure, UpdateCampaign


@admin.action(description=_("Envoyer une demande de mise à jour"), permissions=["change"])
def request_update(modeladmin, request, queryset):
    """The queryset is already narrowed to the user's territories (and a selection outside them is refused)."""
    selection = campaigns.select(queryset)
    if not selection.with_email and not selection.to_call:
        return
    label = _("Demande du %(date)s par %(user)s") % {"date": timezone.localdate().strftime("%d/%m/%Y"),
                                                     "user": request.user.get_username()}
    campaign = campaigns.campaign_start(label=label, structures=selection.with_email, user=request.user,
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


@admin.register(UpdateCampaign)
class UpdateCampaignAdmin(admin.ModelAdmin):
    list_display = ["label", "created_at", "sent", "confirmed", "corrected", "no_answer", "failed"]
    fields = ["label", "created_at", "created_by"]
    readonly_fields = fields

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        scope = Q()
        if not request.user.is_superuser:
            scope = Q(requests__structure__in=Structure.objects.editable_by(request.user).values("pk"))
            queryset = queryset.filter(scope).distinct()
        # Counted on the user's own places only: another territory's answers are not theirs to see.
        return queryset.annotate(**{name: Count("requests", filter=scope & condition, distinct=True)
                                    for name, condition in campaigns.ANSWER_CONDITIONS.items()})

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

    @admin.display(description=_("envoyés"), ordering="sent")
    def sent(self, obj):
        return obj.sent

    @admin.display(description=_("confirmés"), ordering="confirmed")
    def confirmed(self, obj):
        return obj.confirmed

    @admin.display(description=_("corrigés"), ordering="corrected")
    def corrected(self, obj):
        return obj.corrected

    @admin.display(description=_("sans réponse"), ordering="no_answer")
    def no_answer(self, obj):
        return obj.no_answer

    @admin.display(description=_("échecs d'envoi"), ordering="failed")
    def failed(self, obj):
        return obj.failed
