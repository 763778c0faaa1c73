"""Partner keys of the open API (actors/api): who reads above the anonymous limit, who may send corrections.

Only a SHA-256 of each key is stored: the key itself is shown once, when a superuser creates it. A key is a
random 32-byte token, so a fast hash is enough (nothing to guess from a dictionary).
"""

import datetime as dt
import hashlib
import secrets

from django.contrib.gis.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.models.structure import Structure

PREFIX_CHARS = 8


def hash_key(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiKeyQuerySet(models.QuerySet):
    def usable(self, now: dt.datetime | None = None) -> "ApiKeyQuerySet":
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(models.Q(expires_at__isnull=True)
                                                           | models.Q(expires_at__gt=now))

    def issue(self, *, name: str, can_write: bool = False, expires_at: dt.datetime | None = None,
              per_minute: int | None = None) -> tuple["ApiKey", str]:
        """A new key and its raw value, the only time the raw value exists."""
        key = ApiKey(name=name, can_write=can_write, expires_at=expires_at,
                     **({"per_minute": per_minute} if per_minute else {}))
        raw = key.new_secret()
        key.save()
        return key, raw

    def find(self, raw: str) -> "ApiKey | None":
        """The key a request presents, usable or not (the caller says why a revoked or expired one is refused)."""
        return self.filter(key_hash=hash_key(raw)).first() if raw else None


class ApiKey(models.Model):
    """One partner's key: its territories (where its corrections may go), its limit, its use."""

    name = models.CharField(_("partenaire"), max_length=200,
                            help_text=_("Nom affiché aux coordinateurs avec chaque correction envoyée."))
    prefix = models.CharField(_("début de la clé"), max_length=PREFIX_CHARS, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    can_write = models.BooleanField(_("peut envoyer des corrections"), default=False)
    departements = models.ManyToManyField("territories.Departement", blank=True, related_name="+",
                                          verbose_name=_("départements"))
    epcis = models.ManyToManyField("territories.EPCI", blank=True, related_name="+", verbose_name=_("EPCI"))
    communes = models.ManyToManyField("territories.Commune", blank=True, related_name="+",
                                      verbose_name=_("communes"))
    per_minute = models.PositiveIntegerField(_("requêtes par minute"), default=600)
    expires_at = models.DateTimeField(_("expire le"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    uses = models.PositiveBigIntegerField(_("requêtes servies"), default=0, editable=False)
    last_used_at = models.DateTimeField(_("dernière requête"), null=True, blank=True, editable=False)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        verbose_name = _("clé d'API")
        verbose_name_plural = _("clés d'API")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def new_secret(self) -> str:
        """Draw the key's secret: only its hash and first characters are kept; the caller shows it once."""
        raw = "ak_" + secrets.token_urlsafe(32)
        self.prefix, self.key_hash = raw[:PREFIX_CHARS], hash_key(raw)
        return raw

    def refusal(self, now: dt.datetime | None = None) -> str:
        """Why the key cannot be used now, in French; "" when it can."""
        now = now or timezone.now()
        if self.revoked_at is not None:
            return str(_("Cette clé d'API a été révoquée."))
        if self.expires_at is not None and self.expires_at <= now:
            return str(_("Cette clé d'API a expiré."))
        return ""

    def territory_condition(self, path: str = "commune__") -> models.Q:
        """The places of the key's territories; none when it has no territory (a key must name where it writes)."""
        communes = self.communes.values("pk")
        condition = (models.Q(**{f"{path}departement_id__in": self.departements.values("pk")})
                     | models.Q(**{f"{path}epci_id__in": self.epcis.values("pk")})
                     | models.Q(**{f"{path}pk__in": communes}) | models.Q(**{f"{path}parent_id__in": communes}))
        return condition

    def covers(self, structure: Structure) -> bool:
        return Structure.objects.filter(self.territory_condition(), pk=structure.pk).exists()

    def count_use(self, now: dt.datetime | None = None) -> None:
        # One UPDATE with F(): concurrent workers add up instead of overwriting each other.
        ApiKey.objects.filter(pk=self.pk).update(uses=F("uses") + 1, last_used_at=now or timezone.now())
