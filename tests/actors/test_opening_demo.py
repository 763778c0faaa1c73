"""Every demo place, every opening question of a fixed week, against opening_hours on the place's own hours.

The week of Monday 9 November 2026 holds a French public holiday (Wednesday 11 November), and one demo
place in seven gets a temporary closure over part of it. The filters' answers (SQL, through StructureFilter)
must equal what opening_hours says, place by place: 0 disagreements. The oracle below reads each place's
`horaires` with opening_hours directly; the only convention it shares with the product is the documented
one that French public services close on public holidays unless their hours mention `PH`.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.http import QueryDict
from opening_hours import OpeningHours, State

from actors.directory.filters import WEEKDAYS, StructureFilter
from actors.models import Structure, TemporaryClosure
from tests.fixtures.demo import whole_demo

PARIS = ZoneInfo("Europe/Paris")
MONDAY = dt.date(2026, 11, 9)
WEEK = [MONDAY + dt.timedelta(days=offset) for offset in range(7)]
HOLIDAY = dt.date(2026, 11, 11)
# (first day offset, last day offset) from MONDAY, by place index modulo 7 == 0: before, inside and across.
CLOSURES = [(-3, 0), (2, 2), (4, 8), (0, 6), (5, 5), (-10, -1)]


@pytest.fixture(scope="module")
def demo_week(django_db_setup, django_db_blocker):
    """The whole shipped demo, with closures, restored once for the module and rolled back after it."""
    with whole_demo(django_db_blocker):
        places = list(Structure.objects.order_by("slug").values_list("pk", "horaires"))
        closures = []
        for index, pk in enumerate(pk for pk, horaires in places if horaires):
            if index % 7 == 0:
                first, last = CLOSURES[(index // 7) % len(CLOSURES)]
                closures.append(TemporaryClosure(structure_id=pk, reason="travaux",
                                                 starts_on=MONDAY + dt.timedelta(days=first),
                                                 ends_on=MONDAY + dt.timedelta(days=last)))
        TemporaryClosure.objects.bulk_create(closures)
        closed: dict[int, list[tuple[dt.date, dt.date]]] = {}
        for closure in closures:
            closed.setdefault(closure.structure_id, []).append((closure.starts_on, closure.ends_on))
        yield {"places": places, "oracle": Oracle(places, closed)}


class Oracle:
    """opening_hours on each place's own string, the closures as dated records, nothing from the product."""

    def __init__(self, places, closed):
        self.expressions = {}
        for pk, horaires in places:
            if horaires.strip():
                text = horaires if "PH" in horaires else horaires.strip().rstrip(";") + "; PH off"
                self.expressions[pk] = OpeningHours(text, country="FR")
        self.closed = closed
        self._days: dict[tuple[int, dt.date], list[tuple[dt.datetime, dt.datetime]]] = {}

    def is_closed(self, pk: int, day: dt.date) -> bool:
        return any(first <= day <= last for first, last in self.closed.get(pk, []))

    def open_intervals(self, pk: int, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
        key = (pk, day)
        if key not in self._days:
            start = dt.datetime.combine(day, dt.time())
            end = start + dt.timedelta(days=1)
            self._days[key] = [(max(a, start), min(b, end)) for a, b, state, _c in
                               self.expressions[pk].intervals(start, end) if state == State.OPEN and b > start]
        return self._days[key]

    def open_on(self, pk: int, day: dt.date, at: dt.time | None, evening: bool) -> bool:
        if pk not in self.expressions or self.is_closed(pk, day):
            return False
        intervals = self.open_intervals(pk, day)
        if at is not None:
            moment = dt.datetime.combine(day, at)
            if not any(a <= moment < b for a, b in intervals):
                return False
        if evening and not any(b > dt.datetime.combine(day, dt.time(18)) for _a, b in intervals):
            return False
        return bool(intervals)

    def open_now(self, pk: int, moment: dt.datetime) -> bool:
        if pk not in self.expressions or self.is_closed(pk, moment.date()):
            return False
        return self.expressions[pk].state(moment)[0] == State.OPEN


def answered(query: str, now: dt.datetime) -> set[int]:
    filterset = StructureFilter(QueryDict(query), queryset=Structure.objects.all(), now=now)
    assert filterset.notices == [], filterset.notices
    return set(filterset.qs.values_list("pk", flat=True))


def disagreements(got: set[int], expected: set[int]) -> dict:
    return {"returned but closed": sorted(got - expected)[:10], "open but missing": sorted(expected - got)[:10]}


QUESTIONS = [
    (weekday, hour, evening, weekend)
    for weekday in [None, *range(7)]
    for hour in [None, "10", "17:30"]
    for evening in (False, True)
    for weekend in (False, True)
    if not (weekend and weekday is not None and weekday < 5) and (weekday, hour, evening, weekend) != (None, None,
                                                                                                     False, False)
]


@pytest.mark.django_db
def test_every_day_hour_and_evening_question_agrees_with_opening_hours(demo_week):
    oracle, places = demo_week["oracle"], demo_week["places"]
    now = dt.datetime.combine(MONDAY, dt.time(8), tzinfo=PARIS)
    failures = {}
    for weekday, hour, evening, weekend in QUESTIONS:
        parameters = []
        days = WEEK
        if weekday is not None:
            parameters.append(f"jour={WEEKDAYS[weekday][0]}")
            days = [WEEK[weekday]]
        if weekend:
            parameters.append("weekend=1")
            days = [day for day in days if day.weekday() >= 5]
        at = None
        if hour:
            parameters.append(f"heure={hour}")
            at = dt.time(*map(int, hour.split(":"))) if ":" in hour else dt.time(int(hour))
        if evening:
            parameters.append("soir=1")
        query = "&".join(parameters)
        expected = {pk for pk, _h in places if any(oracle.open_on(pk, day, at, evening) for day in days)}
        got = answered(query, now)
        if got != expected:
            failures[query] = disagreements(got, expected)
    assert failures == {}
    assert len(QUESTIONS) == 65


@pytest.mark.django_db
def test_open_now_agrees_with_opening_hours_every_half_hour_of_the_week(demo_week):
    oracle, places = demo_week["oracle"], demo_week["places"]
    failures = {}
    open_somewhere = 0
    for step in range(7 * 48):
        moment = dt.datetime.combine(MONDAY, dt.time()) + dt.timedelta(minutes=30 * step)
        expected = {pk for pk, _h in places if oracle.open_now(pk, moment)}
        got = answered("ouvert=maintenant", moment.replace(tzinfo=PARIS))
        open_somewhere += bool(got)
        if got != expected:
            failures[moment.isoformat()] = disagreements(got, expected)
    assert failures == {}
    assert open_somewhere > 50  # the week is not trivially closed


@pytest.mark.django_db
def test_the_holiday_and_the_closures_remove_places_the_typical_week_would_list(demo_week):
    now = dt.datetime.combine(MONDAY, dt.time(8), tzinfo=PARIS)
    wednesday = answered("jour=mercredi", now)
    thursday = answered("jour=jeudi", now)
    typical_wednesday = set(Structure.objects.filter(slots__weekday=2).values_list("pk", flat=True))
    assert len(typical_wednesday) > 500 and len(wednesday) < 20  # 11 November: only hours that open on PH
    closed_thursday = set(TemporaryClosure.objects.filter(starts_on__lte=WEEK[3], ends_on__gte=WEEK[3])
                          .values_list("structure_id", flat=True))
    assert closed_thursday and not closed_thursday & thursday
