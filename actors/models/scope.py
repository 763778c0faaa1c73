"""Which territories each coordinator covers: the one scope every admin list, import and export reads."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _


class CoordinatorScopeQuerySet(models.QuerySet):
    def for_user(self, user: "User | AnonymousUser") -> "CoordinatorScopeQuerySet":
        """Scopes given to the user directly or through one of their groups."""
        return self.filter(models.Q(user=user) | models.Q(group__in=user.groups.all()))

    def condition(self, user: "User | AnonymousUser", path: str = "commune__") -> models.Q:
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
