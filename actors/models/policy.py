"""Freshness policy of a département, set by its coordinators; `FreshnessPolicy.objects.current()` reads them all."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from actors.freshness.rule import Policy, months_to_days
from actors.models.version import data_version

# The policy read by this process, under the data version it was read at (the policy's table is part of the
# version): a coordinator's change reaches every worker at its next request, never later.
_current: tuple[str, Policy] | None = None


class FreshnessPolicyQuerySet(models.QuerySet):
    def current(self) -> Policy:
        """The default limit (settings.STALE_AFTER_DAYS) and the départements' own, as of the data version."""
        global _current
        version = f"{data_version()}:{settings.STALE_AFTER_DAYS}"
        if _current is not None and _current[0] == version:
            return _current[1]
        rows = list(self.values_list("departement_id", "stale_after_months", "hide_after_months"))
        policy = Policy(default_days=settings.STALE_AFTER_DAYS,
                        by_departement={code: months_to_days(stale) for code, stale, _hidden in rows},
                        hide_by_departement={code: months_to_days(hidden) for code, _stale, hidden in rows if hidden})
        _current = (version, policy)
        return policy


class FreshnessPolicy(models.Model):
    """After `stale_after_months` without update a place is « à vérifier »; after `hide_after_months` (if set)
    it leaves the public lists and map until it is confirmed or updated."""

    departement = models.OneToOneField("territories.Departement", on_delete=models.CASCADE, primary_key=True,
                                       verbose_name=_("département"))
    stale_after_months = models.PositiveSmallIntegerField(
        _("« À vérifier » après (mois)"), default=12, validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_("Nombre de mois sans mise à jour ni confirmation avant d'afficher « À vérifier »."))
    hide_after_months = models.PositiveSmallIntegerField(
        _("Retiré du public après (mois)"), null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Facultatif. Au-delà, le lieu n'apparaît plus dans les listes ni sur la carte tant qu'il "
                    "n'est pas confirmé. Vide : jamais retiré."))
    apply_corrections = models.BooleanField(
        _("appliquer les corrections directement"), default=False,
        help_text=_("Les corrections qu'un lieu envoie par son lien de mise à jour sont publiées sans relecture "
                    "(elles restent consultables, champ par champ, dans les signalements)."))
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("modifié par"))

    objects = FreshnessPolicyQuerySet.as_manager()

    class Meta:
        verbose_name = _("règle de fraîcheur")
        verbose_name_plural = _("règles de fraîcheur")

    def __str__(self) -> str:
        return str(self.departement)
