"""Territory filters of the open-data exports.

Interim FilterSet until the directory's `StructureFilter` (actors/filters.py) lands: the exports will then
use that one, so that the list, the map and the exports always agree. Same parameter names.
"""

import django_filters
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from actors.models import Structure

DEPARTEMENT = RegexValidator(r"^(\d{2,3}|2[AB])$", _("Code de département inconnu (exemples : 87, 2A, 974)."))
EPCI = RegexValidator(r"^\d{9}$", _("Le SIREN d'un EPCI compte 9 chiffres."))
COMMUNE = RegexValidator(r"^(\d{5}|2[AB]\d{3})$", _("Le code INSEE d'une commune compte 5 caractères."))


class ExportFilter(django_filters.FilterSet):
    departement = django_filters.CharFilter(
        label=_("Département"), method="filter_departement", validators=[DEPARTEMENT]
    )
    epci = django_filters.CharFilter(label=_("EPCI (SIREN)"), method="filter_epci", validators=[EPCI])
    commune = django_filters.CharFilter(label=_("Commune (code INSEE)"), method="filter_commune", validators=[COMMUNE])

    class Meta:
        model = Structure
        fields = ["departement", "epci", "commune"]

    def filter_departement(self, queryset, name, value):
        return queryset.in_departement(value.upper())

    def filter_epci(self, queryset, name, value):
        return queryset.in_epci(value)

    def filter_commune(self, queryset, name, value):
        return queryset.in_commune(value.upper())
