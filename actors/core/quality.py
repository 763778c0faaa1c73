"""Quality score of a place, out of 100: how complete and how fresh its record is.

Seven criteria, their points adding up to 100 (docs/coordination.md lists them for coordinators):

    address      15  an address and a postcode, and a commune found that agrees with them (8 if the commune
                     is approximate: name, postcode, INSEE code or point disagree)
    position     15  a point of its own (5 when it is the commune's centre, 0 without any)
    hours        20  opening hours published (OSM format, validated on write)
    contact      15  a phone number (8) and an e-mail address or a website (7)
    services     10  at least one service of the standard's list
    description  10  a presentation of at least 40 characters (5 when shorter)
    freshness    15  latest date, the source's update or a confirmation, against the département's freshness
                     limit L (actors.freshness.rule, 12 months by default): under L/2 15, under L 10, under 2 L 5,
                     else 0 (with the default limit, the 6/12/24-month scale data·inclusion uses)

`score()` reads one place; `refresh()` stores the score in `Structure.quality` for
many places at once. Every write path calls `refresh(pks=…)`: the importer's bulk write, the admin's save
(actors.core.writes), the place's own confirmation through its update link, the coordinators' « vérifié »;
`manage.py refresh_quality` recomputes every row (run daily: the freshness points drop with time).
The public ranking uses the stored score as a tie-breaker (actors/directory/filters.py), the admin filters on its bands.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actors.freshness.rule import Policy, departement_of
from actors.models import FreshnessPolicy, Structure
from actors.vocabulary.enums import TermKind

DESCRIPTION_MIN = 40

# (code, label, lowest score, highest score): the admin filter and the dashboard read these bands.
BANDS = [
    ("faible", _("faible (0–39)"), 0, 39),
    ("moyenne", _("moyenne (40–69)"), 40, 69),
    ("bonne", _("bonne (70–100)"), 70, 100),
]

# What a coordinator asks on the phone when a criterion is missing (the call sheet reads these).
QUESTIONS = {
    "address": _("adresse exacte"),
    "position": _("entrée du lieu (position)"),
    "hours": _("horaires d'ouverture"),
    "contact": _("courriel ou site web"),
    "services": _("services proposés"),
    "description": _("présentation en deux phrases"),
    "freshness": _("les informations sont-elles toujours exactes ?"),
}


@dataclass(frozen=True)
class Facts:
    """What the score reads of a place (from an instance or from one row of `refresh`'s query)."""

    adresse: str
    code_postal: str
    has_commune: bool
    commune_code: str | None
    commune_is_approximate: bool
    has_location: bool
    location_is_approximate: bool
    horaires: str
    telephone: str
    courriels: str
    site_web: str
    services: int
    description: str
    date_maj: dt.date | None
    verified_at: dt.datetime | None


@dataclass(frozen=True)
class Score:
    points: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.points.values())

    @property
    def missing(self) -> list[str]:
        """Criteria without their full points, in the order of QUESTIONS."""
        return [name for name in QUESTIONS if self.points[name] < MAXIMA[name]]


MAXIMA = {"address": 15, "position": 15, "hours": 20, "contact": 15, "services": 10, "description": 10,
          "freshness": 15}


def _freshness_points(facts: Facts, today: dt.date, limit_days: int) -> int:
    days = [d for d in (facts.date_maj, timezone.localdate(facts.verified_at) if facts.verified_at else None) if d]
    if not days:
        return 0
    age = (today - max(days)).days
    return 15 if age <= limit_days // 2 else 10 if age <= limit_days else 5 if age <= 2 * limit_days else 0


