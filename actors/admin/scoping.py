"""Every admin of the coordination area narrows its rows through `Structure.objects.editable_by(user)`."""

from django.contrib import admin
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.http import Http404

from actors.models import Structure


class ScopedAdminMixin:
    """Queryset, object lookups, permissions and bulk actions limited to the user's territories.

    `structure_paths` names the lookups to a structure ("" for Structure itself): a row is in scope when
    every one of them points to an editable structure.
    """

    structure_paths: tuple[str, ...] = ("structure",)

    def scope(self, request, queryset):
        editable = Structure.objects.editable_by(request.user)
        if request.user.is_superuser:
            return queryset
        for path in self.structure_paths:
            if path:
                queryset = queryset.filter(**{f"{path}__in": editable.values("pk")})
            else:
                queryset = queryset.filter(pk__in=editable.values("pk"))
        return queryset

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django redirects to the index for a missing object; outside the scope must read as "not found".
        raise Http404

    def get_queryset(self, request):
        return self.scope(request, super().get_queryset(request))

    def in_scope(self, request, obj) -> bool:
        if obj is None or request.user.is_superuser:
            return True
        return self.scope(request, self.model._default_manager.filter(pk=obj.pk)).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self.in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self.in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.in_scope(request, obj)

    def response_action(self, request, queryset):
        # A bulk action naming a row outside the user's scope is refused as a whole, not silently trimmed.
        selected = request.POST.getlist(helpers.ACTION_CHECKBOX_NAME)
        if selected and not request.POST.get("select_across"):
            try:
                found = self.get_queryset(request).filter(pk__in=selected).count()
            except (ValueError, TypeError):
                raise PermissionDenied from None
            if found != len(set(selected)):
                raise PermissionDenied
        return super().response_action(request, queryset)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Structure:
            kwargs["queryset"] = Structure.objects.editable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ScopedInlineMixin:
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Structure:
            kwargs["queryset"] = Structure.objects.editable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


def superuser_only(model_admin: type[admin.ModelAdmin]) -> type[admin.ModelAdmin]:
    """For reference admins (scopes): only superusers see them."""

    def allowed(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    for name in ("has_module_permission", "has_view_permission", "has_add_permission",
                 "has_change_permission", "has_delete_permission"):
        setattr(model_admin, name, allowed)
    return model_admin
