"""Ateliers: dated workshops at a place. A series (what the producer publishes once: title, themes, seats…)
and its sessions (one row per date, recurrences expanded within a horizon by actors/ateliers/recurrence.py).

Sessions are stored rather than computed at each request so that « cette semaine », « places restantes » and the
counts of the diagnostic are plain database filters, on SQLite and PostGIS alike.
"""

import datetime as dt

from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.models.structure import Structure
from actors.models.vocabulary import Term


class AtelierLevel(models.TextChoices):
    ALL = "", _("tous niveaux")
    BEGINNER = "debutant", _("débutant")
    INTERMEDIATE = "intermediaire", _("intermédiaire")
    ADVANCED = "avance", _("confirmé")


class Registration(models.TextChoices):
    NONE = "sans", _("sans inscription")
    PHONE = "telephone", _("par téléphone")
    EMAIL = "courriel", _("par courriel")
    LINK = "lien", _("en ligne")
    UNKNOWN = "", _("non précisée")


class AtelierFeed(models.Model):
    """An agenda a place already publishes (iCalendar or OpenAgenda JSON), refreshed by a periodic task."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="atelier_feeds",
                                  verbose_name=_("lieu"))
    url = models.URLField(_("adresse du flux"), max_length=500)
    active = models.BooleanField(_("actualisé automatiquement"), default=True)
    last_run_at = models.DateTimeField(_("dernière lecture"), null=True, blank=True, editable=False)
    last_ok = models.BooleanField(_("dernière lecture réussie"), null=True, editable=False)
    last_report = models.TextField(_("compte rendu de la dernière lecture"), blank=True, editable=False)

    class Meta:
        verbose_name = _("agenda d'ateliers")
        verbose_name_plural = _("agendas d'ateliers")
        constraints = [models.UniqueConstraint(fields=["structure", "url"], name="atelierfeed_unique")]

    def __str__(self) -> str:
        return self.url


class AtelierSeriesQuerySet(models.QuerySet):
    def editable_by(self, user) -> "AtelierSeriesQuerySet":
        """The scope of places (`StructureQuerySet.editable_by`), applied to their ateliers."""
        return self.filter(structure__in=Structure.objects.editable_by(user).values("pk"))


class AtelierSeries(models.Model):
    """One workshop as its producer publishes it: a one-off or a recurring series (RFC 5545 RRULE/EXDATE)."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="ateliers",
                                  verbose_name=_("lieu"))
    # (source, source_id) keys an import: the iCalendar UID or the OpenAgenda uid, so a second import finds it.
    source = models.CharField(_("source"), max_length=200, blank=True)
    source_id = models.CharField(_("identifiant dans la source"), max_length=255, blank=True)
    title = models.CharField(_("titre"), max_length=250)
    description = models.TextField(_("description"), blank=True)
    themes = models.ManyToManyField(Term, related_name="atelier_themes", blank=True, verbose_name=_("thèmes"),
                                    limit_choices_to={"kind": "services"})
    publics = models.ManyToManyField(Term, related_name="atelier_publics", blank=True, verbose_name=_("publics"),
                                     limit_choices_to={"kind": "publics_specifiquement_adresses"})
    level = models.CharField(_("niveau"), max_length=20, choices=AtelierLevel.choices, blank=True)
    recurrence = models.TextField(_("récurrence (RFC 5545)"), blank=True,
                                  help_text=_("Par exemple FREQ=WEEKLY;BYDAY=TU. Vide pour une séance unique."))
    duration_minutes = models.PositiveIntegerField(_("durée (minutes)"), null=True, blank=True)
    seats = models.PositiveIntegerField(_("nombre de places"), null=True, blank=True)
    free = models.BooleanField(_("gratuit"), null=True, blank=True)
    fees = models.CharField(_("tarif"), max_length=250, blank=True)
    registration = models.CharField(_("inscription"), max_length=20, choices=Registration.choices, blank=True)
    registration_contact = models.CharField(
        _("contact pour s'inscrire"), max_length=500, blank=True,
        help_text=_("Le numéro d'accueil, l'adresse de courriel ou le lien d'inscription du lieu."))
    language = models.CharField(_("langue"), max_length=40, blank=True, default="français")
    accessibility = models.CharField(_("accessibilité"), max_length=500, blank=True)
    feed = models.ForeignKey(AtelierFeed, on_delete=models.SET_NULL, null=True, blank=True, editable=False,
                             related_name="series")
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True, db_index=True)

    objects = AtelierSeriesQuerySet.as_manager()

    class Meta:
        verbose_name = _("atelier")
        verbose_name_plural = _("ateliers")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(fields=["source", "source_id"], condition=~models.Q(source_id=""),
                                    name="atelierseries_source_unique"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def registration_url(self) -> str:
        """The registration link, only when it is a web address (an agenda could hold « javascript: … »)."""
        contact = self.registration_contact.strip()
        return contact if contact.lower().startswith(("https://", "http://")) else ""


def end_of_week(now: dt.datetime) -> dt.datetime:
    """« Cette semaine »: until Sunday night, in the site's time zone (the one rule of /ateliers/, its feed, the
    API and the map's « ateliers cette semaine »)."""
    local = timezone.localtime(now)
    sunday = local.date() + dt.timedelta(days=6 - local.weekday())
    return timezone.make_aware(dt.datetime.combine(sunday + dt.timedelta(days=1), dt.time()))


class AtelierSessionQuerySet(models.QuerySet):
    def shown(self) -> "AtelierSessionQuerySet":
        """The ONE rule of what the public lists see: not cancelled, at a public place."""
        return self.not_cancelled().filter(series__structure__in=Structure.objects.public().values("pk"))

    def not_cancelled(self) -> "AtelierSessionQuerySet":
        """A cancelled session (STATUS:CANCELLED, an EXDATE, gone from its agenda) is shown nowhere."""
        return self.filter(cancelled=False)

    def at(self, structure_id: int) -> "AtelierSessionQuerySet":
        """The sessions of one place, for its own page (which a coordinator may preview before it is public)."""
        return self.not_cancelled().filter(series__structure_id=structure_id)

    def upcoming(self, now: dt.datetime | None = None) -> "AtelierSessionQuerySet":
        return self.filter(ends_at__gte=now or timezone.now())

    def between(self, start: dt.datetime, end: dt.datetime) -> "AtelierSessionQuerySet":
        return self.filter(starts_at__lt=end, ends_at__gte=start)

    def this_week(self, now: dt.datetime) -> "AtelierSessionQuerySet":
        """Sessions not over yet and starting before Sunday night."""
        return self.between(now, end_of_week(now))

    def with_seats_left(self) -> "AtelierSessionQuerySet":
        """Seats known to remain, or a walk-in session without a seat limit."""
        return self.filter(
            models.Q(seats_left__gt=0)
            | models.Q(seats_left__isnull=True, series__seats__isnull=True, series__registration=Registration.NONE)
        )


class AtelierSession(models.Model):
    series = models.ForeignKey(AtelierSeries, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField(_("début"))
    ends_at = models.DateTimeField(_("fin"))
    seats_left = models.PositiveIntegerField(_("places restantes"), null=True, blank=True)
    cancelled = models.BooleanField(_("annulée"), default=False)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True, db_index=True)

    objects = AtelierSessionQuerySet.as_manager()

    class Meta:
        verbose_name = _("séance")
        verbose_name_plural = _("séances")
        ordering = ["starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["series", "starts_at"], name="ateliersession_unique"),
            models.CheckConstraint(condition=models.Q(ends_at__gte=models.F("starts_at")),
                                   name="ateliersession_ends_after_start"),
        ]
        indexes = [models.Index(fields=["starts_at", "cancelled"], name="ateliersession_when")]

    def __str__(self) -> str:
        return f"{self.series} — {self.starts_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("actors:detail", args=[self.series.structure.slug]) + "#ateliers"

    @property
    def full(self) -> bool:
        return self.seats_left == 0


@receiver(post_delete, sender=AtelierSeries)
def _series_deleted(sender, instance: AtelierSeries, **kwargs) -> None:
    """A deleted series (and its sessions) leaves no row whose date could move the data version: its place's
    updated_at moves instead, so the place's cached page and the lists stop showing its sessions at once."""
    Structure.objects.filter(pk=instance.structure_id).update(updated_at=timezone.now())
