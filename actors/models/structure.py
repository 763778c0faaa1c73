from django.conf import settings
from django.contrib.gis.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actors.enums import PublicationState
from actors.models.vocabulary import Term


class StructureQuerySet(models.QuerySet):
    def published(self) -> "StructureQuerySet":
        return self.filter(state=PublicationState.PUBLISHED)

    def public(self) -> "StructureQuerySet":
        """What the public sees and counts: every list, map, facet, territory page and public export reads
        places through this verb (published, one per folded group of duplicates, fresh enough to show)."""
        return self.published()

    def with_term(self, kind: str, codes: list[str]) -> "StructureQuerySet":
        return self.filter(
            models.Exists(
                Structure.terms.through.objects.filter(
                    structure_id=models.OuterRef("pk"), term__kind=kind, term__code__in=codes
                )
            )
        )

    def in_departement(self, code: str) -> "StructureQuerySet":
        return self.filter(commune__departement_id=code)

    def in_epci(self, siren: str) -> "StructureQuerySet":
        return self.filter(commune__epci_id=siren)

    def in_commune(self, code: str) -> "StructureQuerySet":
        # An arrondissement belongs to its city: "Paris" includes its 20 arrondissements.
        return self.filter(models.Q(commune_id=code) | models.Q(commune__parent_id=code))

    # Directory verbs; their conditions live in actors/queries.py (imported late: it imports the models).
    def open_on(self, weekday: int) -> "StructureQuerySet":
        from actors import queries

        return self.filter(queries.open_on(weekday))

    def open_now(self, now=None) -> "StructureQuerySet":
        from actors import queries

        return self.filter(queries.open_now(now))

    def open_evening(self) -> "StructureQuerySet":
        from actors import queries

        return self.filter(queries.open_evening())

    def open_weekend(self) -> "StructureQuerySet":
        from actors import queries

        return self.filter(queries.open_weekend())

    def near(self, point, km: float) -> "StructureQuerySet":
        """Within `km` of `point`, with a `distance` annotation, nearest first."""
        from django.contrib.gis.db.models.functions import Distance

        from actors import queries

        return self.filter(queries.near(point, km)).annotate(distance=Distance("location", point)).order_by(
            "distance", "nom"
        )

    def search(self, text: str) -> "StructureQuerySet":
        """Accent- and case-insensitive text search, best match first (`rank` annotation)."""
        from actors import search

        condition = search.matches(text)
        if condition is None:
            return self
        return self.filter(condition).annotate(rank=search.rank(text)).order_by("-rank", "nom")

    # --- Coordination: the ONE scope check used by the admin, imports and exports. ---
    def editable_by(self, user) -> "StructureQuerySet":
        """Structures `user` may edit: all for a superuser, those of their territories for a coordinator."""
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return self.none()
        if user.is_superuser:
            return self
        from actors.models.coordination import CoordinatorScope  # the scope model lives beside, not above

        scopes = CoordinatorScope.objects.for_user(user)
        communes = scopes.exclude(commune=None).values("commune_id")
        return self.filter(
            models.Q(commune__departement_id__in=scopes.exclude(departement=None).values("departement_id"))
            | models.Q(commune__epci_id__in=scopes.exclude(epci=None).values("epci_id"))
            | models.Q(commune_id__in=communes)
            | models.Q(commune__parent_id__in=communes)
        )

    def visible_to(self, user) -> "StructureQuerySet":
        """What `user` may open on the site's own pages: published places, plus drafts and archives of the
        places they may edit (`editable_by`), never those of another territory."""
        if not (user.is_authenticated and user.is_staff):
            return self.published()
        if user.is_superuser and user.is_active:
            return self
        editable = Structure.objects.editable_by(user).values("pk")
        return self.filter(models.Q(state=PublicationState.PUBLISHED) | models.Q(pk__in=editable))

    def stale(self) -> "StructureQuerySet":
        limit = timezone.now() - timezone.timedelta(days=settings.STALE_AFTER_DAYS)
        return self.filter(models.Q(verified_at__isnull=True) | models.Q(verified_at__lt=limit))


