"""Probable duplicates side by side: merge field by field, or dismiss the pair."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from actors.admin.scoping import ScopedAdminMixin
from actors.core.locking import stale_places, version_of
from actors.duplicates import folding
from actors.models import DuplicateCandidate, Structure
from actors.moderation.merge import differing_fields, structures_merge
from actors.vocabulary.enums import DuplicateStatus


def readable(value):
    """Points as "latitude, longitude", the way coordinators read them; other values as they are."""
    if hasattr(value, "y") and hasattr(value, "x"):
        return f"{value.y:.5f}, {value.x:.5f}"
    return value


@admin.register(DuplicateCandidate)
class DuplicateCandidateAdmin(ScopedAdminMixin, admin.ModelAdmin):
    structure_paths = ("first", "second")
    list_display = ["first", "second", "score", "reasons", "folds", "status"]
    list_filter = ["status", "folds"]
    list_select_related = ["first", "second"]
    search_fields = ["first__nom", "second__nom"]
    actions = ["dismiss"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Pas un doublon"), permissions=["change"])
    def dismiss(self, request, queryset):
        count = queryset.filter(status=DuplicateStatus.PENDING).update(status=DuplicateStatus.DISMISSED)
        folding.refold()  # a dismissed pair no longer folds: both records are public again
        self.message_user(request, _("%(count)d paire(s) écartée(s).") % {"count": count})

    def change_view(self, request, object_id, form_url="", extra_context=None):
        pair = self.get_object(request, object_id)
        if pair is None:
            raise Http404(_("Cette paire n'existe pas ou n'est pas dans vos territoires."))
        if not self.has_view_permission(request, pair):
            raise PermissionDenied
        first, second = pair.first, pair.second
        fields = differing_fields(first, second)
        errors = []
        if request.method == "POST":
            if not self.has_change_permission(request, pair):
                raise PermissionDenied
            if "_dismiss" in request.POST:
                pair.status = DuplicateStatus.DISMISSED
                pair.save(update_fields=["status"])
                folding.refold()
                self.message_user(request, _("Paire écartée : ce ne sont pas des doublons."), messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:actors_duplicatecandidate_changelist"))
            keep_pk = request.POST.get("keep")
            if keep_pk not in (str(first.pk), str(second.pk)):
                errors.append(_("Choisissez la fiche à conserver."))
            else:
                keep, other = (first, second) if keep_pk == str(first.pk) else (second, first)
                choices = {}
                for name in fields:
                    picked = request.POST.get(f"field_{name}")
                    if picked not in (str(first.pk), str(second.pk)):
                        errors.append(_("Choisissez une valeur pour « %(field)s ».")
                                      % {"field": Structure._meta.get_field(name).verbose_name})
                        continue
                    choices[name] = "keep" if picked == str(keep.pk) else "other"
                with transaction.atomic():  # the versions stay locked until the merge is written
                    errors = errors or stale_places(request.POST, first, second)
                    if not errors:
                        structures_merge(keep, other, choices, request.user)
                if not errors:
                    self.message_user(request, _("Fiches fusionnées dans « %(nom)s » ; l'autre est archivée.")
                                      % {"nom": keep.nom}, messages.SUCCESS)
                    return HttpResponseRedirect(reverse("admin:actors_structure_change", args=[keep.pk]))
        rows = [
            {"name": name, "label": Structure._meta.get_field(name).verbose_name,
             "first": readable(getattr(first, name)), "second": readable(getattr(second, name)),
             "picked": request.POST.get(f"field_{name}", str(first.pk))}
            for name in fields
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Doublon probable : comparer et fusionner"),
            "opts": self.model._meta, "original": pair, "pair": pair, "first": first, "second": second,
            "rows": rows, "errors": errors, "keep": request.POST.get("keep", str(first.pk)),
            "can_change": self.has_change_permission(request, pair) and pair.status == DuplicateStatus.PENDING,
            "version_first": version_of(first.pk), "version_second": version_of(second.pk),
        }
        return TemplateResponse(request, "admin/actors/duplicatecandidate/compare.html", context)
