"""Who coordinates which territory, and the corrections the public sends in."""

import datetime as dt

from django.conf import settings
from django.contrib.gis.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.enums import CorrectionField, CorrectionStatus
from actors.models.structure import Structure


class CoordinatorScopeQuerySet(models.QuerySet):
    def for_user(self, user) -> "CoordinatorScopeQuerySet":
        """Scopes given to the user directly or through one of their groups."""
        return self.filter(models.Q(user=user) | models.Q(group__in=user.groups.all()))

    def condition(self, user, path: str = "commune__") -> models.Q:
        """The territory rule of `user`'s scopes on a model reaching a commune through `path`.

        `path="commune__"` filters structures (`Structure.objects.editable_by`), `path=""` filters communes
        (where a new or moved place may go): one rule for both sides of an import or an edit.
        """
        scopes = self.for_user(user)
        communes = scopes.exclude(commune=None).values("commune_id")
        return (
            models.Q(**{f"{path}departement_id__in": scopes.exclude(departement=None).values("departement_id")})
            | models.Q(**{f"{path}epci_id__in": scopes.exclude(epci=None).values("epci_id")})
            | models.Q(**{f"{path}pk__in": communes})
            | models.Q(**{f"{path}parent_id__in": communes})
        )


class CoordinatorScope(models.Model):
    """One territory (a département, an EPCI or a commune) a user or a group coordinates."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="coordinator_scopes",
        verbose_name=_("utilisateur"),
    )
    group = models.ForeignKey(
        "auth.Group", on_delete=models.CASCADE, null=True, blank=True, related_name="coordinator_scopes",
        verbose_name=_("groupe"),
    )
    departement = models.ForeignKey(
        "territories.Departement", on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("département")
    )
    epci = models.ForeignKey("territories.EPCI", on_delete=models.CASCADE, null=True, blank=True,
                             verbose_name=_("EPCI"))
    commune = models.ForeignKey("territories.Commune", on_delete=models.CASCADE, null=True, blank=True,
                                verbose_name=_("commune"))

    objects = CoordinatorScopeQuerySet.as_manager()

    class Meta:
        verbose_name = _("territoire coordonné")
        verbose_name_plural = _("territoires coordonnés")
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(user__isnull=False, group__isnull=True)
                           | models.Q(user__isnull=True, group__isnull=False)),
                name="coordinatorscope_user_xor_group",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(departement__isnull=False, epci__isnull=True, commune__isnull=True)
                    | models.Q(departement__isnull=True, epci__isnull=False, commune__isnull=True)
                    | models.Q(departement__isnull=True, epci__isnull=True, commune__isnull=False)
                ),
                name="coordinatorscope_one_territory",
            ),
        ]

    def __str__(self) -> str:
        who = self.user or self.group
        return f"{who} → {self.departement or self.epci or self.commune}"


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
