"""A deterministic synthetic set of structures, spread over real communes in proportion to their population.

For benchmarks and load tests: `manage.py generate_structures --count 100000 --seed 1`. Same seed and same
territories give the same rows. Every generated row is valid in the national standard.
"""

import datetime as dt
import math
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.contrib.gis.geos import Point
from django.db.models import FloatField, Func
from django.utils.text import slugify

from actors.core.writes import BulkStructure, QPVIndex, structures_bulk_create
from actors.models import Structure, Term
from actors.standard.checks import complete_siret
from actors.vocabulary.enums import PublicationState, Verifier
from territories.models import Commune

SOURCE = "synthetique"

# (name pattern, typologie, weight, extra terms); {c} = commune, {q} = neighbourhood, {a} = association.
KINDS = [
    ("Médiathèque {c}", "BIB", 18, [("dispositif_programmes_nationaux", "bibliotheques-numerique-de-reference")]),
    ("Bibliothèque municipale de {c}", "BIB", 7, []),
    ("CCAS de {c}", "CCAS", 10, []),
    ("Espace France Services de {c}", "MSAP", 8, [("dispositif_programmes_nationaux", "france-services")]),
    ("Centre social {q}", "CS", 8, []),
    ("Maison de quartier {q}", "MQ", 4, []),
    ("Association {a}", "ASSO", 12, [("dispositif_programmes_nationaux", "conseillers-numeriques")]),
    ("Mairie de {c}", "MUNI", 8, [("dispositif_programmes_nationaux", "aidants-connect")]),
    ("Espace public numérique de {c}", "EPN", 6, []),
    ("Tiers-lieu {q}", "TIERS_LIEUX", 4, []),
    ("Fablab de {c}", "FABLAB", 2, []),
    ("Mission locale de {c}", "ML", 3, []),
    ("Point information jeunesse de {c}", "PIJ_BIJ", 2, [("publics_specifiquement_adresses", "jeunes")]),
    ("PIMMS Médiation {c}", "PIMMS", 2, []),
    ("Agence postale de {c}", "LA_POSTE", 2, [("formations_labels", "etapes-numeriques-la-poste")]),
    ("Maison départementale des solidarités de {c}", "MDS", 3, []),
    ("Bus numérique de {c}", "ASSO", 2, [("itinerance", "itinerant")]),
]
NEIGHBOURHOODS = [
    "des Trois-Cités", "du Centre", "Les Couronneries", "La Gare", "Saint-Éloi", "Beaulieu", "Le Clos fleuri",
    "Les Tilleuls", "La Fontaine", "Bel-Air", "Les Hauts de {c}", "Jean-Moulin", "Victor-Hugo", "Pablo-Neruda",
]
ASSOCIATIONS = [
    "Les Petits Débrouillards de {c}", "Familles rurales de {c}", "Le Lien numérique", "Clic et Déclic",
    "Connexions solidaires {c}", "Générations numériques", "Le Fil d'Ariane", "Emmaüs Connect {c}",
    "Secours populaire de {c}", "Trait d'union {c}", "Cyber-Seniors {c}", "La Souris verte",
]
STREETS = [
    "rue de la République", "place de la Mairie", "avenue Jean-Jaurès", "rue Victor-Hugo", "rue du Général-de-Gaulle",
    "boulevard Pasteur", "rue de l'Église", "place du Marché", "rue des Écoles", "allée des Tilleuls",
    "rue Jules-Ferry", "avenue de la Libération", "chemin des Vignes", "rue Émile-Zola",
]
# OSM hours with their weight: office hours, evenings, Saturdays, half days; a few places give none.
HOURS = [
    ("Mo-Fr 09:00-12:00,14:00-17:00", 14),
    ("Tu-Sa 10:00-12:30,14:00-18:00", 12),
    ("Mo,We,Fr 09:00-12:00", 8),
    ("Tu 14:00-19:00; Th 17:00-20:30", 5),
    ("Mo-Fr 08:30-12:00,13:30-17:30; Sa 09:00-12:00", 10),
    ("We 14:00-18:00; Sa 10:00-17:00", 6),
    ("Mo-Th 09:00-17:00; Fr 09:00-12:00", 8),
    ("Tu,Th 18:00-21:00", 3),
    ("Sa 09:00-12:00", 3),
    ("Mo-Fr 13:30-18:00", 6),
    ("Tu-Fr 10:00-19:00; Sa 10:00-18:00", 8),
    ("We 09:00-12:00,14:00-17:00", 4),
    ("Mo-Fr 09:00-12:00,14:00-17:00; PH off", 6),
    ("", 7),
]
PHONE_PREFIX = {"971": "+590", "972": "+596", "973": "+594", "974": "+262", "976": "+262"}
FIRST_DAY = dt.date(2024, 1, 1)


