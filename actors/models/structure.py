import datetime as dt

from django.contrib.gis.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actors.freshness import rule as freshness_rule
from actors.models.policy import FreshnessPolicy
from actors.models.scope import CoordinatorScope
from actors.models.vocabulary import Term
from actors.vocabulary.enums import PublicationState, TermKind, Verifier, is_real_pivot


class StructureQuerySet(models.QuerySet):
    def published(self) -> "StructureQuerySet":
        return self.filter(state=PublicationState.PUBLISHED)

    def public(self) -> "StructureQuerySet":
        """What the public sees and counts: every list, map, facet, territory page and public export reads
        places through this verb (published, one per folded group of duplicates, fresh enough to show).
        Folding is a stored fact (`folded_into`, kept by actors.duplicates.folding.refold), so this stays one
        indexed test;
        a département whose coordinators take places offline after M months adds that test (freshness policy)."""
        listed = self.listed()
        hidden = FreshnessPolicy.objects.current().hidden_condition(timezone.now())
        public = listed if hidden is None else listed.exclude(hidden)
        # Marks this exact selection (lost by any further filter, which clones): the place index
        # (actors/index/) answers for the public places only.
        public.is_exactly_public = True
        return public

    def listed(self) -> "StructureQuerySet":
        """`public()` before the freshness policy takes some places offline: published, one per folded group.
        Update campaigns ask these places, so that a place taken offline for want of news can come back."""
        return self.published().filter(folded_into__isnull=True)

    def with_term(self, kind: str, codes: list[str]) -> "StructureQuerySet":
        return self.filter(with_any_term(kind, codes))

    def in_departement(self, code: str) -> "StructureQuerySet":
        return self.filter(in_departement(code))

    def in_epci(self, siren: str) -> "StructureQuerySet":
        return self.filter(in_epci(siren))

    def in_commune(self, code: str) -> "StructureQuerySet":
        return self.filter(in_commune(code))

    # --- Coordination: the ONE scope check used by the admin, imports and exports. ---
    def editable_by(self, user) -> "StructureQuerySet":
        """Structures `user` may edit: all for a superuser, those of their territories for a coordinator."""
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(CoordinatorScope.objects.condition(user, "commune__"))

    def visible_to(self, user) -> "StructureQuerySet":
        """What `user` may open on the site's own pages: published places, plus drafts and archives of the
        places they may edit (`editable_by`), never those of another territory."""
        if not (user.is_authenticated and user.is_staff):
            return self.published()
        if user.is_superuser and user.is_active:
            return self
        editable = Structure.objects.editable_by(user).values("pk")
        return self.filter(models.Q(state=PublicationState.PUBLISHED) | models.Q(pk__in=editable))

    # --- Freshness: the ONE rule of « à vérifier » (actors/freshness/rule.py), for every page and export. ---
    def stale(self, now: dt.datetime | None = None) -> "StructureQuerySet":
        return self.filter(FreshnessPolicy.objects.current().stale_condition(now or timezone.now()))

    def fresh(self, now: dt.datetime | None = None) -> "StructureQuerySet":
        return self.exclude(FreshnessPolicy.objects.current().stale_condition(now or timezone.now()))

    def unconfirmed_for(self, months: int, now: dt.datetime | None = None) -> "StructureQuerySet":
        """Neither the coordination nor the place itself confirmed the record in the last `months` months (or
        ever), whatever the source's date: the places an update campaign asks first."""
        limit = (now or timezone.now()) - dt.timedelta(days=freshness_rule.months_to_days(months))
        return self.filter(models.Q(verified_at__isnull=True) | models.Q(verified_at__lt=limit))


# Conditions that read only the structure, its terms and its commune; actors.directory.conditions re-exports them.
def with_any_term(kind: str, codes: list[str]) -> models.Exists:
    return models.Exists(
        Structure.terms.through.objects.filter(
            structure_id=models.OuterRef("pk"), term__kind=kind, term__code__in=codes
        )
    )


def in_departement(code: str) -> models.Q:
    return models.Q(commune__departement_id=code)


def in_epci(siren: str) -> models.Q:
    return models.Q(commune__epci_id=siren)