def points(facts: Facts, *, today: dt.date, policy: Policy) -> Score:
    address = 0
    if facts.adresse.strip() and len(facts.code_postal) == 5 and facts.has_commune:
        address = 8 if facts.commune_is_approximate else 15
    position = 0 if not facts.has_location else 5 if facts.location_is_approximate else 15
    contact = (8 if facts.telephone.strip() else 0) + (7 if (facts.courriels.strip() or facts.site_web.strip())
                                                         else 0)
    description = len(facts.description.strip())
    return Score({
        "address": address,
        "position": position,
        "hours": 20 if facts.horaires.strip() else 0,
        "contact": contact,
        "services": 10 if facts.services else 0,
        "description": 10 if description >= DESCRIPTION_MIN else 5 if description else 0,
        "freshness": _freshness_points(facts, today, policy.days_for(departement_of(facts.commune_code))),
    })


def _description(resume: str, detail: str) -> str:
    return max(resume or "", detail or "", key=len)


def score(structure, *, now: dt.datetime | None = None) -> Score:
    facts = Facts(
        adresse=structure.adresse, code_postal=structure.code_postal, has_commune=structure.commune_id is not None,
        commune_code=structure.commune_id,
        commune_is_approximate=structure.commune_is_approximate, has_location=structure.location is not None,
        location_is_approximate=structure.location_is_approximate, horaires=structure.horaires,
        telephone=structure.telephone, courriels=structure.courriels, site_web=structure.site_web,
        services=len(structure.term_codes(TermKind.SERVICES)),
        description=_description(structure.presentation_resume, structure.presentation_detail),
        date_maj=structure.date_maj, verified_at=structure.verified_at)
    return points(facts, today=timezone.localdate(now or timezone.now()), policy=FreshnessPolicy.objects.current())


ROW_FIELDS = ["pk", "quality", "adresse", "code_postal", "commune_id", "commune_is_approximate", "location_isnull",
              "location_is_approximate", "horaires", "telephone", "courriels", "site_web", "n_services",
              "presentation_resume", "presentation_detail", "date_maj", "verified_at"]
BATCH = 2000


@transaction.atomic
def refresh(*, pks: list[int] | None = None, now: dt.datetime | None = None) -> int:
    """Store the score of the places `pks` (every place when None); returns how many scores changed.

    One read per batch of 2,000 places and one UPDATE per distinct score among those that changed."""
    policy = FreshnessPolicy.objects.current()
    today = timezone.localdate(now or timezone.now())
    rows = (Structure.objects.order_by("pk")
            .annotate(location_isnull=Q(location__isnull=True),
                      n_services=Count("terms", filter=Q(terms__kind=TermKind.SERVICES)))
            .values_list(*ROW_FIELDS))
    targets = [None] if pks is None else [pks[i:i + BATCH] for i in range(0, len(pks), BATCH)]
    changed: dict[int, list[int]] = {}
    for chunk in targets:
        for row in (rows if chunk is None else rows.filter(pk__in=chunk)).iterator(chunk_size=BATCH):
            values = dict(zip(ROW_FIELDS, row, strict=True))
            facts = Facts(
                adresse=values["adresse"], code_postal=values["code_postal"], has_commune=bool(values["commune_id"]),
                commune_code=values["commune_id"],
                commune_is_approximate=values["commune_is_approximate"], has_location=not values["location_isnull"],
                location_is_approximate=values["location_is_approximate"], horaires=values["horaires"],
                telephone=values["telephone"], courriels=values["courriels"], site_web=values["site_web"],
                services=values["n_services"],
                description=_description(values["presentation_resume"], values["presentation_detail"]),
                date_maj=values["date_maj"], verified_at=values["verified_at"])
            total = points(facts, today=today, policy=policy).total
            if total != values["quality"]:
                changed.setdefault(total, []).append(values["pk"])
    for total, ids in changed.items():
        for start in range(0, len(ids), BATCH):
            # A plain UPDATE: the score is derived, it neither moves `updated_at` nor writes history.
            Structure.objects.filter(pk__in=ids[start:start + BATCH]).update(quality=total)
    return sum(len(ids) for ids in changed.values())


def band_condition(band: str) -> Q:
    for code, _label, low, high in BANDS:
        if code == band:
            return Q(quality__gte=low, quality__lte=high)
    return Q()
