"""Which territories each coordinator covers; managed by superusers only."""

from django.contrib import admin

from actors.admin.scoping import superuser_only
from actors.models import CoordinatorScope


@admin.register(CoordinatorScope)
@superuser_only
class CoordinatorScopeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "user", "group", "departement", "epci", "commune"]
    list_select_related = ["user", "group", "departement", "epci", "commune"]
    raw_id_fields = ["user", "epci", "commune"]
    fields = ["user", "group", "departement", "epci", "commune"]
