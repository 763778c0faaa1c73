"""The indicators that aggregate SQL can give for any territory, from a commune to France.

They are the columns of the comparison with the parents, so they use only counts and sums (no distance).
Places are read through `Structure.objects.public()` and the directory's own opening, freshness and fee rules.

Every figure is a sum over places or communes, so one statement gives them for a whole territory or per
part of it (its communes, its EPCI, or every département of France: `national`, from which régions and
France are added up). The places are read once, joined to their weekly slots and their fee links each
summed per place: no condition is a subquery run for each place (that took 6 s for France on PostGIS).
"""

import datetime as dt
from collections import defaultdict

from django.db import connections, router
from django.db.models import Case, Count, Exists, F, IntegerField, Max, OuterRef, Q, Sum, When
from django.db.models.expressions import Expression
from django.utils import timezone

from actors.diagnostic.areas import Area, departement_area, france_area, region_area
from actors.directory import conditions as queries
from actors.models import FreshnessPolicy, Structure, Term, WeeklySlot
from actors.vocabulary.enums import TermKind
from territories.models import Commune, Departement

FEES = ("gratuit", "gratuit-sous-condition", "payant")
SLOT_RULES = {"evening": {"evening": True}, "saturday": {"weekday": 5}, "sunday": {"weekday": 6}}
PLACE_COUNTS = ("fresh", "no_hours", "no_contact", "approximate")


def _ratio(part: float | None, whole: float | None) -> float | None:
    """A share in [0, 1], or None where the whole is zero: the page then says why instead of dividing."""
    return None if not whole else (part or 0) / whole


def _per_10k(count: float, population: int) -> float | None:
    return None if not population else count * 10_000 / population


def communes_with_a_place(area: Area):
    """Communes of `area` where a place stands (an arrondissement's place counts for its city) or that an
    itinerant place serves. Each condition is led by the commune or by the small sets (45 arrondissements,
    a few hundred service-area links), never by a scan of the places."""
    public = Structure.objects.public()
    arrondissements = (Commune.objects.filter(kind=Commune.Kind.ARRONDISSEMENT)
                       .filter(Exists(public.filter(commune_id=OuterRef("code")))).values("parent_id"))
    served = (Structure.service_area.through.objects.filter(commune_id__in=area.communes().values("code"))
              .filter(Exists(public.filter(pk=OuterRef("structure_id")))).values("commune_id"))
    return area.communes().filter(
        Q(Exists(public.filter(commune_id=OuterRef("code")))) | Q(code__in=arrondissements) | Q(code__in=served)
    )


def _flag(condition: Q) -> Case:
    return Case(When(condition, then=1), default=0, output_field=IntegerField())


def _sql(queryset) -> tuple[str, tuple]:
    return queryset.query.get_compiler(queryset.db).as_sql()


