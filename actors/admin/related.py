"""Closures and contact persons on their own lists, scoped through their structure."""

from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import ValidationError
from django.db import transaction
from simple_history.admin import SimpleHistoryAdmin

from actors.admin.scoping import ScopedAdminMixin
from actors.core import locking
from actors.models import ContactPerson, Structure, TemporaryClosure


class ScopedRawIdWidget(ForeignKeyRawIdWidget):
    """The raw-id input of a place, whose label beside the number names only a place the user may edit.

    Django's widget looks the number up in every place (`?structure=<id>` in the address is enough): an
    out-of-scope place shows no name, like an unknown number.
    """

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.queryset = queryset

    def label_and_url_for_value(self, value):
        if not self.queryset.filter(pk__in=[value] if str(value).isdigit() else []).exists():
            return "", ""
        return super().label_and_url_for_value(value)


class PlaceVersionForm(forms.ModelForm):
    """Edits a closure or a contact against the version of its place (optimistic locking, actors/core/locking.py)."""

    version = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial[locking.FIELD] = locking.version_of(self.instance.structure_id if self.instance.pk else None)

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            try:
                locking.check_version(pk=self.instance.structure_id, token=data.get(locking.FIELD))
            except ValidationError as error:
                self.add_error(None, error)
        return data


class PlaceVersionAdminMixin:
    form = PlaceVersionForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Structure and db_field.name in self.raw_id_fields:
            kwargs["widget"] = ScopedRawIdWidget(db_field.remote_field, self.admin_site,
                                                 queryset=Structure.objects.editable_by(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        before = form.initial.get("structure")
        super().save_model(request, obj, form, change)
        locking.touch(obj.structure_id, before)

    @transaction.atomic  # like the change form: the version check and the revert commit together
    def history_form_view(self, request, object_id, version_id, extra_context=None):
        return super().history_form_view(request, object_id, version_id, extra_context)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        locking.touch(obj.structure_id)


@admin.register(TemporaryClosure)
class TemporaryClosureAdmin(PlaceVersionAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["structure", "starts_on", "ends_on", "reason"]
    list_select_related = ["structure"]
    search_fields = ["structure__nom", "reason"]
    date_hierarchy = "starts_on"
    fields = ["structure", "starts_on", "ends_on", "reason", "version"]
    raw_id_fields = ["structure"]


@admin.register(ContactPerson)
class ContactPersonAdmin(PlaceVersionAdminMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "role", "structure", "is_public"]
    list_select_related = ["structure"]
    search_fields = ["name", "structure__nom"]
    fields = ["structure", "name", "role", "phone", "email", "is_public", "version"]
    raw_id_fields = ["structure"]
