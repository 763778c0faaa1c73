"""The coordinators' workspace in the Django admin (every list and action scoped by territory)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from actors.admin import (  # noqa: F401  (registration)
    api_keys,
    ateliers,
    campaigns,
    corrections,
    duplicates,
    policies,
    related,
    scopes,
    structure,
)

admin.site.site_header = _("Annuaire de l'inclusion numérique — espace des coordinateurs")
admin.site.site_title = _("Espace des coordinateurs")
admin.site.index_title = _("Tableau de bord")
