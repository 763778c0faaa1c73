"""The directory's filters answered from the place index (actors/index/), with the same meaning as their SQL
conditions (actors/directory/conditions.py, actors/directory/filters.py).

A filter set is answered here when its base is the public places and it has no text: terms, needs, territory,
QPV, opening (real dates, holidays and closures included), missing information and freshness are held by the
index; « près de » is the ids the database finds in the circle (box and distance: as many as the area holds),
then intersected here. Text and a territory page's own base are not: those filter sets keep the SQL conditions,
so every answer stays the database's. `tests/actors/test_index_agrees.py` compares both on
many random filter sets over the whole demo.
"""

from functools import cached_property

import numpy as np
from django.utils import timezone
from pyroaring import BitMap

from actors.core.honest_facts import CLAIM_KINDS
from actors.directory import conditions as queries
from actors.directory.conditions import DatedClosure
from actors.directory.filters import OPENING, TERM_FILTERS, StructureFilter
from actors.index import places
from actors.models import FreshnessPolicy, Structure
from actors.opening import status
from actors.opening import window as when
from actors.opening.status import is_public_holiday
from actors.vocabulary.enums import SERVICE_GROUPS, TermKind

# Filters whose answer the index does not hold: their filter sets are answered by the database alone.
# Filters the index does not hold: text (ranked in SQL) and « un atelier cette semaine » (sessions move with the
# clock, not with the data version). A filter set using one is answered by the database alone.
NOT_INDEXED = ("q", "ateliers")


