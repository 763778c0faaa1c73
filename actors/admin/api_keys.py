"""Partner keys of the open API: superusers issue and revoke them; every coordinator sees them and their use."""

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.models import ApiKey


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "can_write", "per_minute", "uses", "last_used_at", "expires_at", "revoked_at"]
    list_filter = ["can_write"]
    search_fields = ["name", "prefix"]
    fields = ["name", "can_write", "departements", "epcis", "communes", "per_minute", "expires_at", "revoked_at",
              "prefix", "uses", "last_used_at", "created_at"]
    readonly_fields = ["prefix", "uses", "last_used_at", "created_at"]
    filter_horizontal = ["departements"]
    raw_id_fields = ["epcis", "communes"]
    actions = ["revoke"]

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_staff

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted: its corrections keep naming it

    def save_model(self, request, obj, form, change):
        if not change:
            raw = obj.new_secret()
            messages.warning(request, _("Clé d'API créée. Copiez-la maintenant, elle ne sera plus jamais affichée : "
                                        "%(key)s") % {"key": raw})
        super().save_model(request, obj, form, change)

    @admin.action(description=_("Révoquer les clés choisies"), permissions=["change"])
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        messages.success(request, _("%(n)d clé(s) révoquée(s).") % {"n": count})
