"""An import run in the background (large admin uploads): its progress while it runs, its report when done."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportJob(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("en attente")
        RUNNING = "running", _("en cours")
        DONE = "done", _("terminé")
        FAILED = "failed", _("échoué")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="import_jobs", verbose_name=_("lancé par"))
    filename = models.CharField(_("fichier"), max_length=255)
    stored_path = models.CharField(max_length=255, editable=False)  # in default_storage, deleted after apply
    source = models.CharField(_("source"), max_length=200, blank=True)
    apply = models.BooleanField(_("écriture"), default=False, help_text=_("Sinon : simulation."))
    confirm_identity_changes = models.BooleanField(
        _("changements de nom et de commune confirmés"), default=False,
        help_text=_("Écrit aussi les lieux dont le nom et la commune changent à la fois."))
    strict = models.BooleanField(
        _("tout ou rien"), default=False,
        help_text=_("Une ligne rejetée ou en attente refuse le fichier entier (sinon les autres lignes sont écrites)."))
    dry_run = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                verbose_name=_("simulation confirmée"))
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.PENDING)
    phase = models.CharField(_("étape"), max_length=40, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    report = models.JSONField(_("rapport"), default=dict, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("import en arrière-plan")
        verbose_name_plural = _("imports en arrière-plan")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0
