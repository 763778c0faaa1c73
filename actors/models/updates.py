"""The private update link of each place: which link is the valid one, so a link can be revoked."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from actors.models.structure import Structure


class UpdateLink(models.Model):
    """The current generation of a place's update link.

    A link carries the generation it was made with; moving the generation on (when the link is used, or
    revoked by a coordinator) makes every older link of the place say « déjà utilisé ou annulé ».
    """

    structure = models.OneToOneField(Structure, on_delete=models.CASCADE, related_name="update_link",
                                     verbose_name=_("lieu"))
    generation = models.PositiveIntegerField(_("génération"), default=0)
    used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)

    class Meta:
        verbose_name = _("lien de mise à jour")
        verbose_name_plural = _("liens de mise à jour")

    def __str__(self) -> str:
        return f"{self.structure} #{self.generation}"


class UpdateCampaign(models.Model):
    """A round of update requests sent to the places of a territory (by the command or the admin)."""

    label = models.CharField(_("campagne"), max_length=200)
    created_at = models.DateTimeField(_("lancée le"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("lancée par"))

    class Meta:
        verbose_name = _("campagne de mise à jour")
        verbose_name_plural = _("campagnes de mise à jour")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.label


class UpdateRequest(models.Model):
    """One place asked in one campaign: to which address, whether the e-mail left, and what the place answered."""

    class Answer(models.TextChoices):
        NONE = "", _("pas de réponse")
        CONFIRMED = "confirmed", _("confirmé sans changement")
        CORRECTED = "corrected", _("corrections proposées")

    campaign = models.ForeignKey(UpdateCampaign, on_delete=models.CASCADE, related_name="requests",
                                 verbose_name=_("campagne"))
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="update_requests",
                                  verbose_name=_("lieu"))
    email = models.EmailField(_("envoyé à"), blank=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    error = models.CharField(_("erreur d'envoi"), max_length=300, blank=True)
    answer = models.CharField(_("réponse"), max_length=10, choices=Answer.choices, blank=True, default="")
    answered_at = models.DateTimeField(_("répondu le"), null=True, blank=True)
    # Follow-up (actors/campaigns/reminders.py, actors/campaigns/bounces.py): link opened, reminders sent,
    # delivery failure, reply.
    opened_at = models.DateTimeField(_("lien ouvert le"), null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(_("relances envoyées"), default=0)
    reminded_at = models.DateTimeField(_("dernière relance le"), null=True, blank=True)
    bounced_at = models.DateTimeField(_("adresse en échec le"), null=True, blank=True)
    bounce_reason = models.CharField(_("motif de l'échec"), max_length=300, blank=True)
    replied_at = models.DateTimeField(_("réponse reçue le"), null=True, blank=True)
    reply_excerpt = models.CharField(_("début de la réponse"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("demande de mise à jour")
        verbose_name_plural = _("demandes de mise à jour")
        indexes = [models.Index(fields=["structure", "-campaign"], name="updaterequest_structure")]

    def __str__(self) -> str:
        return f"{self.campaign} — {self.structure}"


class FreshnessSnapshot(models.Model):
    """A département's freshness on one day (recorded daily by `record_freshness`; `estimated` rows were
    rebuilt afterwards from the places' current dates), read by the coordinators' dashboard."""

    day = models.DateField(_("jour"))
    departement = models.ForeignKey("territories.Departement", on_delete=models.CASCADE, related_name="+",
                                    verbose_name=_("département"))
    total = models.PositiveIntegerField(_("lieux publiés"))
    verified = models.PositiveIntegerField(_("vérifiés depuis moins de 12 mois"))
    source_updated = models.PositiveIntegerField(_("mis à jour par la source depuis moins de 12 mois"))
    estimated = models.BooleanField(_("reconstitué"), default=False)

    class Meta:
        verbose_name = _("relevé de fraîcheur")
        verbose_name_plural = _("relevés de fraîcheur")
        constraints = [models.UniqueConstraint(fields=["departement", "day"], name="freshnesssnapshot_unique_day")]

    def __str__(self) -> str:
        return f"{self.departement_id} {self.day}"
