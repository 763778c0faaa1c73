"""Opening hours: validation of OSM strings and derivation of the weekly slots table."""

import datetime as dt

from opening_hours import OpeningHours, ParserError, State

# A week with no French public holiday, used to read the "typical" week of an OSM expression.
REFERENCE_MONDAY = dt.datetime(2025, 3, 10)


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