@dataclass(frozen=True)
class Place:
    code: str
    name: str
    departement: str
    postal_code: str
    x: float
    y: float
    population: int


def candidate_communes(departements: list[str] | None = None) -> list[Place]:
    """Communes with a centre and inhabitants, arrondissements in place of their city, sorted by code."""
    cities = set(Commune.objects.filter(parent__isnull=False).values_list("parent_id", flat=True))
    queryset = Commune.objects.filter(centre__isnull=False, population__gt=0).exclude(code__in=cities)
    if departements:
        queryset = queryset.filter(departement_id__in=departements)
    # ST_X / ST_Y exist in both PostGIS and SpatiaLite, and spare building 35,000 GEOS points.
    queryset = queryset.annotate(
        x=Func("centre", function="ST_X", output_field=FloatField()),
        y=Func("centre", function="ST_Y", output_field=FloatField()),
    )
    rows = queryset.order_by("code").values_list("code", "name", "departement_id", "postal_codes", "x", "y",
                                                 "population")
    return [
        Place(code, name, departement, postal_codes.split("|")[0] or "00000", x, y, population)
        for code, name, departement, postal_codes, x, y, population in rows
    ]


def _some(rng: random.Random, codes: list[str], low: int, high: int) -> list[str]:
    return rng.sample(codes, rng.randint(low, min(high, len(codes))))