def place_tallies(area: Area, *, now: dt.datetime, group: Expression | None = None, within: Q | None = None) -> dict:
    """Counts over the places of `area` (and `within`), whole (key None) or per value of `group` (an expression
    on the place).

    One statement: the places (their own columns give freshness, hours, contact, position), left-joined to
    their weekly slots summed per place (the typical week's rules of actors.directory.conditions; narrowed to the area's
    places first, except for France) and to their fee links."""
    places = area.places() if within is None else area.places().filter(within)
    narrow = {} if area.kind == "france" and within is None else {"structure__in": places.values("pk")}
    conditions = {
        "fresh": ~queries.stale(now),  # the one freshness rule (actors/freshness/rule.py)
        "no_hours": queries.hours_unknown(),
        "no_contact": Q(telephone="", courriels="", site_web=""),
        "approximate": Q(location_is_approximate=True) | Q(location__isnull=True),
    }
    rows = places.order_by().annotate(
        sid=F("pk"), g=group if group is not None else F("pk"),
        **{f"p_{name}": _flag(c) for name, c in conditions.items()},
    ).values("sid", "g", *(f"p_{name}" for name in conditions))
    slots = WeeklySlot.objects.filter(**narrow).order_by().values(sid=F("structure_id")).annotate(
        minutes=Sum(F("closes") - F("opens")),
        **{name: Max(_flag(queries.typical_week_slot(**rule))) for name, rule in SLOT_RULES.items()})
    # Blanket claims are no concern for fees (actors.core.honest_facts.CLAIM_KINDS): every stated fee counts. One probe
    # of the (place, term) unique index per place and fee term, instead of grouping a million links.
    fee_terms = list(Term.objects.filter(kind=TermKind.FRAIS).order_by("pk").values_list("pk", "code"))
    (rows_sql, rows_params), (slots_sql, slots_params) = _sql(rows), _sql(slots)
    link = connections[router.db_for_read(Structure)].ops.quote_name(Structure.terms.through._meta.db_table)
    joins = "".join(f" LEFT JOIN {link} f{n} ON f{n}.structure_id = p.sid AND f{n}.term_id = %s"
                    for n in range(len(fee_terms)))
    stated = " OR ".join(f"f{n}.term_id IS NOT NULL" for n in range(len(fee_terms))) or "1 = 0"

    def fee_flag(code: str) -> str:
        held = " OR ".join(f"f{n}.term_id IS NOT NULL" for n, (_pk, c) in enumerate(fee_terms) if c == code)
        return f"SUM(CASE WHEN {held or '1 = 0'} THEN 1 ELSE 0 END)"

    sums = ([f"SUM(p.p_{name})" for name in conditions] + ["SUM(w.minutes)"]
            + [f"SUM(w.{name})" for name in SLOT_RULES]
            + [f"SUM(CASE WHEN {stated} THEN 1 ELSE 0 END)"] + [fee_flag(code) for code in FEES])
    statement = (
        f"SELECT {'p.g' if group is not None else 'NULL'}, COUNT(*), {', '.join(sums)} "
        f"FROM ({rows_sql}) p LEFT JOIN ({slots_sql}) w ON w.sid = p.sid{joins}"
        + (" GROUP BY p.g" if group is not None else "")
    )
    params = (*rows_params, *slots_params, *(pk for pk, _code in fee_terms))
    fields = ["places", *conditions, "minutes", *SLOT_RULES, "fee_stated", *map(_fee, FEES)]
    with connections[router.db_for_read(Structure)].cursor() as cursor:
        cursor.execute(statement, params)
        result = {key: dict(zip(fields, (int(value or 0) for value in values), strict=True))
                  for key, *values in cursor.fetchall()}
    return result


def _fee(code: str) -> str:
    return "fee_" + code.replace("-", "_")


def _add(rows) -> dict:
    total: dict[str, float] = defaultdict(int)
    for row in rows:
        for name, value in row.items():
            total[name] += value
    return dict(total)


def population_tallies(area: Area, *, group: str | None = None) -> dict:
    """Population and population of communes with a place, whole (key None) or per value of a commune field."""
    def grouped(queryset, name):
        if group is None:
            return {None: queryset.aggregate(total=Sum("population"))["total"] or 0}
        return {row["g"]: row["total"] or 0
                for row in queryset.order_by().values(g=F(group)).annotate(total=Sum("population"))}

    population, covered = grouped(area.communes(), "population"), grouped(communes_with_a_place(area), "covered")
    return {key: {"population": population.get(key, 0), "covered": covered.get(key, 0)}
            for key in population.keys() | covered.keys()}


def fresh_months(area: Area, departements: list[str] | None = None) -> int | None:
    """The months of the freshness rule counted in « à jour » (« À jour (6 derniers mois) »): those of the
    département(s) of `area` (`departements` when the caller knows them); None when they mix different limits
    (« selon la règle de chaque département »)."""
    policy = FreshnessPolicy.objects.current()
    if policy.is_uniform():
        return policy.months_for(None)
    if departements is None:
        departements = list(Departement.objects.filter(
            Exists(area.communes().filter(departement_id=OuterRef("code")))).values_list("code", flat=True))
    months = {policy.months_for(code) for code in departements} or {policy.months_for(None)}
    return months.pop() if len(months) == 1 else None


