"""Closures and contact persons on their own lists, scoped through their structure."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from actors.admin.scoping import ScopedAdminMixin
from actors.models import ContactPerson, TemporaryClosure


@admin.register(TemporaryClosure)
class TemporaryClosureAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["structure", "starts_on", "ends_on", "reason"]
    list_select_related = ["structure"]
    search_fields = ["structure__nom", "reason"]
    date_hierarchy = "starts_on"
    fields = ["structure", "starts_on", "ends_on", "reason"]
    raw_id_fields = ["structure"]


@admin.register(ContactPerson)
class ContactPersonAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "role", "structure", "is_public"]
    list_select_related = ["structure"]
    search_fields = ["name", "structure__nom"]
    fields = ["structure", "name", "role", "phone", "email", "is_public"]
    raw_id_fields = ["structure"]
