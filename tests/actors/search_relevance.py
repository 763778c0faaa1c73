"""The relevance set: queries a social worker types, judged against the shipped demo data.

Each case says which places are relevant to the query, as a rule over the place's name, commune, type
and national programmes (judged by reading the demo data, not by running the search). A query scores
(relevant places among its top 3) / min(3, relevant places in the data); the set's score is the sum.
Used by tests/actors/test_search_relevance.py and by `scripts/bench_search.py --relevance`.
"""

import re
from dataclasses import dataclass, field

from territories.text import fold


@dataclass(frozen=True)
class Place:
    pk: int
    name: str  # folded
    commune: str  # folded name of the commune
    types: frozenset = field(default_factory=frozenset)
    programmes: frozenset = field(default_factory=frozenset)
    services: frozenset = field(default_factory=frozenset)


@dataclass(frozen=True)
class Case:
    query: str
    kind: str
    name: str = ""  # regex over the folded name
    commune: str = ""  # folded commune name (exact)
    types: tuple = ()  # any of these typologies also makes a place relevant (when `name` is set too: OR)
    programmes: tuple = ()
    services: tuple = ()

    def relevant(self, place: Place) -> bool:
        if self.commune and place.commune != self.commune:
            return False
        tests = []
        if self.name:
            tests.append(bool(re.search(self.name, place.name)))
        if self.types:
            tests.append(bool(place.types & set(self.types)))
        if self.programmes:
            tests.append(bool(place.programmes & set(self.programmes)))
        if self.services:
            tests.append(bool(place.services & set(self.services)))
        return any(tests) if tests else True


CCAS = r"\bccas\b|centre communal d ?action sociale"
MSAP = r"\bmsap\b|maisons? (de|des) services? au public"
EPN = r"\bepn\b|espace public numerique"
PIMMS = r"\bpimms\b|point information mediation multi"
CYBER = r"cyber.?base"
TIERS = r"tiers.?lieu"
INFO_JEUNES = r"\bpij\b|\bbij\b|info.?jeune|information jeunesse"

CASES = [
    # Names of places.
    Case("BFM Aurence", "nom", name=r"bfm aurence"),
    Case("Kesako", "nom", name=r"kesako"),
    Case("La Quincaillerie Guéret", "nom", commune="gueret", name=r"quincaillerie"),
    Case("Arts et loisirs d'Arlac", "nom", name=r"arts et loisirs d arlac"),
    Case("CAF de la Haute-Vienne", "nom", name=r"caf de la haute.vienne"),
    # Types of places.
    Case("médiathèque", "type", name=r"mediatheque"),
    Case("centre social", "type", name=r"centre social|centre socio", types=("CS",)),
    Case("mission locale", "type", name=r"mission locale", types=("ML",)),
    Case("la poste", "type", name=r"\bla ?poste\b|agence postale", types=("LA_POSTE",)),
    # Abbreviations, both ways.
    Case("CCAS", "sigle", name=CCAS, types=("CCAS",)),
    Case("centre communal d'action sociale", "sigle", name=CCAS, types=("CCAS",)),
    Case("MSAP", "sigle", name=MSAP),
    Case("maison de services au public", "sigle", name=MSAP),
    Case("EPN", "sigle", name=EPN, types=("EPN",)),
    Case("espace public numérique", "sigle", name=EPN, types=("EPN",)),
    Case("PIMMS", "sigle", name=PIMMS, types=("PIMMS",)),
    Case("MJC", "sigle", name=r"\bmjc\b|maison (des )?jeunes et (de la )?culture", types=("MJC",)),
    Case("CIAS", "sigle", name=r"\bcias\b|centre intercommunal d ?action sociale", types=("CIAS",)),
    Case("PIJ", "sigle", name=INFO_JEUNES, types=("PIJ_BIJ",)),
    Case("MDS", "sigle", name=r"\bmds\b|maison departementale des solidarites"),
    # National programmes.
    Case("France Services", "dispositif", name=r"france services?\b"),
    Case("conseiller numérique", "dispositif", name=r"conseillers? numeriques?"),
    Case("aidants connect", "dispositif", programmes=("aidants-connect",)),
    # Places and communes, with or without accents.
    Case("Limoges", "commune", commune="limoges"),
    Case("gueret", "accents", commune="gueret"),
    Case("mediatheque merignac", "accents", commune="merignac", name=r"mediatheque"),
    Case("bibliotheque limoges", "commune", commune="limoges", types=("BIB",)),
    Case("france services limoges", "commune", commune="limoges", name=r"france services?\b"),
    Case("ccas bordeaux", "commune", commune="bordeaux", name=CCAS, types=("CCAS",)),
    # Saint / Sainte and their abbreviations, hyphens and apostrophes.
    Case("St Junien", "saint", commune="saint junien"),
    Case("saint-junien", "tiret", commune="saint junien"),
    Case("Ste Foy la Grande", "saint", commune="sainte foy la grande"),
    Case("Sainte Foy", "saint", commune="sainte foy la grande"),
    Case("St Médard en Jalles", "saint", commune="saint medard en jalles"),
    Case("Villenave d'Ornon", "tiret", commune="villenave d ornon"),
    # A compound in one word, in two words, with a hyphen.
    Case("cyberbase", "compose", name=CYBER),
    Case("cyber base", "compose", name=CYBER),
    Case("cyber-base", "compose", name=CYBER),
    Case("tiers lieu", "compose", name=TIERS, types=("TIERS_LIEUX",)),
    Case("tierslieu", "compose", name=TIERS, types=("TIERS_LIEUX",)),
    # Misspellings.
    Case("mediateque", "faute", name=r"mediatheque"),
    Case("perigeux", "faute", commune="perigueux"),
]
# The set as it stood before the French analysis (issue 21): none of these may score lower.
FIRST_CASES = len(CASES)