class Generator:
    """Builds `BulkStructure` items; all randomness comes from one `random.Random(seed)`."""

    def __init__(self, seed: int, places: list[Place]):
        self.rng = random.Random(seed)
        self.seed = seed
        self.places = places
        self.cumulative = []
        total = 0
        for place in places:
            total += place.population
            self.cumulative.append(total)
        terms = Term.objects.all()
        self.term_ids = {(term.kind, term.code): term.pk for term in terms}
        self.codes: dict[str, list[str]] = {}
        for term in sorted(terms, key=lambda t: (t.kind, t.position)):
            self.codes.setdefault(term.kind, []).append(term.code)
        self.kind_weights = [kind[2] for kind in KINDS]
        self.hour_weights = [weight for _hours, weight in HOURS]
        self.by_departement: dict[str, list[Place]] = {}
        for place in places:
            self.by_departement.setdefault(place.departement, []).append(place)

    def items(self, count: int) -> Iterator[BulkStructure]:
        communes = self.rng.choices(self.places, cum_weights=self.cumulative, k=count)
        for index, place in enumerate(communes):
            yield self.item(index, place)

    def item(self, index: int, place: Place) -> BulkStructure:
        rng = self.rng
        pattern, typologie, _weight, extra = rng.choices(KINDS, weights=self.kind_weights)[0]
        name = pattern.format(
            c=place.name, q=rng.choice(NEIGHBOURHOODS).format(c=place.name),
            a=rng.choice(ASSOCIATIONS).format(c=place.name),
        )
        itinerant = ("itinerance", "itinerant") in extra
        approximate = rng.random() < 0.05
        # Spread around the centre, wider for big towns (about 300 m to 3 km).
        spread = 0.004 + 0.02 * min(1.0, math.log10(place.population) / 6)
        point = Point(place.x, place.y, srid=4326)
        if not approximate:
            point = Point(round(place.x + rng.gauss(0, spread), 6), round(place.y + rng.gauss(0, spread) * 0.7, 6),
                          srid=4326)
        horaires = rng.choices(HOURS, weights=self.hour_weights)[0][0]
        terms = [("typologie", typologie), *extra]
        terms += [("services", code) for code in _some(rng, self.codes["services"], 1, 5)]
        terms += [("frais_a_charge", rng.choices(["gratuit", "gratuit-sous-condition", "payant"], [7, 2, 1])[0])]
        terms += [("modalites_acces", code) for code in _some(rng, self.codes["modalites_acces"], 1, 3)]
        terms += [("modalites_accompagnement", code)
                  for code in _some(rng, self.codes["modalites_accompagnement"], 1, 3)]
        for kind, high in (("publics_specifiquement_adresses", 2), ("prise_en_charge_specifique", 2),
                           ("dispositif_programmes_nationaux", 1), ("formations_labels", 1)):
            if rng.random() < 0.3:
                terms += [(kind, code) for code in _some(rng, self.codes[kind], 1, high)]
        if not itinerant:
            terms.append(("itinerance", "fixe"))
        term_ids = sorted({self.term_ids[term] for term in terms})
        area = self.service_area(place) if itinerant else []
        domain = slugify(name)[:40].strip("-") or "lieu"
        date_maj = FIRST_DAY + dt.timedelta(days=rng.randint(0, 900))
        # Verified when last updated, for 70 % of them: no dependence on today's date, so runs are identical.
        verified_at = dt.datetime.combine(date_maj, dt.time(10), tzinfo=dt.UTC) if rng.random() < 0.7 else None
        structure = Structure(
            source=SOURCE, source_id=f"synth-{self.seed}-{index}", nom=name,
            pivot=f"W{rng.randint(100000000, 999999999)}" if typologie == "ASSO" and rng.random() < 0.4
            else complete_siret(f"{rng.randint(1000000000000, 9999999999999)}"),
            date_maj=date_maj,
            adresse=f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
            complement_adresse=rng.choice(["", "", "", "Rez-de-chaussée", "Bâtiment B", "1er étage"]),
            code_postal=place.postal_code, commune_nom=place.name, code_insee=place.code, commune_id=place.code,
            location=point, location_is_approximate=approximate,
            telephone=f"{PHONE_PREFIX.get(place.departement, '+33')}{rng.randint(100000000, 599999999)}",
            courriels=f"contact@{domain}.fr", site_web=f"https://{domain}.fr/" if rng.random() < 0.6 else "",
            horaires=horaires,
            presentation_resume=f"{name} : accompagnement au numérique à {place.name}.",
            prise_rdv="https://www.rdv-solidarites.fr/" if rng.random() < 0.1 else "",
            state=rng.choices([PublicationState.PUBLISHED, PublicationState.DRAFT, PublicationState.ARCHIVED],
                              [95, 3, 2])[0],
            verified_at=verified_at, verified_by=Verifier.COORDINATION if verified_at else Verifier.NONE,
        )
        return BulkStructure(structure, term_ids, area)

    def service_area(self, place: Place) -> list[str]:
        """The commune and its four nearest neighbours in the same département (a bus tour)."""
        neighbours = sorted(
            self.by_departement[place.departement],
            key=lambda other: (other.x - place.x) ** 2 + (other.y - place.y) ** 2,
        )
        return [other.code for other in neighbours[:5]]


BATCH = 10_000


def create(*, count: int, seed: int, places: list[Place], progress: Callable[[int], None] | None = None) -> int:
    """Write `count` generated places over `places` in batches (the bulk write path); returns how many.

    The caller runs the after-change work (`upkeep.data_changed`, or statistics alone) once it is done."""
    items, created, qpv_index = Generator(seed, places).items(count), 0, QPVIndex()
    while batch := [item for _, item in zip(range(BATCH), items, strict=False)]:
        structures_bulk_create(batch, qpv_index)
        created += len(batch)
        if progress is not None:
            progress(created)
    return created
