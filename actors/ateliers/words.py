"""What a producer's categories, keywords and titles say in the directory's words: themes (the standard's
services), publics (the standard's publics), level and fees. Producers write free text, so this reads words."""

import re

from territories.text import fold

# Folded words → a service code of the national standard (actors/data/enums.json).
THEME_WORDS = {
    "demarche": "aide-aux-demarches-administratives",
    "administrati": "aide-aux-demarches-administratives",
    "smartphone": "maitrise-des-outils-numeriques-du-quotidien",
    "tablette": "maitrise-des-outils-numeriques-du-quotidien",
    "ordinateur": "maitrise-des-outils-numeriques-du-quotidien",
    "courriel": "maitrise-des-outils-numeriques-du-quotidien",
    "mail": "maitrise-des-outils-numeriques-du-quotidien",
    "initiation": "maitrise-des-outils-numeriques-du-quotidien",
    "emploi": "insertion-professionnelle-via-le-numerique",
    "cv": "insertion-professionnelle-via-le-numerique",
    "securite": "utilisation-securisee-du-numerique",
    "arnaque": "utilisation-securisee-du-numerique",
    "parentalite": "parentalite-et-education-avec-le-numerique",
    "ecran": "parentalite-et-education-avec-le-numerique",
    "photo": "loisirs-et-creations-numeriques",
    "creation": "loisirs-et-creations-numeriques",
    "jeu video": "loisirs-et-creations-numeriques",
    "intelligence artificielle": "comprehension-du-monde-numerique",
    "materiel": "acquisition-de-materiel-informatique-a-prix-solidaire",
}
PUBLIC_WORDS = {
    "senior": "seniors",
    "aine": "seniors",
    "jeune": "jeunes",
    "ado": "jeunes",
    "etudiant": "etudiants",
    "parent": "familles-et-ou-enfants",
    "famille": "familles-et-ou-enfants",
    "enfant": "familles-et-ou-enfants",
    "femme": "femmes",
}
LEVEL_WORDS = {"debutant": "debutant", "intermediaire": "intermediaire", "confirme": "avance", "avance": "avance"}
FREE_WORDS = ("gratuit", "entree libre", "libre et gratuit")


def _words(texts: list[str]) -> str:
    return " " + re.sub(r"[^a-z0-9]+", " ", fold(" ".join(texts))) + " "


def _found(table: dict[str, str], folded: str) -> list[str]:
    return sorted({code for word, code in table.items() if f" {word}" in folded})


def themes(texts: list[str], known: set[str]) -> list[str]:
    """Service codes named by the texts: the code itself, its label, or one of THEME_WORDS."""
    folded = _words(texts)
    named = {code for code in known if f" {code.replace('-', ' ')} " in folded}
    return sorted(named | set(_found(THEME_WORDS, folded)))


def publics(texts: list[str]) -> list[str]:
    return _found(PUBLIC_WORDS, _words(texts))


def level(texts: list[str]) -> str:
    found = _found(LEVEL_WORDS, _words(texts))
    return found[0] if len(found) == 1 else ""


def free(texts: list[str]) -> bool | None:
    folded = _words(texts)
    return True if any(f" {word} " in folded for word in FREE_WORDS) else None