DEMARCHES = ("aide-aux-demarches-administratives",)
MATERIEL = ("acces-internet-et-materiel-informatique",)
MEDIATHEQUE = r"mediatheque|bibliotheque|\bbfm\b"
FRANCE_SERVICES = r"france services?\b"
CASES += [
    # Sentences and needs, as said on the phone (issue 21).
    Case("imprimer un document", "besoin", name=r"imprim", services=MATERIEL),
    Case("imprimer", "besoin", name=r"imprim", services=MATERIEL),
    Case("imprimante", "besoin", name=r"imprim", services=MATERIEL),
    Case("faire une impression", "besoin", name=r"impression", services=MATERIEL),
    Case("scanner un document", "besoin", services=MATERIEL),
    Case("aide pour la caf", "besoin", name=r"\bcaf\b", services=DEMARCHES),
    Case("ANTS", "besoin", services=DEMARCHES),
    Case("titre de séjour", "besoin", services=DEMARCHES),
    Case("carte grise", "besoin", services=DEMARCHES),
    Case("pôle emploi", "besoin", name=r"pole emploi|france travail", services=DEMARCHES),
    Case("impôts", "besoin", name=r"impot|finances publiques", services=DEMARCHES),
    Case("france travail", "besoin", name=r"pole emploi|france travail", services=DEMARCHES),
    Case("démarches administratives", "besoin", services=DEMARCHES),
    Case("aide aux démarches", "besoin", services=DEMARCHES),
    Case("faire un CV", "besoin", services=("insertion-professionnelle-via-le-numerique",)),
    Case("arnaque sur internet", "besoin", services=("utilisation-securisee-du-numerique",)),
    # Plurals and other forms of a word (stems).
    Case("médiathèques", "forme", name=r"mediatheque"),
    Case("bibliothèques", "forme", name=r"bibliotheque", types=("BIB",)),
    Case("centres sociaux", "forme", name=r"centre social|centre socio", types=("CS",)),
    Case("missions locales", "forme", name=r"mission locale", types=("ML",)),
    Case("tiers lieux", "forme", name=TIERS, types=("TIERS_LIEUX",)),
    Case("tiers-lieu", "forme", name=TIERS, types=("TIERS_LIEUX",)),
    Case("cyberbases", "forme", name=CYBER),
    Case("conseillers numériques", "forme", name=r"conseillers? numeriques?", programmes=("conseillers-numeriques",)),
    # Acronyms in capitals or not.
    Case("ccas", "sigle", name=CCAS, types=("CCAS",)),
    Case("cias", "sigle", name=r"\bcias\b|centre intercommunal d ?action sociale", types=("CIAS",)),
    Case("CAF", "sigle", name=r"\bcaf\b|caisse d ?allocations", services=DEMARCHES),
    Case("besoin d un ordinateur", "besoin", services=MATERIEL),
    # A need or a type, then a place (the place becomes the commune or département filter).
    Case("mediatheque de limoges", "lieu", commune="limoges", name=MEDIATHEQUE, types=("BIB",)),
    Case("mediatheques limoges", "lieu", commune="limoges", name=MEDIATHEQUE, types=("BIB",)),
    Case("centre social limoges", "lieu", commune="limoges", name=r"centre social|centre socio", types=("CS",)),
    Case("ccas de limoges", "lieu", commune="limoges", name=CCAS, types=("CCAS",)),
    Case("mission locale bordeaux", "lieu", commune="bordeaux", name=r"mission locale", types=("ML",)),
    Case("médiathèque de Mérignac", "lieu", commune="merignac", name=r"mediatheque"),
    Case("france services gueret", "lieu", name=FRANCE_SERVICES),
    Case("aide caf limoges", "lieu", commune="limoges", name=r"\bcaf\b", services=DEMARCHES),
    Case("imprimer bordeaux", "lieu", commune="bordeaux", services=MATERIEL),
    # Places alone, in capitals, misspelt, with St / Ste.
    Case("GUERET", "commune", commune="gueret"),
    Case("poitiers", "commune", commune="poitiers"),
    Case("Bordeaux", "commune", commune="bordeaux"),
    Case("limoge", "faute", commune="limoges"),
    Case("biblioteque", "faute", name=r"bibliotheque", types=("BIB",)),
    Case("ST JUNIEN", "saint", commune="saint junien"),
    Case("Ste Foy", "saint", commune="sainte foy la grande"),
    # A day in words: the opening filter, then the words.
    Case("france services samedi", "jour", name=FRANCE_SERVICES),
    Case("mediatheque le samedi", "jour", name=r"mediatheque"),
    Case("médiathèque limoges samedi", "jour", commune="limoges", name=MEDIATHEQUE, types=("BIB",)),
    Case("ccas ce soir", "jour", name=CCAS, types=("CCAS",)),
    Case("bibliotheque ce week-end", "jour", name=r"bibliotheque", types=("BIB",)),
]


