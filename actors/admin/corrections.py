"""The moderation queue of public corrections, seen only by the coordinators of each structure's territory."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from actors.admin.scoping import ScopedAdminMixin
from actors.core import locking
from actors.models import CorrectionReport
from actors.moderation import proposals
from actors.vocabulary.enums import CorrectionField, CorrectionStatus


class OriginFilter(admin.SimpleListFilter):
    title = _("origine")
    parameter_name = "origine"

    def lookups(self, request, model_admin):
        return [("lieu", _("Proposé par le lieu (lien de mise à jour)")), ("public", _("Signalement du public"))]

    def queryset(self, request, queryset):
        if self.value() == "lieu":
            return queryset.filter(proposal__isnull=False)
        if self.value() == "public":
            return queryset.filter(proposal__isnull=True)
        return queryset


@admin.register(CorrectionReport)
class CorrectionReportAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["structure", "field", "proposed_value", "created_at", "status"]
    list_filter = ["status", OriginFilter, "field"]
    list_select_related = ["structure"]
    search_fields = ["structure__nom", "proposed_value", "message"]
    fields = ["structure", "field", "previous_value", "current_value", "proposed_value", "message", "contact_email",
              "status", "created_at", "decided_at", "decided_by"]
    readonly_fields = fields
    actions = ["accept", "reject"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("valeur actuelle"))
    def current_value(self, obj):
        return proposals.in_words(obj.field, proposals.current_value(obj.structure, obj.field))

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        context = getattr(response, "context_data", None)
        if context and "cl" in context:
            # The version of each place listed, as this page read it: a bulk decision compares it (locking).
            pks = {report.structure_id for report in context["cl"].result_list}
            context["place_versions"] = [(f"{locking.FIELD}_{pk}", locking.version_of(pk)) for pk in sorted(pks)]
        return response

    def _decide(self, request, queryset, accept: bool, versions: dict[int, str | None]):
        """Decide each report against the version of its place the coordinator's page read (`versions`)."""
        done, failed, already = 0, [], []
        for report in queryset.select_related("structure", "decided_by"):
            if report.status != CorrectionStatus.PENDING:
                already.append(proposals.decided_in_words(report))
                continue
            try:
                if proposals.correction_decide(report, accept, request.user, version=versions.get(report.structure_id)):
                    done += 1
                else:
                    report.refresh_from_db()
                    already.append(proposals.decided_in_words(report))
            except ValidationError as error:
                detail = f"#{report.pk} : {' '.join(error.messages)}"
                if getattr(error, "code", "") == "stale":
                    detail += proposals.current_in_words(report)
                failed.append(detail)
        if done:
            self.message_user(request, _("%(count)d signalement(s) traité(s).") % {"count": done}, messages.SUCCESS)
        for message in already:
            self.message_user(request, message, messages.WARNING)
        for message in failed:
            self.message_user(request, _("Non appliqué — %(detail)s") % {"detail": message}, messages.ERROR)

    def _posted_versions(self, request, queryset) -> dict[int, str | None]:
        pks = set(queryset.values_list("structure_id", flat=True))
        return {pk: request.POST.get(f"{locking.FIELD}_{pk}", "") for pk in pks}

    @admin.action(description=_("Accepter et appliquer la modification"), permissions=["change"])
    def accept(self, request, queryset):
        self._decide(request, queryset, True, self._posted_versions(request, queryset))

    @admin.action(description=_("Refuser"), permissions=["change"])
    def reject(self, request, queryset):
        self._decide(request, queryset, False, self._posted_versions(request, queryset))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "show_save": False, "show_save_and_continue": False}
        if request.method == "POST" and ("_decide_proposal" in request.POST or "_reject_proposal" in request.POST):
            return self.decide_proposal(request, object_id)
        report = self.get_object(request, object_id) if request.method == "GET" else None
        if report is not None and report.proposal is not None:
            extra_context.update(proposal_context(report, request.user))
        elif report is not None:
            extra_context.update({"version": locking.version_of(report.structure_id), "version_field": locking.FIELD})
        if request.method == "POST" and ("_accept" in request.POST or "_reject" in request.POST):
            report = self.get_object(request, object_id)
            if report is None or not self.has_change_permission(request, report):
                raise PermissionDenied
            self._decide(request, self.get_queryset(request).filter(pk=report.pk), "_accept" in request.POST,
                         {report.structure_id: request.POST.get(locking.FIELD, "")})
            return HttpResponseRedirect(reverse("admin:actors_correctionreport_changelist"))
        return super().change_view(request, object_id, form_url, extra_context)

    def decide_proposal(self, request, object_id):
        """A place's proposal decided as a whole or field by field, against the version the coordinator read."""
        report = self.get_object(request, object_id)
        if report is None or not self.has_change_permission(request, report):
            raise PermissionDenied
        reports = proposals.proposal_reports(report, request.user)
        accepted = set()
        if "_decide_proposal" in request.POST:
            wanted = set(request.POST.getlist("accept"))
            accepted = {r.pk for r in reports if str(r.pk) in wanted}
        try:
            proposals.decide(reports=reports, accepted=accepted, user=request.user,
                             version=request.POST.get(locking.FIELD, ""))
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return HttpResponseRedirect(request.path)
        self.message_user(request, _("Proposition traitée : %(accepted)d champ(s) accepté(s), %(rejected)d refusé(s).")
                          % {"accepted": len(accepted), "rejected": len(reports) - len(accepted)}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:actors_correctionreport_changelist"))


def proposal_context(report: CorrectionReport, user) -> dict:
    """The field-by-field diff of a place's proposal: value then, value now, proposed value."""
    rows = []
    for item in proposals.proposal_reports(report, user):
        if item.field == CorrectionField.OTHER:
            continue
        now = proposals.current_value(item.structure, item.field)
        rows.append({"report": item, "label": item.get_field_display(),
                     "before": proposals.in_words(item.field, item.previous_value),
                     "now": proposals.in_words(item.field, now), "moved": now != item.previous_value,
                     "proposed": proposals.in_words(item.field, item.proposed_value),
                     "pending": item.status == CorrectionStatus.PENDING})
    return {"proposal_rows": rows, "proposal_pending": any(row["pending"] for row in rows),
            "version": locking.version_of(report.structure_id), "version_field": locking.FIELD}
