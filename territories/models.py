from django.contrib.gis.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Region(models.Model):
    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    zone = models.CharField(_("zone"), max_length=5)

    class Meta:
        verbose_name = _("région")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Departement(models.Model):
    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    name_folded = models.CharField(max_length=100, db_index=True, editable=False)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departements",
                               verbose_name=_("région"))
    zone = models.CharField(_("zone"), max_length=5)

    class Meta:
        verbose_name = _("département")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("territories:departement", args=[self.code])


EPCI_KINDS = {
    "CC": _("Communauté de communes"),
    "CA": _("Communauté d'agglomération"),
    "CU": _("Communauté urbaine"),
    "METRO": _("Métropole"),
    "MET69": _("Métropole de Lyon"),
}


class EPCI(models.Model):
    siren = models.CharField(_("SIREN"), max_length=9, primary_key=True)
    name = models.CharField(_("nom"), max_length=200)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    kind = models.CharField(_("type"), max_length=10)
    population = models.PositiveIntegerField(_("population"), default=0)
    centre = models.PointField(_("centre"), srid=4326, null=True, blank=True)

    class Meta:
        verbose_name = _("EPCI")
        verbose_name_plural = _("EPCI")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("territories:epci", args=[self.siren])

    @property
    def kind_label(self) -> str:
        return EPCI_KINDS.get(self.kind, self.kind)


class Commune(models.Model):
    class Kind(models.TextChoices):
        COMMUNE = "COM", _("commune")
        ARRONDISSEMENT = "ARM", _("arrondissement municipal")

    code = models.CharField(_("code INSEE"), max_length=5, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    name_folded = models.CharField(max_length=100, db_index=True, editable=False)
    kind = models.CharField(_("type"), max_length=3, choices=Kind.choices, default=Kind.COMMUNE)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="arrondissements",
        verbose_name=_("commune parente"),
    )
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes",
                                    verbose_name=_("département"))
    epci = models.ForeignKey(EPCI, on_delete=models.SET_NULL, null=True, blank=True, related_name="communes",
                             verbose_name=_("EPCI"))
    # "|"-joined, as in the official file; searched with LIKE.
    postal_codes = models.CharField(_("codes postaux"), max_length=200, blank=True, db_index=True)
    # Unknown for a few overseas communes (None, not 0).
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    centre = models.PointField(_("centre"), srid=4326, null=True, blank=True)
    # How far the commune reaches from its centre, at least: the distance to its town hall. A large commune's
    # area-weighted centre may lie 60 km from the town where its places are (Saint-Laurent-du-Maroni).
    reach_m = models.PositiveIntegerField(_("portée (m)"), default=0)

    class Meta:
        verbose_name = _("commune")
        ordering = ["name", "code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("territories:commune", args=[self.code])

    @property
    def postal_code_list(self) -> list[str]:
        return [code for code in self.postal_codes.split("|") if code]


class FormerCommune(models.Model):
    """A former commune that lives on as a commune déléguée or associée of today's commune (the COG's
    history of communes nouvelles): « Culoz » is now part of Culoz-Béon."""

    code = models.CharField(_("code INSEE"), max_length=5)
    name = models.CharField(_("nom"), max_length=100)
    name_folded = models.CharField(max_length=100, db_index=True, editable=False)
    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="former_names",
                                verbose_name=_("commune actuelle"))

    class Meta:
        verbose_name = _("ancienne commune")
        verbose_name_plural = _("anciennes communes")
        ordering = ["name", "code"]
        constraints = [models.UniqueConstraint(fields=["code", "name"], name="former_commune_code_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.code}), {self.commune.name}"


class QPV(models.Model):
    code = models.CharField(_("code"), max_length=10, primary_key=True)
    name = models.CharField(_("nom"), max_length=200)
    name_folded = models.CharField(max_length=200, db_index=True, editable=False)
    communes = models.ManyToManyField(Commune, related_name="qpvs", blank=True, verbose_name=_("communes"))
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="qpvs",
                                    verbose_name=_("département"))
    # 91 QPV have no published population (None, not 0).
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    perimeter = models.MultiPolygonField(_("périmètre"), srid=4326)

    class Meta:
        verbose_name = _("quartier prioritaire (QPV)")
        verbose_name_plural = _("quartiers prioritaires (QPV)")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("territories:qpv", args=[self.code])


class TerritoryLoad(models.Model):
    """Which files were last loaded, so that re-running the loader on unchanged files is a no-op."""

    # "" for all of France, else the comma-joined département codes given to --departements.
    scope = models.CharField(_("périmètre"), max_length=200, primary_key=True, blank=True)
    checksum = models.CharField(_("empreinte des fichiers"), max_length=64)
    loaded_at = models.DateTimeField(_("chargé le"))

    class Meta:
        verbose_name = _("chargement des territoires")
        verbose_name_plural = _("chargements des territoires")

    def __str__(self) -> str:
        return f"{self.scope or 'France'} ({self.loaded_at:%Y-%m-%d %H:%M})"
