"""Legacy vocabularies mapped to the national standard (v1.0), as exported values (French labels / codes).

Every table maps a *folded* legacy value (see `territories.text.fold`) to the standard's exported values
for one column; a legacy value absent from its table is reported as unmapped, with its count. A value
mapped to an empty tuple is understood and deliberately carries nothing (e.g. "Adultes": no specific public).
"""

import json
import re

from actors.vocabulary.terms import ENUMS
from territories.text import fold

# v0 services of the Cartographie nationale (2021-2023) -> v1 services (standard 1.0).
SERVICES_V0 = {
    "prendre en main un smartphone ou une tablette": ("Maîtrise des outils numériques du quotidien",),
    "prendre en main un ordinateur": ("Maîtrise des outils numériques du quotidien",),
    "utiliser le numerique au quotidien": ("Maîtrise des outils numériques du quotidien",),
    "approfondir ma culture numerique": ("Compréhension du monde numérique",),
    "promouvoir la citoyennete numerique": ("Compréhension du monde numérique",),
    "devenir autonome dans les demarches administratives": ("Aide aux démarches administratives",),
    "realiser des demarches administratives avec un accompagnement": ("Aide aux démarches administratives",),
    "accompagner les demarches de sante": ("Aide aux démarches administratives",),
    "acceder a du materiel": ("Accès internet et matériel informatique",),
    "acceder a une connexion internet": ("Accès internet et matériel informatique",),
    "favoriser mon insertion professionnelle": ("Insertion professionnelle via le numérique",),
    "creer et developper mon entreprise": ("Insertion professionnelle via le numérique",),
    "creer avec le numerique": ("Loisirs et créations numériques",),
    "soutenir la parentalite et l education avec le numerique": ("Parentalité et éducation avec le numérique",),
    "s equiper en materiel informatique": ("Acquisition de matériel informatique à prix solidaire",),
    "monter un dossier de subvention": (),
}

# Services as worded by the Gironde and Haute-Vienne directories.
SERVICES_DIRECTORIES = {
    "acces a internet en autonomie": ("Accès internet et matériel informatique",),
    "etre accompagne dans ses demarches administratives": ("Aide aux démarches administratives",),
    "etre initie aux outils numeriques": ("Maîtrise des outils numériques du quotidien",),
    "pratiquer des activites recreatives numeriques": ("Loisirs et créations numériques",),
    "acces a internet": ("Accès internet et matériel informatique",),
    "acces a du materiel (pc, tablettes, smartphones...)": ("Accès internet et matériel informatique",),
    "acces a une imprimante / scanner": ("Accès internet et matériel informatique",),
    "decouverte de l ordinateur tablette smartphone": ("Maîtrise des outils numériques du quotidien",),
    "aide aux demarches administratives dematerialisees et acces aux droits ( impots, caf, ...)": (
        "Aide aux démarches administratives",),
    "decouverte d internet, des reseaux sociaux et de l usage de la messagerie (sites grand public, reseaux "
    "sociaux, messagerie)": ("Maîtrise des outils numériques du quotidien",),
    "initiation a la culture numerique (ex. protection des donnees, detection des fake news, etc.)": (
        "Compréhension du monde numérique", "Utilisation sécurisée du numérique"),
    "decouverte des logiciels bureautiques ( l ordinateur/tablettes, traitement de texte, tableur...)": (
        "Maîtrise des outils numériques du quotidien",),
    "aide a la recherche d emploi": ("Insertion professionnelle via le numérique",),
    "competences numerique avancees (developpement, communication...)": ("Compréhension du monde numérique",),
    "pratiques d activites numeriques recreatives": ("Loisirs et créations numériques",),
    "don, pret materiel": ("Acquisition de matériel informatique à prix solidaire",),
}

# v0 "publics accueillis" -> (column, value) pairs of the standard.
PUBLICS_V0 = {
    "jeunes (16 26 ans)": (("publics_specifiquement_adresses", "Jeunes"),),
    "seniors (+ 65 ans)": (("publics_specifiquement_adresses", "Seniors"),),
    "familles/enfants": (("publics_specifiquement_adresses", "Familles et/ou enfants"),),
    "uniquement femmes": (("publics_specifiquement_adresses", "Femmes"),),
    "adultes": (),
    "surdite": (("prise_en_charge_specifique", "Surdité"),),
    "handicaps moteurs": (("prise_en_charge_specifique", "Handicaps moteurs"),),
    "handicaps mentaux : deficiences limitant les activites d une personne": (
        ("prise_en_charge_specifique", "Handicaps mentaux"),),
    "handicaps psychiques : troubles psychiatriques donnant lieu a des atteintes comportementales": (
        ("prise_en_charge_specifique", "Handicaps mentaux"),),
    "deficience visuelle": (("prise_en_charge_specifique", "Déficience visuelle"),),
    "personnes en situation d illettrisme": (("prise_en_charge_specifique", "Illettrisme"),),
    "public langues etrangeres": (("prise_en_charge_specifique", "Langues étrangères (autres)"),),
}

