from django.db import models
from django.utils.translation import gettext_lazy as _


class TermKind(models.TextChoices):
    """The enumerated fields of the national standard, each a vocabulary of `Term` rows."""

    TYPOLOGIE = "typologie", _("Typologie")
    SERVICES = "services", _("Services")
    PUBLICS = "publics_specifiquement_adresses", _("Publics spécifiquement adressés")
    PRISE_EN_CHARGE = "prise_en_charge_specifique", _("Prise en charge spécifique")
    FRAIS = "frais_a_charge", _("Frais à charge")
    ITINERANCE = "itinerance", _("Itinérance")
    DISPOSITIFS = "dispositif_programmes_nationaux", _("Dispositifs et programmes nationaux")
    FORMATIONS = "formations_labels", _("Formations et labels")
    ACCES = "modalites_acces", _("Modalités d'accès")
    ACCOMPAGNEMENT = "modalites_accompagnement", _("Modalités d'accompagnement")


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("Brouillon")
    PUBLISHED = "published", _("Publié")
    ARCHIVED = "archived", _("Archivé")


class Verifier(models.TextChoices):
    """Who last said a place's record is right: a coordinator, or the place itself through its private link."""
    NONE = "", _("jamais vérifié")
    COORDINATION = "coordination", _("la coordination")
    PLACE = "lieu", _("le lieu")


class DuplicateStatus(models.TextChoices):
    PENDING = "pending", _("À examiner")
    MERGED = "merged", _("Fusionnés")
    DISMISSED = "dismissed", _("Pas un doublon")


# How the national map groups the 9 services by need.
SERVICE_GROUPS = {
    "demarches": (
        _("Faire mes démarches"),
        ["aide-aux-demarches-administratives"],
    ),
    "apprendre": (
        _("Apprendre le numérique"),
        [
            "maitrise-des-outils-numeriques-du-quotidien",
            "insertion-professionnelle-via-le-numerique",
            "utilisation-securisee-du-numerique",
            "parentalite-et-education-avec-le-numerique",
            "loisirs-et-creations-numeriques",
            "comprehension-du-monde-numerique",
        ],
    ),
    "materiel": (
        _("Un ordinateur ou internet"),
        ["acces-internet-et-materiel-informatique", "acquisition-de-materiel-informatique-a-prix-solidaire"],
    ),
}


class CorrectionStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    ACCEPTED = "accepted", _("Acceptée")
    REJECTED = "rejected", _("Refusée")


class CorrectionField(models.TextChoices):
    """What a member of the public may propose to change; "other" is a free message only."""

    NOM = "nom", _("Nom du lieu")
    ADRESSE = "adresse", _("Adresse")
    TELEPHONE = "telephone", _("Téléphone")
    COURRIELS = "courriels", _("Courriel")
    SITE_WEB = "site_web", _("Site web")
    HORAIRES = "horaires", _("Horaires")
    # Proposed by the place itself through its update link (actors.moderation.proposals applies them).
    SERVICES = "services", _("Services")
    ACCESSIBILITE = "accessibilite", _("Accessibilité : prises en charge spécifiques")
    FICHE_ACCES_LIBRE = "fiche_acces_libre", _("Fiche Acceslibre")
    FERMETURES = "fermetures", _("Fermetures exceptionnelles")
    CLOSED = "closed", _("Le lieu a fermé définitivement")
    OTHER = "other", _("Autre chose")


# The standard's « unknown » SIRET: a value that says nothing of the place (importers write it for a missing one).
UNKNOWN_PIVOT = "00000000000000"


def is_real_pivot(pivot: str | None) -> bool:
    """A SIRET or RNA that names the place: not empty, not the placeholder (nor any other run of zeros)."""
    return bool(pivot) and set(pivot or "") != {"0"}