class Structure(models.Model):
    """A "lieu de médiation numérique", field by field as in the national standard."""

    slug = models.SlugField(_("identifiant d'URL"), max_length=120, unique=True)

    # Identification (standard: id, pivot, nom, source, structure_parente, date_maj).
    source = models.CharField(_("source"), max_length=200, blank=True, db_index=True)
    source_id = models.CharField(_("identifiant dans la source"), max_length=200, blank=True)
    pivot = models.CharField(_("SIRET ou RNA"), max_length=14, blank=True, db_index=True)
    nom = models.CharField(_("nom"), max_length=250)
    structure_parente = models.CharField(_("structure parente"), max_length=250, blank=True)
    date_maj = models.DateField(_("date de mise à jour"))

    # Address and location.
    adresse = models.CharField(_("adresse"), max_length=250)
    complement_adresse = models.CharField(_("complément d'adresse"), max_length=250, blank=True)
    code_postal = models.CharField(_("code postal"), max_length=5)
    commune_nom = models.CharField(_("commune (telle que publiée)"), max_length=100)
    code_insee = models.CharField(_("code INSEE (tel que publié)"), max_length=5, blank=True)
    location = models.PointField(_("position"), srid=4326, null=True, blank=True)
    location_is_approximate = models.BooleanField(
        _("position approximative"), default=False,
        help_text=_("La position est le centre de la commune, faute de coordonnées."),
    )
    commune = models.ForeignKey(
        "territories.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="structures"
    )
    qpvs = models.ManyToManyField(
        "territories.QPV", through="actors.StructureQPV", related_name="structures", blank=True
    )
    service_area = models.ManyToManyField(
        "territories.Commune", related_name="served_by", blank=True, verbose_name=_("communes desservies")
    )

    # Contact (generic, public).
    telephone = models.CharField(_("téléphone"), max_length=20, blank=True)
    courriels = models.TextField(_("courriels"), blank=True, help_text=_("Séparés par « | »."))
    site_web = models.TextField(_("sites web"), blank=True, help_text=_("Séparés par « | »."))

    # Hours: the OSM string is the source of truth; WeeklySlot rows are derived from it on write.
    horaires = models.CharField(_("horaires (format OpenStreetMap)"), max_length=500, blank=True)

    presentation_resume = models.CharField(_("présentation résumée"), max_length=280, blank=True)
    presentation_detail = models.TextField(_("présentation détaillée"), blank=True)

    terms = models.ManyToManyField(Term, related_name="structures", blank=True)
    autres_formations_labels = models.TextField(_("autres formations et labels"), blank=True)
    fiche_acces_libre = models.URLField(_("fiche Acceslibre"), max_length=500, blank=True)
    prise_rdv = models.URLField(_("prise de rendez-vous en ligne"), max_length=500, blank=True)

    # Workflow.
    state = models.CharField(
        _("état"), max_length=10, choices=PublicationState.choices, default=PublicationState.PUBLISHED,
        db_index=True,
    )
    verified_at = models.DateTimeField(_("vérifié le"), null=True, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    objects = StructureQuerySet.as_manager()

    class Meta:
        verbose_name = _("lieu")
        verbose_name_plural = _("lieux")
        ordering = ["nom", "pk"]
        # The map's data version reads max(updated_at) on every request: an index makes it a lookup.
        indexes = [models.Index(fields=["updated_at"], name="structure_updated_at_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"], condition=~models.Q(source_id=""),
                name="structure_unique_source_id",
            )
        ]

    def __str__(self) -> str:
        return self.nom

    def get_absolute_url(self) -> str:
        return reverse("actors:detail", args=[self.slug])

    def term_codes(self, kind: str) -> list[str]:
        """Codes of one vocabulary; uses prefetched terms when present."""
        return [term.code for term in self.terms.all() if term.kind == kind]

    def term_labels(self, kind: str) -> list[str]:
        """Labels of one vocabulary, in the visitor's language."""
        return [term.display_label for term in self.terms.all() if term.kind == kind]

    @property
    def courriel_list(self) -> list[str]:
        return [value for value in self.courriels.split("|") if value]

    @property
    def site_web_list(self) -> list[str]:
        return [value for value in self.site_web.split("|") if value]