# v0 "conditions d'accès" (text before the colon) -> frais_a_charge.
CONDITIONS_V0 = {
    "gratuit": ("Gratuit",),
    "gratuit sous condition": ("Gratuit sous condition",),
    "payant": ("Payant",),
    "adhesion": ("Payant",),
    "accepte le pass numerique": (),
}

# v0 "modalités d'accompagnement" (text before the colon) -> modalites_accompagnement.
ACCOMPAGNEMENT_V0 = {
    "seul": ("En autonomie",),
    "avec de l aide": ("Accompagnement individuel",),
    "dans un atelier": ("Dans un atelier collectif",),
    "a ma place": ("Accompagnement individuel",),
}

# v0 "labels nationaux" -> dispositif_programmes_nationaux.
LABELS_V0 = {
    "cnfs": ("Conseillers numériques",),
    "france services": ("France Services",),
    "aidants connect": ("Aidants Connect",),
    "pix": ("Certification PIX",),
    "grande ecole du numerique": ("Grande école du numérique",),
    "point d acces numerique caf": ("Point d'accès numérique CAF",),
    "promeneurs du net": ("Promeneurs du net",),
    "emmaus connect": ("Emmaüs Connect",),
}

# Free-text structure types of the directories -> typologie codes.
TYPES_DIRECTORIES = {
    "association": ("ASSO",),
    "autre": ("Autre",),
    "pole emploi": ("FT",),
    "la poste": ("LA_POSTE",),
    "cpam": ("CPAM",),
    "msa": ("MSA",),
    "caf": ("CAF",),
    "mediatheque/bibliotheque": ("BIB",),
    "mairie": ("MUNI",),
    "ccas / cias": ("CCAS",),
    "organisme prive non associatif ( tiers lieux...)": ("TIERS_LIEUX",),
    # Too broad to name one typology: the name-based guess below decides, else nothing.
    "collectivite": (),
    "operateur de service public ( caf, carsat, cpam, msa, pole emploi,mission locale...)": (),
    "autre collectivite territoriale ( conseil departemental, epci...)": (),
    "services de l etat": (),
}

# Name patterns (folded) that identify a typology when no type column says it better. First match wins.
TYPOLOGY_FROM_NAME = [
    (r"\b(mediatheque|bibliotheque|bfm)\b", "BIB"),
    (r"\bccas\b", "CCAS"),
    (r"\bcias\b", "CIAS"),
    (r"\bcentres? (socia|socio)", "CS"),
    (r"\bmission locale\b", "ML"),
    (r"\b(pole emploi|france travail)\b", "FT"),
    (r"\bla poste\b", "LA_POSTE"),
    (r"\bcaf\b", "CAF"),
    (r"\bcpam\b", "CPAM"),
    (r"\bmsa\b", "MSA"),
    (r"\bpimms\b", "PIMMS"),
    (r"\bmjc\b", "MJC"),
    (r"\bfab ?lab\b", "FABLAB"),
    (r"\btiers lieu", "TIERS_LIEUX"),
    (r"\b(epn|espace public numerique|cyber ?base)\b", "EPN"),
    (r"\bressourcerie\b", "RESSOURCERIE"),
    (r"\bmaison de quartier\b", "MQ"),
    (r"\b(pij|bij|point information jeunesse)\b", "PIJ_BIJ"),
    (r"\b(mairie|hotel de ville)\b", "MUNI"),
]


def typology_from_name(name: str) -> str:
    folded = fold(name)
    for pattern, code in TYPOLOGY_FROM_NAME:
        if re.search(pattern, folded):
            return code
    return ""


def before_colon(value: str) -> str:
    """v0 labels read "Gratuit : Je peux accéder…": the part before the colon is the key."""
    return fold(value.split(":", 1)[0])


def _typology_codes() -> frozenset[str]:
    enums = json.loads(ENUMS.read_text(encoding="utf-8"))
    return frozenset(item["code"] for item in enums["typologie"])


TYPOLOGY_CODES = _typology_codes()
