"""Rate limits counted in the database, so that every worker and every restart sees the same count."""

import datetime as dt

from django.db import models, transaction
from django.utils import timezone

KEEP_AT_MOST = dt.timedelta(days=1)


class RateLimitHitQuerySet(models.QuerySet):
    @transaction.atomic
    def allow(self, key: str, *, limit: int, window: dt.timedelta) -> bool:
        """Record one action for `key` and say whether it is within `limit` per `window`.

        A refused action is not recorded, so waiting out the window always lets the next one through.
        """
        now = timezone.now()
        # Keys hold IP addresses: nothing older than a day (or the window, if longer) is kept.
        self.filter(at__lt=now - max(window, KEEP_AT_MOST)).delete()
        if self.filter(key=key, at__gte=now - window).count() >= limit:
            return False
        self.create(key=key, at=now)
        return True

    def used(self, key: str, *, window: dt.timedelta) -> int:
        return self.filter(key=key, at__gte=timezone.now() - window).count()


class RateLimitHit(models.Model):
    """One counted action (for example a public correction sent) under a key such as "corrections:<ip>"."""

    key = models.CharField(max_length=100)
    at = models.DateTimeField()

    objects = RateLimitHitQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["key", "at"], name="ratelimithit_key_at"),
                   models.Index(fields=["at"], name="ratelimithit_at")]

    def __str__(self) -> str:
        return f"{self.key} @ {self.at:%Y-%m-%d %H:%M}"
