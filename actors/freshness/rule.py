"""Freshness: one rule for « à vérifier », used through Structure.freshness() and Structure.objects.stale().

A record is fresh while its latest date — the source's own update (`date_maj`, « mis à jour par la source
le … ») or a confirmation (`verified_at`: « vérifié par la coordination le … », or « confirmé par le lieu
le … » when the place answered « rien n'a changé » through its private link) — is younger
than the policy's limit; else it is « à vérifier ». The list, the detail page, the admin, the map data, the
referral sheet and the exports all ask this module, through the model method or the QuerySet verb.

The policy is a value: one default limit (settings.STALE_AFTER_DAYS, 365 days), and the limits the
coordinators of a département set (FreshnessPolicy: N months before « à vérifier », optionally M months after
which the place leaves the public pages, `Structure.objects.public()`, until it is confirmed).
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Policy:
    default_days: int
    by_departement: dict[str, int] = field(default_factory=dict)
    # Départements whose coordinators take places off the public pages after this many days (none by default).
    hide_by_departement: dict[str, int] = field(default_factory=dict)

    def days_for(self, departement: str | None) -> int:
        return self.by_departement.get(departement or "", self.default_days)

    def months_for(self, departement: str | None) -> int:
        """The limit in whole months, as labels say it (« À jour (12 derniers mois) »)."""
        return days_to_months(self.days_for(departement))

    def is_uniform(self) -> bool:
        """Every département has the default limit (labels can then name one number of months)."""
        return all(days == self.default_days for days in self.by_departement.values())

    def hidden_condition(self, now: dt.datetime) -> Q | None:
        """Places left out of the public pages (None when no département asks for it)."""
        condition = None
        for departement, days in self.hide_by_departement.items():
            part = Q(commune__departement_id=departement) & _older_than(now, days)
            condition = part if condition is None else condition | part
        return condition

    def stale_condition(self, now: dt.datetime) -> Q:
        """SQL twin of Freshness.stale, for every place at once."""
        condition = Q()
        for departement, days in self.by_departement.items():
            condition |= Q(commune__departement_id=departement) & _older_than(now, days)
        listed = Q(commune__departement_id__in=list(self.by_departement))
        return condition | (~listed & _older_than(now, self.default_days)) if self.by_departement else _older_than(
            now, self.default_days)


def _older_than(now: dt.datetime, days: int) -> Q:
    limit = now - dt.timedelta(days=days)
    return Q(date_maj__lt=timezone.localdate(limit)) & (Q(verified_at__isnull=True) | Q(verified_at__lt=limit))


def months_to_days(months: int) -> int:
    return round(months * 365 / 12)


def days_to_months(days: int) -> int:
    return max(1, round(days * 12 / 365))


def departement_of(commune_code: str | None) -> str | None:
    """The département code of a commune code (97411 → 974, 2A004 → 2A, 86194 → 86), without a query."""
    if not commune_code:
        return None
    return commune_code[:3] if commune_code.startswith("97") else commune_code[:2]


@dataclass(frozen=True)
class Freshness:
    source_date: dt.date | None
    verified_on: dt.date | None
    stale: bool
    verified_by_place: bool = False  # the confirmation came from the place itself (its private update link)

    @property
    def confirmed_last(self) -> bool:
        """The latest word is a confirmation (after the source's own update)."""
        return self.verified_on is not None and (self.source_date is None or self.verified_on >= self.source_date)

    @property
    def date(self) -> dt.date | None:
        return self.verified_on if self.confirmed_last else self.source_date

    @property
    def label(self) -> str:
        """« Vérifié par la coordination le 3 octobre 2026 », « Confirmé par le lieu le 3 octobre 2026 » or
        « Mis à jour par la source le 15 janvier 2026 »."""
        if self.date is None:
            return _("Date de mise à jour inconnue")
        if self.confirmed_last:
            return self.verification_label
        return _("Mis à jour par la source le %(date)s") % {"date": formats.date_format(self.date, "j F Y")}

    @property
    def verification_label(self) -> str:
        """The latest confirmation alone, whoever's it was (the « source des informations » of a place's page)."""
        if self.verified_on is None:
            return _("Jamais vérifié par la coordination ni confirmé par le lieu")
        text = formats.date_format(self.verified_on, "j F Y")
        if self.verified_by_place:
            return _("Confirmé par le lieu le %(date)s") % {"date": text}
        return _("Vérifié par la coordination le %(date)s") % {"date": text}

    @property
    def warning(self) -> str:
        """What a stale record says on its page ("" when fresh)."""
        if not self.stale:
            return ""
        if self.verified_on is None:
            return _("À vérifier : mis à jour par la source le %(date)s et jamais vérifié par la coordination "
                     "depuis. Téléphonez avant de vous déplacer.") % {"date": _date(self.source_date)}
        return _("À vérifier : dernière confirmation le %(date)s. Téléphonez avant de vous déplacer.") % {
            "date": _date(self.date)}


def _date(day: dt.date | None) -> str:
    return formats.date_format(day, "j F Y") if day else _("date inconnue")


def of(*, policy: Policy, source_date: dt.date | None, verified_at: dt.datetime | None,
       departement: str | None = None, now: dt.datetime | None = None, verified_by_place: bool = False) -> Freshness:
    """The freshness of one record under `policy` (`FreshnessPolicy.objects.current()`); `departement` is the
    place's (`departement_of` its commune code)."""
    now = now or timezone.now()
    days = policy.days_for(departement)
    limit = now - dt.timedelta(days=days)
    verified_on = timezone.localdate(verified_at) if verified_at else None
    fresh = (verified_at is not None and verified_at >= limit) or (
        source_date is not None and source_date >= timezone.localdate(limit))
    return Freshness(source_date=source_date, verified_on=verified_on, stale=not fresh,
                     verified_by_place=verified_by_place)
