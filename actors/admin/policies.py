"""Coordinators set the freshness policy of their own départements only."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from actors.core import freshness_policy
from actors.models import FreshnessPolicy


class FreshnessPolicyForm(forms.ModelForm):
    class Meta:
        model = FreshnessPolicy
        fields = ["departement", "stale_after_months", "hide_after_months", "apply_corrections"]

    def clean(self):
        data = super().clean()
        if data.get("stale_after_months"):
            try:
                freshness_policy.check_months(stale_after_months=data["stale_after_months"],
                                      hide_after_months=data.get("hide_after_months"))
            except ValidationError as error:
                self.add_error("hide_after_months", error)
        return data


@admin.register(FreshnessPolicy)
class FreshnessPolicyAdmin(admin.ModelAdmin):
    form = FreshnessPolicyForm
    list_display = ["departement", "stale_after_months", "hide_after_months", "apply_corrections", "updated_at",
                    "updated_by"]
    list_select_related = ["departement", "updated_by"]

    def get_queryset(self, request):
        mine = freshness_policy.coordinated_departements(request.user)
        return super().get_queryset(request).filter(departement__in=mine)

    def get_readonly_fields(self, request, obj=None):
        return ["departement"] if obj else []

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "departement":
            kwargs["queryset"] = freshness_policy.coordinated_departements(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _in_scope(self, request, obj) -> bool:
        mine = freshness_policy.coordinated_departements(request.user)
        return obj is None or mine.filter(pk=obj.departement_id).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # back to the default: set 12 months and no removal

    def save_model(self, request, obj, form, change):
        # The one write path (scope check, cache, data version); the form already validated the months.
        saved = freshness_policy.freshness_policy_set(
            user=request.user, departement=obj.departement_id, stale_after_months=obj.stale_after_months,
            hide_after_months=obj.hide_after_months, apply_corrections=obj.apply_corrections)
        obj.pk = saved.pk
