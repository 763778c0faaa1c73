"""The quality score in the places' admin list: a column and a filter by band (actors/core/quality.py)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from actors.core import quality


class QualityFilter(admin.SimpleListFilter):
    title = _("qualité de la fiche")
    parameter_name = "qualite"

    def lookups(self, request, model_admin):
        return [(code, label) for code, label, _low, _high in quality.BANDS]

    def queryset(self, request, queryset):
        if self.value() in {code for code, *_rest in quality.BANDS}:
            return queryset.filter(quality.band_condition(self.value()))
        return queryset


@admin.display(description=_("qualité /100"), ordering="quality")
def quality_display(modeladmin, obj) -> int:
    return obj.quality
