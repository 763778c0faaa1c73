"""The index: every listed place (published, one per folded group) as a position in the (nom, id) order.

Why positions in that order: the n-th result of a selection sorted by name is then the n-th member of its
bitmap (`BitMap[i]`), so a page of any filtered list is picked without sorting. The order comes from the
database's own ORDER BY, so it follows its collation on both engines.

Why listed and not public: the freshness policy hides places as time passes, without a data change; the
hidden ones are found at each question from the dates kept here (`hidden`), as `Policy.hidden_condition` does.

Kept in each process per data version (actors/models/version.py): a change of a place, a closure or a policy
moves the version, and the next question rebuilds the index.
"""

import datetime as dt
import logging
import threading
from dataclasses import dataclass, field

import numpy as np
from django.conf import settings
from django.db import connections
from django.db.models import Q
from django.utils import timezone
from pyroaring import BitMap

from actors.freshness.rule import Policy
from actors.models import Structure, StructureQPV, TemporaryClosure, Term, WeeklySlot
from actors.models.version import data_version
from actors.opening.window import EVENING_MINUTE

logger = logging.getLogger(__name__)
NO_DATE = np.iinfo(np.int32).max  # never "older than": SQL's NULL < x is not true
SLOT_MEMO_SIZE = 256  # (weekday, minute, evening) answers kept per index: ~50 KB each at 100,000 places


@dataclass
class PlaceIndex:
    version: str
    pks: np.ndarray  # position -> pk
    listed: BitMap
    terms: dict[int, BitMap]  # term id -> places carrying it (blanket claims included)
    blanket: BitMap
    departement: dict[str, BitMap]
    epci: dict[str, BitMap]
    commune: dict[str, BitMap]  # a city's code holds its arrondissements (structure.in_commune)
    no_hours: BitMap
    hours_vary: BitMap
    departements: list[str]  # code of each value of `departement_of`
    departement_of: np.ndarray  # position -> index in `departements`, -1 without a commune
    date_maj: np.ndarray  # ordinal
    verified_at: np.ndarray  # POSIX seconds, -inf when never verified
    qpv: tuple[np.ndarray, np.ndarray, np.ndarray]  # (position, qpv code index, distance_m)
    qpv_codes: dict[str, int]
    slots: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # (position, weekday, opens, closes)
    closures: tuple[np.ndarray, np.ndarray, np.ndarray]  # (position, first ordinal, last ordinal)
    lookup: "_Positions"
    closures_of: dict[int, list[tuple[dt.date, dt.date]]] = field(default_factory=dict)
    slot_memo: dict[tuple, BitMap] = field(default_factory=dict)
    horaires_of: dict[int, str] = field(default_factory=dict)  # varying or closed places only

    def positions_of(self, pks: np.ndarray) -> BitMap:
        """The positions of those of `pks` that are listed (the others are ignored)."""
        return BitMap(self.lookup.of(pks)[0].tolist())

    def ids(self, positions) -> list[int]:
        return [int(self.pks[position]) for position in positions]

    # -- facts that move with time rather than with the data ----------------------------------------
    def older_than(self, now: dt.datetime, days: int) -> np.ndarray:
        """`actors.freshness.rule._older_than`, for every position."""
        limit = now - dt.timedelta(days=days)
        return (self.date_maj < timezone.localdate(limit).toordinal()) & (self.verified_at < limit.timestamp())

    def in_departements(self, codes) -> np.ndarray:
        wanted = [index for index, code in enumerate(self.departements) if code in set(codes)]
        return np.isin(self.departement_of, wanted)

    def hidden(self, policy: Policy, now: dt.datetime) -> BitMap:
        """`Policy.hidden_condition`: places a département's coordinators take off the public pages."""
        mask = np.zeros(len(self.pks), bool)
        for departement, days in policy.hide_by_departement.items():
            mask |= self.in_departements([departement]) & self.older_than(now, days)
        return _bitmap(mask)

    def stale(self, policy: Policy, now: dt.datetime) -> BitMap:
        """`Policy.stale_condition`: « à vérifier »."""
        mask = ~self.in_departements(policy.by_departement) & self.older_than(now, policy.default_days)
        for departement, days in policy.by_departement.items():
            mask |= self.in_departements([departement]) & self.older_than(now, days)
        return _bitmap(mask)

    def uncertain(self, first: dt.date, last: dt.date) -> dict[int, tuple[str, list[tuple[dt.date, dt.date]]]]:
        """actors.directory.conditions.uncertain over the index: {position: (horaires, [(first, last) of each
        closure])} of the places with hours that vary or a closure between `first` and `last`, hours known."""
        candidates = (self.hours_vary | self.closed_between(first, last)) - self.no_hours
        return {position: (self.horaires_of[position], self.closures_of.get(position, [])) for position in candidates}

    def near_qpv(self, *, code: str | None, within_m: int) -> BitMap:
        positions, codes, distances = self.qpv
        mask = distances <= within_m
        if code is not None:
            mask &= codes == self.qpv_codes.get(code, -1)
        return BitMap(positions[mask].tolist())

    def closed_between(self, first: dt.date, last: dt.date) -> BitMap:
        positions, starts, ends = self.closures
        return BitMap(positions[(starts <= last.toordinal()) & (ends >= first.toordinal())].tolist())

    def open_in_slots(self, weekdays: list[int], *, at: int | None, evening: bool) -> BitMap:
        """Places whose weekly slots hold the question on one of `weekdays` (conditions.open_during's EXISTS)."""
        return BitMap.union(BitMap(), *(self._open_on(day, at, evening) for day in weekdays))

    def _open_on(self, day: int, at: int | None, evening: bool) -> BitMap:
        """One weekday's answer, kept: the same few days and hours are asked again and again (a bounded memo)."""
        key = (day, at, evening)
        if key not in self.slot_memo:
            if len(self.slot_memo) >= SLOT_MEMO_SIZE:
                self.slot_memo.clear()
            positions, weekday, opens, closes = self.slots
            on_day = slice(*np.searchsorted(weekday, [day, day + 1]))  # the slots are sorted by weekday
            positions, opens, closes = positions[on_day], opens[on_day], closes[on_day]
            mask = np.ones(len(positions), bool)
            if at is not None:
                mask &= (opens <= at) & (closes > at)
            elif evening:
                mask &= closes > EVENING_MINUTE
            matched = BitMap(positions[mask].tolist())
            if evening and at is not None:  # the evening opening falls on the same date as the one at `at`
                matched &= BitMap(positions[closes > EVENING_MINUTE].tolist())
            self.slot_memo[key] = matched
        return self.slot_memo[key]


