"""Territories in the admin: browsable and searchable, never edited by hand (the loader owns them)."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdmin

from inclusion.middleware import current_nonce
from territories.models import EPCI, QPV, Commune, Departement, Region, TerritoryLoad
from territories.text import fold


class ReadOnlyAdminMixin:
    """No add, change or delete, even for superusers: the official files are the only source."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_active and request.user.is_staff


class FoldedSearchMixin:
    """Searches the folded name too, so "chatellerault" finds Châtellerault."""

    def get_search_results(self, request: HttpRequest, queryset: QuerySet, search_term: str):
        results, duplicates = super().get_search_results(request, queryset, search_term)
        folded = fold(search_term)
        if folded:
            results = results | queryset.filter(name_folded__contains=folded)
        return results, duplicates


class ReadOnlyMapAdmin(LeafletGeoAdmin):
    """Without change permission the admin shows raw WKT; this draws the geometry on a non-editable map."""

    map_field = ""
    modifiable = False

    def get_fields(self, request: HttpRequest, obj=None) -> list:
        fields = [name for name in super().get_fields(request, obj) if name not in (self.map_field, "map")]
        return [*fields, "map"]

    def get_readonly_fields(self, request: HttpRequest, obj=None) -> list:
        return [*super().get_readonly_fields(request, obj), "map"]

    @property
    def media(self):
        return super().media + self.widget().media

    @admin.display(description=_("carte"))
    def map(self, obj) -> SafeString | str:
        value = getattr(obj, self.map_field, None) if obj else None
        if value is None:
            return "—"
        field = obj._meta.get_field(self.map_field)
        widget = self._get_map_widget(field, self.widget)()
        widget.csp_nonce = current_nonce()  # its inline script must carry the request's nonce
        return widget.render(f"{self.map_field}_map", value)


@admin.register(Region)
class RegionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "zone"]
    list_filter = ["zone"]
    search_fields = ["code", "name"]


@admin.register(Departement)
class DepartementAdmin(ReadOnlyAdminMixin, FoldedSearchMixin, admin.ModelAdmin):
    list_display = ["code", "name", "region", "zone"]
    list_filter = ["region", "zone"]
    list_select_related = ["region"]
    search_fields = ["=code", "name"]


@admin.register(EPCI)
class EPCIAdmin(ReadOnlyAdminMixin, FoldedSearchMixin, ReadOnlyMapAdmin):
    map_field = "centre"
    list_display = ["siren", "name", "kind", "population"]
    list_filter = ["kind"]
    search_fields = ["=siren", "name"]


@admin.register(Commune)
class CommuneAdmin(ReadOnlyAdminMixin, FoldedSearchMixin, ReadOnlyMapAdmin):
    map_field = "centre"
    list_display = ["code", "name", "kind", "postal_codes", "departement", "epci", "population"]
    list_filter = ["kind", "departement"]
    list_select_related = ["departement", "epci"]
    search_fields = ["=code", "name", "postal_codes"]
    show_full_result_count = False


@admin.register(QPV)
class QPVAdmin(ReadOnlyAdminMixin, FoldedSearchMixin, ReadOnlyMapAdmin):
    map_field = "perimeter"
    list_display = ["code", "name", "departement", "population"]
    list_filter = ["departement"]
    list_select_related = ["departement"]
    search_fields = ["=code", "name", "communes__name", "=communes__code"]


@admin.register(TerritoryLoad)
class TerritoryLoadAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["scope_label", "checksum", "loaded_at"]

    @admin.display(description=_("périmètre"))
    def scope_label(self, obj: TerritoryLoad) -> str:
        return obj.scope or _("France entière")