class Answer:
    """Bitmaps of one filter set's conditions over the index's positions (all within the public places)."""

    def __init__(self, filterset: StructureFilter, index: places.PlaceIndex):
        self.filterset = filterset
        self.index = index
        self.now = filterset.now or timezone.now()
        policy = FreshnessPolicy.objects.current()
        # Structure.objects.public() hides at this moment, whatever moment the filters ask about.
        self.public = index.listed - index.hidden(policy, timezone.now())
        self.policy = policy
        self._open: dict[when.Window, BitMap] = {}
        self.conditions = self._conditions()

    # -- one bitmap per active condition, as filters.filter_queryset writes them in SQL --------------
    def _conditions(self) -> dict[str, BitMap]:
        data, index = self.filterset.cleaned, self.index
        conditions: dict[str, BitMap] = {}
        for name, (kind, mode) in TERM_FILTERS.items():
            codes = data.get(name) or []
            if codes:
                ids = self.filterset.term_ids(kind, codes)
                evidence = self.public - index.blanket if kind in CLAIM_KINDS else self.public
                if mode == "all":
                    conditions[name] = BitMap.intersection(evidence, *(self._term(pk) for pk in ids))
                else:
                    conditions[name] = evidence & BitMap.union(*(self._term(pk) for pk in ids))
        if data.get("besoin"):
            conditions["besoin"] = BitMap.intersection(self.public, *(
                BitMap.union(*(self._term(pk) for pk in self.filterset.term_ids(TermKind.SERVICES, codes)))
                for _label, codes in (SERVICE_GROUPS[need] for need in data["besoin"])))
        for name, territories in (("departement", index.departement), ("epci", index.epci),
                                  ("commune", index.commune)):
            if data.get(name):
                conditions[name] = territories.get(data[name], BitMap())
        if data.get("qpv"):
            conditions["qpv"] = index.near_qpv(code=self.filterset.qpv_code, within_m=self.filterset.qpv_within_m)
        opening_names = [name for name in OPENING if data.get(name)]
        if opening_names:
            conditions[opening_names[0]] = self.open_during(self.filterset.window)
            conditions.update((name, self.public) for name in opening_names[1:])  # all asked in the first one
        for value in data.get("inconnu") or []:
            unknown = index.no_hours if value == "horaires" else self.fees_unknown
            conditions["inconnu"] = conditions.get("inconnu", self.public) & unknown
        if data.get("fraicheur"):
            stale = index.stale(self.policy, self.now)
            conditions["fraicheur"] = stale if data["fraicheur"] == "a-verifier" else self.public - stale
        point = self.filterset.point
        if point is not None:  # the circle is the database's: its spatial index, then a distance per place of the box
            circle = Structure.objects.filter(queries.near(point, self.filterset.radius_km))
            conditions["pres_de"] = index.positions_of(np.fromiter(circle.values_list("pk", flat=True), np.int64))
        return conditions

    def _term(self, pk: int) -> BitMap:
        return self.index.terms.get(pk, BitMap())

    @cached_property
    def fees_unknown(self) -> BitMap:
        fees = [term.pk for term in self.filterset.terms if term.kind == TermKind.FRAIS]
        return self.public - BitMap.union(BitMap(), *(self._term(pk) for pk in fees))

    # -- opening: conditions.open_during over the index ----------------------------------------------
    def open_during(self, window: when.Window) -> BitMap:
        """Places settled one by one by `Window.holds` (hours that vary, a closure in the coming week), or
        regular ones whose weekly slots hold the question on a date of the window that is no public holiday."""
        if window not in self._open:
            days = when.coming_days(status.local_naive(self.now).date())
            settled = BitMap(position for position, (horaires, closures) in
                             self.index.uncertain(days[0], days[-1]).items()
                             if window.holds(horaires, [DatedClosure(*closure) for closure in closures]))
            open_places = settled & self.public
            regular = [day.weekday() for day in window.days if not is_public_holiday(day)]
            if regular:
                slots = self.index.open_in_slots(regular, at=window.at, evening=window.evening)
                closed = self.index.closed_between(window.days[0], window.days[-1])
                open_places |= (self.public - self.index.hours_vary - closed) & slots
            self._open[window] = open_places
        return self._open[window]

    # -- what the list shows: facets.totals, facets.term_counts, facets.relax_counts, page ids ---------
    def selection(self, without: str = "") -> BitMap:
        return BitMap.intersection(self.public, *(c for name, c in self.conditions.items() if name != without))

    def without(self, name: str) -> BitMap:
        """facets.relax_counts' « without this filter » (an opening filter's question asked again without it)."""
        if name not in OPENING:
            return self.selection(without=name)
        others = [c for n, c in self.conditions.items() if n not in OPENING]
        rest = [n for n in OPENING if n in self.conditions and n != name]
        if rest:
            others.append(self.open_during(self.filterset._window(self.filterset.cleaned, {name})))
        return BitMap.intersection(self.public, *others)

    @cached_property
    def result(self) -> BitMap:
        return self.selection()

    def totals(self) -> tuple[int, int | None, int | None]:
        """facets.totals: results, places left out for want of hours, for want of fees."""
        opening = [name for name in OPENING if name in self.conditions]
        fees = "frais" in self.conditions
        if not opening and not fees:
            return len(self.result), None, None
        asked = set(opening) | ({"frais"} if fees else set())
        common = BitMap.intersection(self.public, *(c for n, c in self.conditions.items() if n not in asked))
        opened = BitMap.intersection(common, *(self.conditions[name] for name in opening))
        fees_condition = self.conditions["frais"] if fees else common
        hours = common.intersection_cardinality(fees_condition & self.index.no_hours) if opening else None
        unknown_fees = opened.intersection_cardinality(self.fees_unknown) if fees else None
        return opened.intersection_cardinality(fees_condition), hours, unknown_fees

    def term_counts(self) -> dict[int, int]:
        """facets.term_counts: an "any" field's own options are counted without that field's filter."""
        any_active = [name for name, (_kind, mode) in TERM_FILTERS.items()
                      if mode == "any" and name in self.conditions]
        among = {TERM_FILTERS[name][0]: self.selection(without=name) for name in any_active}
        counts = {}
        for term in self.filterset.terms:
            bitmap = self.index.terms.get(term.pk)
            if bitmap is None:
                continue
            selection = among.get(term.kind, self.result)
            if term.kind in CLAIM_KINDS:
                selection = selection - self.index.blanket
            count = selection.intersection_cardinality(bitmap)
            if count:
                counts[term.pk] = count
        return counts

    def relax_counts(self) -> dict[str, int]:
        return {name: len(self.without(name)) for name in self.conditions}

    def page_ids(self, bottom: int, top: int) -> list[int]:
        """The ids of a page of the list sorted by name (positions are in that order)."""
        return self.index.ids(self.result[bottom:top])

    def ids(self) -> list[int]:
        return self.id_array().tolist()

    def id_array(self) -> np.ndarray:
        """The results' ids in the list's order by name."""
        return self.index.pks[np.asarray(self.result.to_array(), dtype=np.int64)]


def answer(filterset: StructureFilter) -> Answer | None:
    """The index's answer for this filter set, or None when the database must answer (see module docstring)."""
    if not places.answers_for(filterset.queryset):
        return None
    cached = getattr(filterset, "_index_answer", False)
    if cached is not False:
        return cached
    filterset.qs  # noqa: B018 - cleans the data, fills the window
    data = filterset.cleaned
    result = None
    if not any(data.get(name) not in (None, "") for name in NOT_INDEXED):
        index = places.current()
        result = None if index is None else Answer(filterset, index)
    filterset._index_answer = result
    return result
