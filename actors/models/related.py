from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actors.models.structure import Structure
from actors.vocabulary.enums import DuplicateStatus


class WeeklySlot(models.Model):
    """One opening interval of a typical week, derived from `Structure.horaires` on every write.

    Minutes since midnight (0..1440) so that "open after 18:00" is `closes > 1080` in SQL.
    """

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="slots")
    weekday = models.PositiveSmallIntegerField(_("jour"))  # 0 = Monday, as datetime.weekday()
    opens = models.PositiveSmallIntegerField(_("ouvre (minutes)"))
    closes = models.PositiveSmallIntegerField(_("ferme (minutes)"))

    class Meta:
        verbose_name = _("créneau hebdomadaire")
        ordering = ["weekday", "opens"]
        # Led by the structure: "open on Saturday" is an EXISTS per candidate place, never a scan of all slots.
        indexes = [models.Index(fields=["structure", "weekday", "opens", "closes"], name="weeklyslot_lookup")]


class StructureQPV(models.Model):
    """A structure inside a QPV (distance 0) or within the configured distance of one."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="qpv_links")
    qpv = models.ForeignKey("territories.QPV", on_delete=models.CASCADE, related_name="structure_links")
    distance_m = models.PositiveIntegerField(_("distance (m)"), default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["structure", "qpv"], name="structureqpv_unique")]

    @property
    def inside(self) -> bool:
        return self.distance_m == 0


class TemporaryClosure(models.Model):
    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="closures")
    starts_on = models.DateField(_("du"))
    ends_on = models.DateField(_("au"))
    reason = models.CharField(_("motif"), max_length=250, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fermeture temporaire")
        verbose_name_plural = _("fermetures temporaires")
        ordering = ["starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="closure_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.starts_on} → {self.ends_on}"


class ContactPersonQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ContactPersonQuerySet":
        """Contacts marked public, plus the others only for users who may edit their place (`editable_by`)."""
        if not (user.is_authenticated and user.is_staff):
            return self.filter(is_public=True)
        editable = Structure.objects.editable_by(user).values("pk")
        return self.filter(models.Q(is_public=True) | models.Q(structure__in=editable))


class ContactPerson(models.Model):
    """Personal data (RGPD): shown to the coordinators of its place only, never exported, unless public."""

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("nom"), max_length=150)
    role = models.CharField(_("fonction"), max_length=150, blank=True)
    phone = models.CharField(_("téléphone direct"), max_length=20, blank=True)
    email = models.EmailField(_("courriel direct"), blank=True)
    is_public = models.BooleanField(_("visible du public"), default=False)
    history = HistoricalRecords()
    objects = ContactPersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("personne à contacter")
        verbose_name_plural = _("personnes à contacter")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class DuplicateCandidate(models.Model):
    """Two structures that may be the same place, found by the importer; never merged silently."""

    first = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"))
    reasons = models.CharField(_("raisons"), max_length=250)
    status = models.CharField(
        _("statut"), max_length=10, choices=DuplicateStatus.choices, default=DuplicateStatus.PENDING
    )
    found_at = models.DateTimeField(_("trouvé le"), auto_now_add=True)
    # Set by actors.duplicates.folding: the high-confidence rule holds, so the public site shows one place for both.
    folds = models.BooleanField(_("regroupés sur le site public"), default=False)

    class Meta:
        verbose_name = _("doublon probable")
        verbose_name_plural = _("doublons probables")
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="duplicate_unique_pair"),
            models.CheckConstraint(condition=models.Q(first__lt=models.F("second")), name="duplicate_ordered"),
        ]
