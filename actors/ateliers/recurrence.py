"""RFC 5545 recurrences expanded into dated sessions, within a horizon: a rule that never ends gives the sessions
of the coming HORIZON_DAYS, and the next import (or the periodic refresh) adds the following ones."""

import datetime as dt
from dataclasses import dataclass

from dateutil import rrule

HORIZON_DAYS = 180
# Sessions already over are kept a little (a social worker may look up last week's), not imported from years ago.
PAST_DAYS = 30
# A rule expanded beyond this many sessions within the horizon (every minute…) is a feed error, not a workshop.
MAX_SESSIONS = 400


# Hourly or finer rules are never workshops, and would be walked one occurrence at a time from their first date.
ALLOWED_FREQUENCIES = (rrule.YEARLY, rrule.MONTHLY, rrule.WEEKLY, rrule.DAILY)


class RecurrenceError(ValueError):
    pass


@dataclass(frozen=True)
class Expansion:
    starts: list[dt.datetime]
    endless: bool  # the rule has no UNTIL nor COUNT: cut at the horizon
    capped: bool  # more than MAX_SESSIONS within the horizon: cut there


def window(now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    return now - dt.timedelta(days=PAST_DAYS), now + dt.timedelta(days=HORIZON_DAYS)


def expand(*, first: dt.datetime, rule: str, exdates: list[dt.datetime], rdates: list[dt.datetime],
           now: dt.datetime) -> Expansion:
    """The starts of a series (`first`, aware) inside the window around `now`, without its EXDATEs.

    The rule is read in the series' own time zone (a weekly 14:00 stays 14:00 across daylight saving time).
    """
    start, end = window(now)
    excluded = {moment.astimezone(dt.UTC) for moment in exdates}
    starts: set[dt.datetime] = set()
    endless = capped = False
    if rule:
        try:
            parsed = rrule.rrulestr(rule, dtstart=first)
        except (ValueError, TypeError) as error:
            raise RecurrenceError(str(error)) from error
        if not isinstance(parsed, rrule.rrule) or parsed._freq not in ALLOWED_FREQUENCIES:
            raise RecurrenceError(rule)
        parts = {part.split("=", 1)[0].strip().upper() for part in rule.split(";")}
        endless = not parts & {"UNTIL", "COUNT"}
        for moment in parsed.xafter(start - dt.timedelta(days=1), inc=True):
            if moment > end:
                break
            if len(starts) >= MAX_SESSIONS:
                capped = True
                break
            starts.add(moment)
    else:
        starts.add(first)
    starts.update(rdates)
    kept = sorted(
        moment for moment in starts
        if start <= moment <= end and moment.astimezone(dt.UTC) not in excluded
    )
    return Expansion(starts=kept, endless=endless, capped=capped)
