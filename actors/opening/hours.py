"""Opening hours: validation of OSM strings and derivation of the weekly slots table."""

import datetime as dt
import re
from functools import lru_cache

from opening_hours import OpeningHours, ParserError, State  # type: ignore[attr-defined]  # not in its stubs

# A week with no French public holiday, used to read the "typical" week of an OSM expression.
REFERENCE_MONDAY = dt.datetime(2025, 3, 10)


_HOLIDAYS = OpeningHours("PH", country="FR")


class InvalidHours(ValueError):
    pass


def parse(horaires: str) -> OpeningHours:
    try:
        return OpeningHours(horaires, country="FR")
    except (ParserError, SyntaxError, ValueError) as error:
        raise InvalidHours(f"Horaires illisibles au format OpenStreetMap : « {horaires} »") from error


def weekly_slots(horaires: str) -> list[tuple[int, int, int]]:
    """(weekday, opens, closes) in minutes since midnight, for the typical week of `horaires`.

    An interval running past midnight is cut at 24:00 and continued the next day.
    """
    if not horaires.strip():
        return []
    hours = parse(horaires)
    end = REFERENCE_MONDAY + dt.timedelta(days=7)
    slots = []
    for start, stop, state, _comment in hours.intervals(REFERENCE_MONDAY, end):
        if state != State.OPEN:
            continue
        stop = min(stop, end)
        cursor = start
        while cursor < stop:
            day_end = dt.datetime.combine(cursor.date() + dt.timedelta(days=1), dt.time())
            piece_end = min(stop, day_end)
            opens = cursor.hour * 60 + cursor.minute
            closes = 1440 if piece_end == day_end else piece_end.hour * 60 + piece_end.minute
            if closes > opens:
                slots.append((cursor.weekday(), opens, closes))
            cursor = piece_end
    return slots


def format_minutes(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"


# Beyond the weekdays and times of a typical week: weeks, months, years, dates, school holidays, sun times.
_DATED = re.compile(
    r"\b(week|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|easter|SH|sunrise|sunset|dawn|dusk)\b|\d{4}|\[",
    re.IGNORECASE,
)
# How far ahead `varies` compares the dates with the typical week.
HORIZON = dt.timedelta(days=400)


def effective(horaires: str) -> OpeningHours | None:
    """The expression that says whether a place is open: public holidays closed unless it says otherwise.

    French public services close on public holidays even when their published hours forget to say so, so
    an expression that does not mention `PH` is read as if it ended with `; PH off`. None: no hours.
    """
    if not horaires.strip():
        return None
    if "PH" not in horaires:
        try:
            return parse(f"{horaires.strip().rstrip(';')}; PH off")
        except InvalidHours:
            pass
    try:
        return parse(horaires)
    except InvalidHours:
        return None


def day_intervals(expression: OpeningHours, day: dt.date) -> list[tuple[int, int]]:
    """Open intervals of one date, in minutes since its midnight, cut at midnight on both sides."""
    start = dt.datetime.combine(day, dt.time())
    end = start + dt.timedelta(days=1)
    found = []
    for begin, stop, state, _comment in expression.intervals(start, end):
        if state != State.OPEN:
            continue
        opens = int((max(begin, start) - start).total_seconds()) // 60
        closes = int((min(stop, end) - start).total_seconds()) // 60
        if closes > opens:
            found.append((opens, closes))
    return found


def days_intervals(expression: OpeningHours, first: dt.date, days: int) -> dict[dt.date, list[tuple[int, int]]]:
    """`day_intervals` of `days` dates from `first`, from one walk of the expression (one call per date
    costs 400 calls per rule for `varies`): each open interval is cut at every midnight it crosses."""
    start = dt.datetime.combine(first, dt.time())
    end = start + dt.timedelta(days=days)
    found: dict[dt.date, list[tuple[int, int]]] = {first + dt.timedelta(days=n): [] for n in range(days)}
    for begin, stop, state, _comment in expression.intervals(start, end):
        if state != State.OPEN:
            continue
        begin, stop = max(begin, start), min(stop, end)
        while begin < stop:
            midnight = dt.datetime.combine(begin.date(), dt.time())
            cut = min(stop, midnight + dt.timedelta(days=1))
            opens = int((begin - midnight).total_seconds()) // 60
            closes = int((cut - midnight).total_seconds()) // 60
            if closes > opens:
                found[begin.date()].append((opens, closes))
            begin = cut
    return found


@lru_cache(maxsize=4096)
def is_public_holiday(day: dt.date) -> bool:
    return _HOLIDAYS.is_open(dt.datetime.combine(day, dt.time(12)))


@lru_cache(maxsize=4096)
def varies(horaires: str, today: dt.date, *, walk_always: bool = False) -> bool:
    """Whether the weekly slots fail to tell some date: the SQL filters then ask opening_hours instead.

    True for rules on weeks, months, years or dates, openings on public holidays, intervals across
    midnight, and any expression whose next HORIZON of dates differs from its typical week. A rule with no
    date selector that does not name public holidays (`effective` closes them) is the same every week but on
    public holidays, which the comparison expects closed: its dates are not walked (most of an import's
    CPU otherwise; `walk_always` walks them, for the test that checks this shortcut on the whole demo).
    """
    expression = effective(horaires)
    if expression is None:
        return False
    if _DATED.search(horaires):
        return True
    typical: dict[int, list[tuple[int, int]]] = {}
    for weekday, opens, closes in weekly_slots(horaires):
        typical.setdefault(weekday, []).append((opens, closes))
    if any(opens == 0 and (weekday - 1) % 7 in typical and typical[(weekday - 1) % 7][-1][1] == 1440
           for weekday, slots in typical.items() for opens, _closes in slots[:1]):
        return True
    if "PH" not in horaires and not walk_always:
        return False
    for day, intervals in days_intervals(expression, today, HORIZON.days).items():
        expected = [] if is_public_holiday(day) else typical.get(day.weekday(), [])
        if intervals != expected:
            return True
    return False