def in_commune(code: str) -> models.Q:
    # An arrondissement belongs to its city: "Paris" includes its 20 arrondissements.
    return models.Q(commune_id=code) | models.Q(commune__parent_id=code)


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
    commune_is_approximate = models.BooleanField(
        _("commune approximative"), default=False,
        help_text=_("Le nom, le code postal, le code INSEE ou la position publiés ne concordent pas avec la "
                    "commune retenue : à vérifier."),
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
    # Derived on write with the slots: the typical week does not tell every date (hours.varies).
    hours_vary = models.BooleanField(_("horaires variables selon les dates"), default=False, editable=False)

    presentation_resume = models.CharField(_("présentation résumée"), max_length=280, blank=True)
    presentation_detail = models.TextField(_("présentation détaillée"), blank=True)

    terms = models.ManyToManyField(Term, related_name="structures", blank=True)
    autres_formations_labels = models.TextField(_("autres formations et labels"), blank=True)
    fiche_acces_libre = models.URLField(_("fiche Acceslibre"), max_length=500, blank=True)
    prise_rdv = models.URLField(_("prise de rendez-vous en ligne"), max_length=500, blank=True)

    # Facts derived by explicit write functions (actors.duplicates.folding, actors.core.honest_facts), never by save().
    folded_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="copies",
        verbose_name=_("regroupé dans"),
        help_text=_("Autre fiche du même lieu qui le représente sur le site public (doublon sûr)."),
    )
    source_location = models.PointField(
        _("position publiée par la source (écartée)"), srid=4326, null=True, blank=True,
        help_text=_("Point de la source à plus de 20 km de sa commune (au-delà de sa mairie dans une grande commune) : "
                    "le centre de la commune le remplace."),
    )
    blanket_claims = models.BooleanField(
        _("la source coche presque tout"), default=False,
        help_text=_("Publics et prises en charge déclarés en bloc : ni affichés comme précis, ni utilisés par "
                    "les filtres."),
    )

    # Completeness and freshness out of 100 (actors/core/quality.py), stored by its write paths: filters and ranks.
    quality = models.PositiveSmallIntegerField(_("qualité"), default=0, editable=False)

    # Workflow.
    state = models.CharField(
        _("état"), max_length=10, choices=PublicationState.choices, default=PublicationState.PUBLISHED,
        db_index=True,
    )
    verified_at = models.DateTimeField(_("vérifié le"), null=True, blank=True)
    # « Vérifié par la coordination » and « confirmé par le lieu » are both confirmations for freshness, but
    # not the same word to a social worker: set with verified_at, by mark_verified().
    verified_by = models.CharField(_("vérifié par"), max_length=12, choices=Verifier.choices, blank=True,
                                   default=Verifier.NONE, editable=False)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at", "quality"])
    objects = StructureQuerySet.as_manager()

    class Meta:
        verbose_name = _("lieu")
        verbose_name_plural = _("lieux")
        ordering = ["nom", "pk"]
        # The map's data version reads max(updated_at) on every request: an index makes it a lookup.
        indexes = [
            models.Index(fields=["updated_at"], name="structure_updated_at_idx"),
            # National scale (docs/scale.md): the list's default order (public rows by name) and a page deep in it
            # are read from an index alone, so are a territory's public places; the detail page's "has folded
            # copies" is a lookup (SQLite's statistics count the NULLs of a plain index as one value and scan).
            models.Index(fields=["nom", "id"], name="structure_public_nom_idx",
                         condition=models.Q(state="published", folded_into__isnull=True)),
            models.Index(fields=["commune", "state", "folded_into"], name="structure_commune_state_idx"),
            models.Index(fields=["folded_into"], name="structure_folded_copies_idx",
                         condition=models.Q(folded_into__isnull=False)),
            # Every opening filter reads the few places whose hours vary (actors.directory.conditions.uncertain):
            # from this index, instead of testing every public place.
            models.Index(fields=["id"], name="structure_hours_vary_idx", condition=models.Q(hours_vary=True)),
        ]
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

    # Honest facts (see actors/core/honest_facts.py): what the public sees of the identity fields.
    @property
    def shown_pivot(self) -> str:
        """The SIRET or RNA for the public: never the standard's placeholder 00000000000000 ("unknown")."""
        return self.pivot if is_real_pivot(self.pivot) else ""

    @property
    def has_number_name(self) -> bool:
        """The name is only digits (a SIRET typed in the name column): no name a visitor can read."""
        return "".join(self.nom.split()).isdigit()

    @property
    def display_name(self) -> str:
        """The name for the public: "<typologie> — <commune>" when the published name is only digits."""
        if not self.has_number_name:
            return self.nom
        kinds = self.term_labels(TermKind.TYPOLOGIE)
        commune = self.commune.name if self.commune_id else self.commune_nom  # "Mimizan" rather than "MIMIZAN"
        return f"{kinds[0] if kinds else _('Lieu')} — {commune}"

    @property
    def courriel_list(self) -> list[str]:
        return [value for value in self.courriels.split("|") if value]

    @property
    def site_web_list(self) -> list[str]:
        return [value for value in self.site_web.split("|") if value]

    def mark_verified(self, *, by: Verifier, at: dt.datetime) -> list[str]:
        """Record a confirmation (not saved): by a coordinator, or by the place itself. Returns the fields set."""
        self.verified_at, self.verified_by = at, by
        return ["verified_at", "verified_by"]

    def freshness(self, now: dt.datetime | None = None) -> freshness_rule.Freshness:
        """« Mis à jour par la source le … » / « vérifié par la coordination le … », and whether to check it."""
        policy = FreshnessPolicy.objects.current()
        departement = freshness_rule.departement_of(self.commune_id) if policy.by_departement else None
        return freshness_rule.of(policy=policy, source_date=self.date_maj, verified_at=self.verified_at,
                                 verified_by_place=self.verified_by == Verifier.PLACE,
                                 departement=departement, now=now)
