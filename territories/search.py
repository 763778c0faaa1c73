"""Territory search: one box for names, INSEE codes, postcodes, département codes, EPCI SIREN and QPV codes."""

import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from territories.models import EPCI, QPV, Commune, Departement
from territories.text import fold

MAX_QUERY_LENGTH = 100
RESULTS_PER_KIND = 20
# Unknown populations (a few overseas communes) last, on both databases.
BIGGEST_FIRST = F("population").desc(nulls_last=True)
CODE = re.compile(r"^(\d[\dAB]\d{0,7})$", re.IGNORECASE)
QPV_CODE = re.compile(r"^QN[0-9A-Z]{5,8}$", re.IGNORECASE)


@dataclass
class Group:
    kind: str
    results: list = field(default_factory=list)
    total: int = 0

    @property
    def truncated(self) -> bool:
        return self.total > len(self.results)


@dataclass
class TerritorySearch:
    query: str
    groups: list[Group]

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)


def _ranked(queryset: QuerySet, folded: str, code_filter: Q) -> QuerySet:
    """Exact codes and names first, then names starting with the query, then the rest; bigger first."""
    return queryset.annotate(rank=Case(
        When(code_filter, then=Value(0)),
        When(name_folded=folded, then=Value(1)),
        When(name_folded__startswith=folded, then=Value(2)),
        default=Value(3), output_field=IntegerField(),
    ))


def _group(kind: str, queryset: QuerySet, order: list) -> Group:
    results = list(queryset.order_by(*order)[:RESULTS_PER_KIND])
    total = len(results) if len(results) < RESULTS_PER_KIND else queryset.count()
    return Group(kind=kind, results=results, total=total)


def search_territories(raw_query: str) -> TerritorySearch:
    # Control and format characters (NUL, bidi marks) never belong to a place name; PostgreSQL refuses NUL.
    printable = "".join(ch for ch in (raw_query or "")[:MAX_QUERY_LENGTH] if unicodedata.category(ch)[0] != "C")
    query = " ".join(printable.split())
    folded = fold(query)
    if not folded:
        return TerritorySearch(query=query, groups=[])
    code = query.upper() if CODE.match(query) else None
    by_name = Q(name_folded__contains=folded)
    no_match = Q(pk__in=[])

    departement_code = Q(code=code) if code and len(code) <= 3 else no_match
    departements = _ranked(Departement.objects.filter(by_name | departement_code).select_related("region"), folded,
                           departement_code)

    epci_code = Q(siren=code) if code and len(code) == 9 else no_match
    epcis = _ranked(EPCI.objects.filter(by_name | epci_code), folded, epci_code)

    # A 5-digit query is an INSEE code or a postcode; postcodes are "|"-joined, so a 5-digit LIKE is exact.
    commune_code = Q(code=code) | Q(postal_codes__contains=code) if code and len(code) == 5 else no_match
    communes = _ranked(
        Commune.objects.filter(by_name | commune_code).select_related("departement", "parent"), folded,
        commune_code,
    )
    # A QPV by its name ("Couronneries") or its official code (QN08605M).
    qpv_code = Q(code=query.upper()) if QPV_CODE.match(query) else no_match
    qpvs = _ranked(QPV.objects.filter(by_name | qpv_code).select_related("departement")
                   .prefetch_related("communes"), folded, qpv_code)
    groups = [
        _group("departements", departements, ["rank", "code"]),
        _group("epci", epcis, ["rank", BIGGEST_FIRST, "name"]),
        _group("communes", communes, ["rank", BIGGEST_FIRST, "name"]),
        _group("qpv", qpvs, ["rank", BIGGEST_FIRST, "name"]),
    ]
    return TerritorySearch(query=query, groups=[group for group in groups if group.results])
