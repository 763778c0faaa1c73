"""Import a partner file from the admin: dry run and report first, then confirm; only the user's territories."""

import uuid

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from actors.imports import import_file, jobs
from actors.models import ImportJob

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
SESSION_KEY = "coordination-import"


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Fichier (CSV ou JSON)"),
                           help_text=_("Au standard « Lieux de médiation numérique » ou dans un format de partenaire "
                                       "connu. Rien n'est écrit avant votre confirmation."))
    source = forms.CharField(label=_("Nom de la source (facultatif)"), max_length=200, required=False)
    strict = forms.BooleanField(label=_("Tout ou rien"), required=False,
                                help_text=_("Cochée : une seule ligne rejetée refuse le fichier entier. Sinon, chaque "
                                            "ligne rejetée l'est seule, avec son motif, et les autres sont écrites."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("Fichier trop volumineux (20 Mo au plus)."))
        return upload


def import_view(model_admin, request):
    """GET: the upload form; POST file: dry run and its report; POST confirm: the same file, written."""
    if not (model_admin.has_add_permission(request) and model_admin.has_change_permission(request)):
        raise PermissionDenied
    context = {**model_admin.admin_site.each_context(request), "opts": model_admin.model._meta,
               "title": _("Importer un fichier de lieux")}
    pending = request.session.get(SESSION_KEY)

    if request.method == "POST" and "_confirm" in request.POST:
        if (not pending or request.POST.get("token") != pending["token"]
                or not default_storage.exists(pending["path"])):  # swept after a day (jobs.sweep_uploads)
            messages.error(request, _("Cet import a expiré : déposez le fichier à nouveau."))
            return HttpResponseRedirect(request.path)
        with default_storage.open(pending["path"], "rb") as stored:
            # Both sides of every row are checked against the user's territories (actors.imports.plan);
            # name + commune changes are written only when the coordinator ticked the confirmation.
            report = import_file(stored, pending["filename"], apply=True, user=request.user,
                                 source=pending["source"] or None, strict=pending.get("strict", False),
                                 confirm_identity_changes=request.POST.get("confirm_identity_changes") == "1")
        default_storage.delete(pending["path"])
        del request.session[SESSION_KEY]
        messages.success(request, report.summary()) if report.ok else messages.error(request, report.summary())
        return TemplateResponse(request, "admin/actors/structure/import.html",
                                {**context, "form": ImportForm(), "report": report, "applied": True})

    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        jobs.sweep_uploads()
        upload = form.cleaned_data["file"]
        if pending:
            default_storage.delete(pending["path"])
        path = default_storage.save(f"{jobs.UPLOADS}/{uuid.uuid4().hex}", upload)
        upload.seek(0)
        if jobs.row_count(path) > jobs.BACKGROUND_ROWS:
            request.session.pop(SESSION_KEY, None)
            job = jobs.start_job(user=request.user, stored_path=path, filename=upload.name,
                                 source=form.cleaned_data["source"], apply=False, strict=form.cleaned_data["strict"])
            return HttpResponseRedirect(reverse("admin:actors_structure_import_job", args=[job.pk]))
        with default_storage.open(path, "rb") as stored:
            report = import_file(stored, upload.name, apply=False, user=request.user,
                                 source=form.cleaned_data["source"] or None, strict=form.cleaned_data["strict"])
        token = uuid.uuid4().hex
        request.session[SESSION_KEY] = {"token": token, "path": path, "filename": upload.name,
                                        "source": form.cleaned_data["source"], "strict": form.cleaned_data["strict"]}
        return TemplateResponse(request, "admin/actors/structure/import.html",
                                {**context, "form": form, "report": report, "token": token,
                                 "can_confirm": report.ok and bool(report.created or report.updated or report.held)})
    return TemplateResponse(request, "admin/actors/structure/import.html", {**context, "form": form})


def import_job_view(model_admin, request, pk: int):
    """A background import: its progress while it runs, then its report; a finished dry run can be confirmed."""
    if not (model_admin.has_add_permission(request) and model_admin.has_change_permission(request)):
        raise PermissionDenied
    job = ImportJob.objects.filter(pk=pk).first()
    if job is None or (job.user_id != request.user.pk and not request.user.is_superuser):
        raise Http404
    report = jobs.report_from_dict(job.report) if job.status == ImportJob.Status.DONE else None
    next_job = ImportJob.objects.filter(dry_run=job).first()
    can_confirm = (report is not None and not job.apply and report.ok and bool(report.created or report.updated)
                   and next_job is None)
    if request.method == "POST" and "_confirm" in request.POST:
        if not can_confirm:
            messages.error(request, _("Cette simulation ne peut pas (ou plus) être confirmée."))
            return HttpResponseRedirect(request.path)
        applied = jobs.start_job(user=request.user, stored_path=job.stored_path, filename=job.filename,
                                 source=job.source, apply=True, dry_run=job, strict=job.strict,
                                 confirm_identity_changes=request.POST.get("confirm_identity_changes") == "1")
        return HttpResponseRedirect(reverse("admin:actors_structure_import_job", args=[applied.pk]))
    context = {**model_admin.admin_site.each_context(request), "opts": model_admin.model._meta,
               "title": _("Import en arrière-plan"), "job": job, "report": report, "can_confirm": can_confirm,
               "next_job": next_job}
    return TemplateResponse(request, "admin/actors/structure/import_job.html", context)