def places_of(structures) -> dict[int, Place]:
    """{pk: Place} for structures whose `commune` is selected and `terms` prefetched."""
    result = {}
    for structure in structures:
        terms = list(structure.terms.all())
        result[structure.pk] = Place(
            pk=structure.pk, name=fold(structure.nom), commune=fold(structure.commune.name if structure.commune
                                                                   else structure.commune_nom),
            types=frozenset(t.code for t in terms if t.kind == "typologie"),
            programmes=frozenset(t.code for t in terms if t.kind == "dispositif_programmes_nationaux"),
            services=frozenset(t.code for t in terms if t.kind == "services"),
        )
    return result


@dataclass
class Result:
    case: Case
    top: list  # the top 3 places returned
    relevant_total: int
    hits: int

    @property
    def score(self) -> float:
        return self.hits / min(3, self.relevant_total) if self.relevant_total else 1.0


def evaluate(places: dict[int, Place], top3) -> list[Result]:
    """`top3(query) -> [pk, pk, pk]` runs the search; every case is scored against `places`."""
    results = []
    for case in CASES:
        top = [places[pk] for pk in top3(case.query) if pk in places][:3]
        relevant_total = sum(1 for place in places.values() if case.relevant(place))
        hits = sum(1 for place in top if case.relevant(place))
        results.append(Result(case, top, relevant_total, min(hits, min(3, relevant_total))))
    return results


def summary(results: list[Result]) -> str:
    total = sum(r.score for r in results)
    failed = [r for r in results if r.score < 1]
    lines = [f"Pertinence de la recherche : {total:.1f} / {len(results)} requêtes "
             f"({100 * total / len(results):.0f} %), {len(failed)} sous le score parfait"]
    for r in failed:
        shown = "; ".join(p.name for p in r.top) or "aucun résultat"
        lines.append(f"  - « {r.case.query} » ({r.case.kind}) {r.score:.2f} : {shown}")
    return "\n".join(lines)
