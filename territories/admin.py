"""Territories in the admin: browsable and searchable, never edited by hand (the loader owns them)."""

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdmin

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
class EPCIAdmin(ReadOnlyAdminMixin, FoldedSearchMixin, LeafletGeoAdmin):
    list_display = ["siren", "name", "kind", "population"]
    list_filter = ["kind"]
    search_fields = ["=siren", "name"]
    readonly_fields = ["centre"]


@admin.register(Commune)
class CommuneAdmin(ReadOnlyAdminMixin, FoldedSearchMixin, LeafletGeoAdmin):
    list_display = ["code", "name", "kind", "postal_codes", "departement", "epci", "population"]
    list_filter = ["kind", "departement"]
    list_select_related = ["departement", "epci"]
    search_fields = ["=code", "name", "postal_codes"]
    show_full_result_count = False


@admin.register(QPV)
class QPVAdmin(ReadOnlyAdminMixin, FoldedSearchMixin, LeafletGeoAdmin):
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
