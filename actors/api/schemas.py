"""What the OpenAPI document says of each answer; the views build the JSON themselves (one serialiser:
actors.api.places), these models describe it field by field."""

from typing import Literal

from ninja import Schema
from pydantic import Field, create_model

from actors.ateliers.filters import AtelierFilter
from actors.directory.filters import StructureFilter
from actors.standard import columns


class Error(Schema):
    detail: str = Field(description="Ce qui ne va pas, en français.")


class Freshness(Schema):
    a_verifier: bool
    date: str | None
    libelle: str


class Opening(Schema):
    ouvert: bool | None = Field(description="null quand les horaires sont inconnus")
    libelle: str


def _place_schema():
    fields = {name: (str, Field(description=f"Colonne « {name} » du standard."))
              for name in columns()}
    fields.update(
        slug=(str, Field(description="Identifiant d'URL de ce site (/lieux/<slug>/).")),
        communes_desservies=(str, Field(description="Codes INSEE desservis par un lieu itinérant, séparés par |.")),
        nom_affiche=(str, Field(description="Le nom que montrent les pages de ce site : « <typologie> — <commune> » "
                                            "quand le nom publié n'est fait que de chiffres (un SIRET).")),
        url=(str, ...), fraicheur=(Freshness, ...), ouverture=(Opening, ...),
        modifie_le=(str, Field(description="Dernière modification (ISO 8601).")),
        version=(str, Field(description="À renvoyer avec une correction : refusée si le lieu a changé depuis.")),
    )
    return create_model("Lieu", __base__=Schema, **fields)


Place = _place_schema()


class Page(Schema):
    count: int = Field(description="Nombre de lieux de la recherche (le même que la page « Lieux »).")
    next: str | None = Field(description="Lien de la page suivante, ou null à la dernière.")
    items: list[Place]  # type: ignore[valid-type]


class Change(Schema):
    action: Literal["modifie", "retire"]
    raison: Literal["archive", "brouillon", "regroupe", "masque", "supprime"] | None = None
    slug: str
    id: str
    modifie_le: str
    regroupe_dans: str | None = None
    lieu: Place | None = None  # type: ignore[valid-type]


class Feed(Schema):
    next: str | None
    items: list[Change]


class Term(Schema):
    code: str
    libelle: str
    valeur_standard: str


class Vocabulary(Schema):
    champ: str
    valeurs: list[Term]


class Territory(Schema):
    code: str
    nom: str
    type: Literal["departement", "epci", "commune"]


class CorrectionIn(Schema):
    version: str = Field(description="La `version` du lieu lue avant de corriger.")
    champs: dict[str, str] = Field(description="Champ → valeur proposée (nom, adresse, telephone, courriels, "
                                                "site_web, horaires, services, accessibilite, fiche_acces_libre, "
                                                "fermetures, closed).")
    message: str = ""


class CorrectionOut(Schema):
    statut: Literal["en_attente"]
    signalements: list[int]
    detail: str


def _filters_schema(filterset_class, model_name):
    """A filter set's filters, documented from the filter set itself (their labels and help texts)."""
    fields = {}
    for name, filter_ in filterset_class.base_filters.items():
        many = filter_.field_class.__name__.startswith("Multiple")
        description = str(filter_.label) + (f" — {filter_.extra['help_text']}" if "help_text" in filter_.extra
                                             else "")
        fields[name] = (list[str] | None if many else str | None, Field(None, description=description))
    return create_model(model_name, __base__=Schema, **fields)


Filters = _filters_schema(StructureFilter, "Filtres")
AtelierFilters = _filters_schema(AtelierFilter, "FiltresAteliers")


class AtelierPlace(Schema):
    slug: str
    nom: str
    url: str = Field(description="La page du lieu sur ce site.")
    adresse: str
    code_postal: str
    commune: str
    code_insee: str


class Registration(Schema):
    mode: Literal["sans", "telephone", "courriel", "lien", ""] = Field(
        description="sans (sans inscription), telephone, courriel, lien (en ligne), vide quand non précisée.")
    libelle: str
    contact: str = Field(description="Le numéro d'accueil, le courriel ou le lien du lieu (jamais une personne).")
    lien: str = Field(description="Le lien d'inscription quand c'est une adresse web, sinon vide.")


class AtelierSession(Schema):
    id: int
    titre: str
    description: str
    debut: str = Field(description="Début (ISO 8601, avec le décalage horaire).")
    fin: str = Field(description="Fin (ISO 8601).")
    lieu: AtelierPlace
    themes: list[str] = Field(description="Codes des services du standard (voir /services).")
    publics: list[str] = Field(description="Codes des publics du standard (voir /vocabulaires).")
    niveau: Literal["", "debutant", "intermediaire", "avance"]
    places: int | None = Field(description="Nombre de places, null quand il n'est pas publié.")
    places_restantes: int | None = Field(description="Places restantes, null quand elles ne sont pas connues.")
    complet: bool
    gratuit: bool | None
    tarif: str
    inscription: Registration
    langue: str
    accessibilite: str


class AtelierPage(Schema):
    count: int = Field(description="Nombre de séances de la recherche (le même que la page « Ateliers »).")
    next: str | None = Field(description="Lien de la page suivante, ou null à la dernière.")
    items: list[AtelierSession]
