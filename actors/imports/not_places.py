"""Files that are not lists of places, recognised by their columns and refused with one French sentence
saying what they are (rather than hundreds of « colonne absente » or vocabulary errors)."""

from django.utils.translation import gettext as _

# (columns that must all be present, at least one of these, what the file is)
KINDS = [
    ({"structure_id"}, {"thematiques", "types", "profils", "zone_diffusion_type", "modes_orientation_beneficiaire"},
     _("Ce fichier est une liste de services au schéma data·inclusion v0 (colonnes structure_id, thematiques, "
       "types, profils…), pas une liste de lieux : importez le fichier des lieux au standard « Lieux de "
       "médiation numérique », ou celui des structures qui portent ces services.")),
    ({"structure_id"}, {"thematiques", "type", "publics", "modes_accueil", "zone_eligibilite", "modes_mobilisation"},
     _("Ce fichier est une liste de services au schéma data·inclusion v1 (colonnes structure_id, thematiques, "
       "type, publics…), pas une liste de lieux : importez le fichier des lieux au standard « Lieux de "
       "médiation numérique », ou celui des structures qui portent ces services.")),
    ({"siret", "nom"}, {"reseaux_porteurs", "accessibilite_lieu", "horaires_accueil", "antenne",
                        "horaires_ouverture", "lien_source"},
     _("Ce fichier est une liste de structures au schéma data·inclusion (colonnes siret, lien_source, "
       "horaires…), un format que l'annuaire ne lit pas encore : demandez au producteur l'export au standard "
       "« Lieux de médiation numérique ».")),
]


def describe(columns: set[str]) -> str:
    """The sentence saying what the file is, or "" when it may be a list of places."""
    for required, hints, sentence in KINDS:
        if required <= columns and columns & hints:
            return str(sentence)
    return ""
