"""Counts shown next to each filter option, and what to relax when nothing matches.

Facets: one GROUP BY over the structure-term table gives every enumerated option's count at once.
For "all" vocabularies (a place must offer every ticked value) the count within the current selection is
exactly the number of results after ticking the option. For "any" vocabularies (type, fees, access,
itinerance: ticked values are alternatives) an active field's own options are counted with that field's
filter removed, as conditional counts in the same query, so a ticked "gratuit" does not show
"payant (0)". One query whatever the filters.
Relax counts: when a selection is empty, one aggregate counts the results with each active filter
removed in turn.
"""

from dataclasses import dataclass

from django.db.models import Count, Q

from actors.core.honest_facts import CLAIM_KINDS
from actors.directory import conditions as queries
from actors.directory import indexed
from actors.directory.filters import OPENING, TERM_FILTERS, StructureFilter
from actors.models import Structure


@dataclass
class Option:
    code: str
    label: str
    count: int | None  # None: not counted (a very broad text search)
    checked: bool


def _all(conditions) -> Q:
    combined = Q()
    for condition in conditions:
        combined &= condition
    return combined


def term_counts(filterset: StructureFilter) -> dict[int, int]:
    """{term id: count} for the current selection (see module docstring for "any" vocabularies)."""
    answer = indexed.answer(filterset)
    if answer is not None:
        return answer.term_counts()
    filterset.qs  # noqa: B018 - builds the conditions
    any_active = [name for name, (_kind, mode) in TERM_FILTERS.items()
                  if mode == "any" and name in filterset.conditions]
    if not any_active:
        through = Structure.terms.through
        selection = filterset.selection().values("pk")
        rows = (
            through.objects.filter(structure_id__in=selection)
            .exclude(term__kind__in=CLAIM_KINDS, structure__blanket_claims=True)  # blanket claims are no evidence
            .values("term_id").annotate(n=Count("id"))
        )
        return {row["term_id"]: row["n"] for row in rows}
    # Conditional counts over the structure x term join, each condition evaluated once per joined row;
    # (an IN (subquery) inside an aggregate FILTER is planned badly by PostgreSQL on small fresh tables).
    # Only places passing every other filter can count anywhere: when they are few, the join is first
    # narrowed to their ids (one query; a subquery instead is planned badly by PostgreSQL on fresh tables),
    # so the conditional counts run over that set rather than over the whole table.
    conditions = filterset.conditions
    any_conditions = {name: conditions[name] for name in any_active}
    evidence = ~Q(terms__kind__in=CLAIM_KINDS, blanket_claims=True)  # blanket claims are no evidence
    aggregates = {"n": Count("pk", filter=_all(any_conditions.values()) & evidence)}
    for name in any_active:
        others = [condition for other, condition in any_conditions.items() if other != name]
        aggregates[f"n_{name}"] = Count("pk", filter=_all(others) & evidence)
    ids = list(_without_any(filterset, any_active).values_list("pk", flat=True)[:NARROW_LIMIT + 1])
    narrowed = filterset.queryset.filter(pk__in=ids) if len(ids) <= NARROW_LIMIT else filterset.queryset
    rows = narrowed.order_by().values("terms", "terms__kind").annotate(**aggregates)
    kind_field = {TERM_FILTERS[name][0]: name for name in any_active}
    counts = {}
    for row in rows:
        if row["terms"] is None:
            continue
        own = kind_field.get(row["terms__kind"])
        counts[row["terms"]] = row[f"n_{own}"] if own else row["n"]
    return counts


NARROW_LIMIT = 5000


def _without_any(filterset: StructureFilter, names: list[str]):
    """The selection with the given "any" filters removed (all the others kept)."""
    filterset.qs  # noqa: B018
    return filterset.queryset.filter(*[c for n, c in filterset.conditions.items() if n not in names])


def options(filterset: StructureFilter, counts: dict[int, int] | None) -> dict[str, list[Option]]:
    """{URL parameter: [Option, ...]} in the vocabulary's order; counts None: options without counts."""
    data = filterset.cleaned
    result = {}
    for name, (kind, _mode) in TERM_FILTERS.items():
        checked = set(data.get(name) or [])
        result[name] = [
            Option(term.code, term.display_label, None if counts is None else counts.get(term.pk, 0),
                   term.code in checked)
            for term in filterset.terms if term.kind == kind
        ]
    return result


def relax_counts(filterset: StructureFilter) -> dict[str, int]:
    """{active filter name: results with that filter removed}, in one query."""
    answer = indexed.answer(filterset)
    if answer is not None:
        return answer.relax_counts()
    conditions = filterset.conditions
    if not conditions:
        return {}
    aggregates = {}
    for name in conditions:
        others = filterset.conditions_without(name)
        aggregates[f"without_{name}"] = Count("pk", filter=_all(others)) if others else Count("pk")
    totals = filterset.queryset.aggregate(**aggregates)
    return {name: totals[f"without_{name}"] for name in conditions}


@dataclass
class Totals:
    """The result count, and how many places an opening or fees filter left out for lack of information."""

    total: int
    unknown_hours: int | None = None
    unknown_fees: int | None = None


def totals(filterset: StructureFilter) -> Totals:
    """One query: the count of results, and, when an opening filter (or a fees filter) is active, the places
    that pass every other filter but publish no hours (or no fees) — never counted as open (or free)."""
    answer = indexed.answer(filterset)
    if answer is not None:
        return Totals(*answer.totals())
    filterset.qs  # noqa: B018 - builds the conditions
    conditions = filterset.conditions
    opening = [name for name in OPENING if name in conditions]
    fees = "frais" in conditions
    if not opening and not fees:
        text = filterset.text_search
        if text is not None and text.counted:
            return Totals(text.total)  # the matches are counted
        return Totals(filterset.selection().count())
    asked = set(opening) | ({"frais"} if fees else set())
    common = filterset.queryset.filter(*[c for n, c in conditions.items() if n not in asked])
    opening_condition = _all(conditions[name] for name in opening)
    fees_condition = conditions["frais"] if fees else Q()
    aggregates = {"total": Count("pk", filter=opening_condition & fees_condition)}
    if opening:
        aggregates["hours"] = Count("pk", filter=fees_condition & queries.hours_unknown())
    if fees:
        aggregates["fees"] = Count("pk", filter=opening_condition & queries.fees_unknown())
    counts = common.aggregate(**aggregates)
    return Totals(counts["total"], counts.get("hours"), counts.get("fees"))