def _bitmap(mask: np.ndarray) -> BitMap:
    return BitMap(np.flatnonzero(mask).astype(np.uint32).tolist())


def _columns(queryset, *fields: str) -> list[np.ndarray]:
    """Integer columns of a query, read in chunks straight into arrays (no list of a million tuples)."""
    rows = queryset.order_by().values_list(*fields).iterator(chunk_size=50000)
    flat = np.fromiter((value for row in rows for value in row), np.int64)
    return list(flat.reshape(-1, len(fields)).T)


class _Positions:
    """pk -> position, vectorised: the positions of the listed places among the pks of a query."""

    def __init__(self, pks: np.ndarray):
        self.order = np.argsort(pks)
        self.sorted = pks[self.order]

    def of(self, pks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(positions, mask of `pks` that are listed)."""
        found = np.minimum(np.searchsorted(self.sorted, pks), max(len(self.sorted) - 1, 0))
        listed = self.sorted[found] == pks if len(self.sorted) else np.zeros(len(pks), bool)
        return self.order[found[listed]], listed


def build(version: str) -> PlaceIndex:
    """Read the listed places and their facts (six queries; the term links, the largest, as integer arrays)."""
    rows = list(Structure.objects.listed().order_by("nom", "pk").values_list(
        "pk", "commune_id", "commune__departement_id", "commune__epci_id", "commune__parent_id", "hours_vary",
        "blanket_claims", "date_maj", "verified_at").iterator(chunk_size=50000))
    count = len(rows)
    pks = np.fromiter((row[0] for row in rows), np.int64, count)
    positions = _Positions(pks)
    departements = sorted({row[2] for row in rows if row[2]})
    departement_index = {code: index for index, code in enumerate(departements)}
    departement, epci, commune = {}, {}, {}
    hours_vary, blanket = BitMap(), BitMap()
    for position, (_pk, commune_id, dep, epci_id, parent, vary, blanket_claims, _d, _v) in enumerate(rows):
        if dep:
            departement.setdefault(dep, BitMap()).add(position)
        if epci_id:
            epci.setdefault(epci_id, BitMap()).add(position)
        for code in {commune_id, parent} - {None}:
            commune.setdefault(code, BitMap()).add(position)
        if vary:
            hours_vary.add(position)
        if blanket_claims:
            blanket.add(position)
    departement_of = np.fromiter((departement_index.get(row[2], -1) for row in rows), np.int16, count)
    date_maj = np.fromiter((row[7].toordinal() if row[7] else NO_DATE for row in rows), np.int32, count)
    verified_at = np.fromiter((row[8].timestamp() if row[8] else -np.inf for row in rows), np.float64, count)
    del rows
    no_hours = BitMap(positions.of(np.fromiter(Structure.objects.listed().filter(horaires="").values_list(
        "pk", flat=True).iterator(chunk_size=50000), np.int64))[0].tolist())

    # One query per term and per weekday: the largest tables (12 links and 6 slots a place) are never held whole
    # in memory while the index is built (at 1,000,000 places, 200 MB each as one array).
    terms = {}
    for term_id in Term.objects.values_list("pk", flat=True):
        term_pks, = _columns(Structure.terms.through.objects.filter(term_id=term_id), "structure_id")
        term_positions, _listed = positions.of(term_pks)
        if len(term_positions):
            terms[term_id] = BitMap(term_positions.tolist())
    qpv_rows = list(StructureQPV.objects.values_list("structure_id", "qpv_id", "distance_m"))
    qpv_positions, listed = positions.of(np.array([row[0] for row in qpv_rows], np.int64))
    qpv_codes = {code: index for index, code in enumerate(sorted({row[1] for row in qpv_rows}))}
    qpv = (qpv_positions, np.array([qpv_codes[row[1]] for row in qpv_rows], np.int64)[listed],
           np.array([row[2] for row in qpv_rows], np.int64)[listed])
    days = []
    for day in range(7):
        slot_pks, opens, closes = _columns(WeeklySlot.objects.filter(weekday=day), "structure_id", "opens", "closes")
        slot_positions, listed = positions.of(slot_pks)
        # Narrow types: the slots are the largest arrays (six a place).
        days.append((slot_positions.astype(np.int32), np.full(len(slot_positions), day, np.int8),
                     opens[listed].astype(np.int16), closes[listed].astype(np.int16)))
    slots = tuple(np.concatenate([day[column] for day in days]) for column in range(4))
    closure_rows = list(TemporaryClosure.objects.values_list("structure_id", "starts_on", "ends_on"))
    closure_positions, listed = positions.of(np.array([row[0] for row in closure_rows], np.int64))
    closure_rows = [row for row, kept in zip(closure_rows, listed, strict=True) if kept]
    closures_of: dict[int, list] = {}
    for position, (_pk, starts_on, ends_on) in zip(closure_positions.tolist(), closure_rows, strict=True):
        closures_of.setdefault(position, []).append((starts_on, ends_on))
    closures = (closure_positions, np.array([row[1].toordinal() for row in closure_rows], np.int64),
                np.array([row[2].toordinal() for row in closure_rows], np.int64))
    # Hours are read only for the places the weekly slots cannot settle (conditions.uncertain).
    apart = list(Structure.objects.listed().exclude(horaires="").filter(
        Q(hours_vary=True) | Q(pk__in=TemporaryClosure.objects.values("structure_id"))).values_list("pk", "horaires"))
    apart_positions, listed = positions.of(np.array([pk for pk, _horaires in apart], np.int64))
    horaires_of = dict(zip(apart_positions.tolist(), [h for (_pk, h), kept in zip(apart, listed, strict=True) if kept],
                           strict=True))
    return PlaceIndex(
        version=version, pks=pks, listed=BitMap(range(count)), terms=terms, blanket=blanket,
        departement=departement, epci=epci, commune=commune, no_hours=no_hours, hours_vary=hours_vary,
        departements=departements, departement_of=departement_of, date_maj=date_maj, verified_at=verified_at,
        qpv=qpv, qpv_codes=qpv_codes, slots=slots, closures=closures, lookup=positions, closures_of=closures_of,
        horaires_of=horaires_of)


def answers_for(queryset) -> bool:
    """The index holds this selection: exactly `Structure.objects.public()`, no further filter."""
    return settings.PLACE_INDEX and getattr(queryset, "is_exactly_public", False)


_kept: PlaceIndex | None = None
_building: str | None = None  # the version a thread of this process is building
_lock = threading.Lock()


def current() -> PlaceIndex | None:
    """The index of the data version this request reads, or None while it is being built (the caller then answers
    from SQL). A build takes seconds (tens at 1,000,000 places): run in a request, it would hold the worker and
    meet the query time limit (actors/timelimit.py), so it runs in a thread of the process, on its own database
    connection, one at a time; settings.PLACE_INDEX_IN_BACKGROUND false builds it in the request (tests, whose data
    lives in a transaction no other connection sees)."""
    version = data_version()
    kept = _kept
    if kept is not None and kept.version == version:
        return kept
    if not settings.PLACE_INDEX_IN_BACKGROUND:
        return _keep(build(version))
    global _building
    with _lock:
        if _building is None:
            _building = version
            threading.Thread(target=_build_apart, args=(version,), name="place-index", daemon=True).start()
    return None


def ready() -> bool:
    """Whether this process holds the index of the current data version (the benchmark waits for it)."""
    kept = _kept
    return kept is not None and kept.version == data_version()


def _keep(index: PlaceIndex) -> PlaceIndex:
    global _kept
    with _lock:
        _kept = index
    return index


def _build_apart(version: str) -> None:
    global _building
    try:
        index = build(version)
        # Kept only if nothing changed while it was read: it must hold exactly its version's data.
        if data_version() == version:
            _keep(index)
    except Exception:
        logger.exception("Place index not built")
    finally:
        connections.close_all()
        with _lock:
            _building = None
