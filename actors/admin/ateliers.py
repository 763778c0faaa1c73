"""Ateliers and the agendas they come from, scoped like places (a coordinator sees those of their territories).

A series is edited against the version of its place (optimistic locking, as closures and contacts are), and its
sessions are cancelled rather than deleted: a cancelled session is shown nowhere, and the data version moves.
"""

from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from actors.admin.related import PlaceVersionAdminMixin, PlaceVersionForm
from actors.admin.scoping import ScopedAdminMixin
from actors.ateliers import feeds
from actors.models import AtelierFeed, AtelierSeries, AtelierSession


class AtelierSessionForm(forms.ModelForm):
    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("La fin de la séance doit suivre son début."))
        return data


class AtelierSessionInline(admin.TabularInline):
    model = AtelierSession
    form = AtelierSessionForm
    fields = ["starts_at", "ends_at", "seats_left", "cancelled"]
    extra = 1
    can_delete = False
    ordering = ["starts_at"]


class AtelierSeriesForm(PlaceVersionForm):
    class Meta:
        model = AtelierSeries
        fields = ["structure", "title", "description", "themes", "publics", "level", "duration_minutes", "seats",
                  "free", "fees", "registration", "registration_contact", "language", "accessibility"]


@admin.register(AtelierSeries)
class AtelierSeriesAdmin(PlaceVersionAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    form = AtelierSeriesForm
    list_display = ["title", "structure", "source", "updated_at"]
    list_select_related = ["structure"]
    list_filter = ["source", "level", "free"]
    search_fields = ["title", "structure__nom"]
    raw_id_fields = ["structure"]
    filter_horizontal = ["themes", "publics"]
    fields = [*AtelierSeriesForm.Meta.fields, "source", "source_id", "recurrence", "version"]
    readonly_fields = ["source", "source_id", "recurrence"]
    inlines = [AtelierSessionInline]

    def has_delete_permission(self, request, obj=None):
        # A deleted series would still come back at the next import of its agenda: cancel its sessions instead.
        return request.user.is_superuser and super().has_delete_permission(request, obj)


@admin.register(AtelierFeed)
class AtelierFeedAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["url", "structure", "active", "last_run_at", "last_ok"]
    list_select_related = ["structure"]
    list_filter = ["active", "last_ok"]
    search_fields = ["url", "structure__nom"]
    raw_id_fields = ["structure"]
    fields = ["structure", "url", "active", "last_run_at", "last_ok", "last_report"]
    readonly_fields = ["last_run_at", "last_ok", "last_report"]
    actions = ["read_now"]

    @admin.action(description=_("Lire maintenant les agendas choisis"))
    def read_now(self, request, queryset):
        failed = sum(feeds.refresh(feed).failed for feed in queryset.select_related("structure"))
        read = queryset.count() - failed
        self.message_user(request, ngettext("%(count)s agenda lu.", "%(count)s agendas lus.", read) % {"count": read})
        if failed:
            self.message_user(request, ngettext(
                "%(count)s agenda en échec : voyez son compte rendu.", "%(count)s agendas en échec : voyez leur "
                "compte rendu.", failed) % {"count": failed}, level=messages.WARNING)
