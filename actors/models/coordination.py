"""The corrections the public sends in, waiting for the coordinators of their place."""

import datetime as dt

from django.conf import settings
from django.contrib.gis.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.models.structure import Structure
from actors.vocabulary.enums import CorrectionField, CorrectionStatus


class CorrectionReportQuerySet(models.QuerySet):
    def pending(self) -> "CorrectionReportQuerySet":
        return self.filter(status=CorrectionStatus.PENDING)

    def editable_by(self, user) -> "CorrectionReportQuerySet":
        return self.filter(structure__in=Structure.objects.editable_by(user))

    def email_expired(self) -> "CorrectionReportQuerySet":
        """Reports whose reporter's e-mail must be erased: decided, or older than the retention period."""
        limit = timezone.now() - dt.timedelta(days=settings.REPORTER_EMAIL_RETENTION_DAYS)
        return self.exclude(contact_email="").filter(
            ~models.Q(status=CorrectionStatus.PENDING) | models.Q(created_at__lt=limit)
        )


class CorrectionReport(models.Model):
    """A correction proposed by anyone from a public page, waiting for a coordinator's decision.

    The optional e-mail is the only personal data: never shown publicly, visible to the coordinators of the
    place only, erased when the report is decided and after REPORTER_EMAIL_RETENTION_DAYS in any case.
    """

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="corrections",
                                  verbose_name=_("lieu"))
    field = models.CharField(_("information concernée"), max_length=40, choices=CorrectionField.choices)
    # Bounded (forms refuse more): an anonymous form must not be a way to store megabytes.
    proposed_value = models.TextField(_("valeur proposée"), max_length=500, blank=True)
    message = models.TextField(_("message"), max_length=5000, blank=True)
    # A place's own answer through its update link: its fields share one proposal, and the value each field had
    # then is kept, so the field-by-field diff stays readable after the record changed (and as history).
    proposal = models.UUIDField(_("proposition"), null=True, blank=True, db_index=True)
    previous_value = models.TextField(_("valeur au moment de la proposition"), blank=True)
    contact_email = models.EmailField(_("courriel pour la réponse"), blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=CorrectionStatus.choices,
                              default=CorrectionStatus.PENDING, db_index=True)
    created_at = models.DateTimeField(_("reçu le"), auto_now_add=True)
    decided_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("traité par"))

    objects = CorrectionReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.structure} — {self.get_field_display()}"