def from_tallies(area: Area, counts: dict, departements: list[str] | None = None) -> dict:
    """The indicators of `area` from its additive counts (`departements`: those of the area, when known)."""
    count, population = counts.get("places", 0), counts.get("population", 0)
    covered = counts.get("covered", 0)
    weekly_hours = counts.get("minutes", 0) / 60
    shown = {name: counts.get(name, 0) for name in (*SLOT_RULES, *PLACE_COUNTS)}
    fee_counts = {code: counts.get(_fee(code), 0) for code in FEES}
    fee_unknown = count - counts.get("fee_stated", 0)
    # Opening on an evening or a weekend is known only for places with hours: the share is of those, and the
    # places left out are said (« horaires inconnus »), never counted as closed.
    with_hours = count - shown["no_hours"]
    return {
        "kind": area.kind, "code": area.code, "name": area.name,
        "population": population, "places": count,
        "places_per_10k": _per_10k(count, population),
        "population_with_place": covered, "population_with_place_share": _ratio(covered, population),
        "weekly_hours": weekly_hours, "weekly_hours_per_10k": _per_10k(weekly_hours, population),
        **shown,
        "with_hours": with_hours,
        **{f"{name}_share": _ratio(value, with_hours if name in SLOT_RULES else count)
           for name, value in shown.items()},
        "fees": fee_counts, "fee_unknown": fee_unknown,
        "fees_share": {code: _ratio(value, count) for code, value in fee_counts.items()},
        "fee_unknown_share": _ratio(fee_unknown, count),
        "fresh_months": fresh_months(area, departements),
    }


def summary(area: Area, *, now: dt.datetime | None = None, places: dict | None = None) -> dict:
    """The indicators of one territory. `places`: its place tallies when the caller already has them."""
    if places is None:
        places = place_tallies(area, now=now or timezone.now()).get(None, {})
    return from_tallies(area, {**places, **population_tallies(area).get(None, {})})


def departement_fingerprints() -> dict[str, tuple]:
    """For each département: how many public places, the sum of their ids, their latest update, and its
    freshness rule (months before « à vérifier » and before leaving the public pages). A place created,
    deleted, edited, published, folded or moved changes its département's line (a move both lines), and so does
    a change of its coordinators' rule; one pass over the places, with no join but their commune's."""
    policy = FreshnessPolicy.objects.current()
    rows = (Structure.objects.public().order_by().values(g=F("commune__departement_id"))
            .annotate(n=Count("pk"), ids=Sum("pk"), latest=Max("updated_at")))
    return {row["g"]: (row["n"], row["ids"], str(row["latest"]), policy.days_for(row["g"]),
                       policy.hide_by_departement.get(row["g"], 0))
            for row in rows if row["g"]}


def departement_place_tallies(*, now: dt.datetime, codes: list[str] | None = None) -> dict[str, dict]:
    """The place counts of every département (or of `codes`): one statement grouped by département."""
    within = None if codes is None else Q(commune__departement_id__in=codes)
    return place_tallies(france_area(), now=now, group=F("commune__departement_id"), within=within)


def national(*, now: dt.datetime | None = None, places: dict[str, dict] | None = None) -> dict[str, dict]:
    """The indicators of France, of every région and of every département, keyed by `Area.key`, from the
    départements' place counts (`places`, else computed) and population, added up for régions and France."""

    now = now or timezone.now()
    france = france_area()
    if places is None:
        places = departement_place_tallies(now=now)
    people = population_tallies(france, group="departement_id")
    result = {}
    in_region = defaultdict(list)
    codes: dict = defaultdict(list)  # the départements of each région
    for departement in Departement.objects.select_related("region").order_by("code"):
        counts = {**places.get(departement.code, {}), **people.get(departement.code, {})}
        in_region[departement.region].append(counts)
        area = departement_area(departement)
        result[area.key] = from_tallies(area, counts, [departement.code])
        codes[departement.region].append(departement.code)
    for region, rows in in_region.items():
        area = region_area(region)
        result[area.key] = from_tallies(area, _add(rows), codes[region])
    result[france.key] = from_tallies(france, _add(row for rows in in_region.values() for row in rows),
                                      [code for region_codes in codes.values() for code in region_codes])
    return result
