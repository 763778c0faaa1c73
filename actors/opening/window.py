"""The question every opening filter asks — open on which dates, at what time — and its answer for one place.

One rule for the list, the map data, the exports and the referral sheet: a place answers a `Window` when,
on one of its dates not covered by a temporary closure, its own hours (opening_hours, French public
holidays closed unless the hours say otherwise) hold an opening at `at`, and one ending after 18:00 when
`evening` is asked. The dates are always real ones, from the coming seven days: « ouvert le samedi » is the
next Saturday (today when today is a Saturday), « le week-end » the coming Saturday and Sunday, « après
18 h » alone any evening of the coming week, « maintenant » today at this minute.

queries.open_during writes the same rule in SQL on the weekly slots; it is exact for places whose typical
week tells every date (hours.varies is False, stored as Structure.hours_vary) and the places whose hours
vary (week parity, months, holiday openings) are settled here, in Python, by `passing_days`.
"""

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from opening_hours import OpeningHours

from actors.opening import hours
from actors.opening.status import Closure, closure_on

EVENING_MINUTE = 18 * 60  # "open in the evening" = an opening that ends after 18:00
WEEKEND = (5, 6)
DAYS_AHEAD = 7
HOUR = re.compile(r"^(\d{1,2})(?:\s*(?:h|:)\s*(\d{2})?)?$", re.IGNORECASE)


@dataclass(frozen=True)
class Window:
    days: tuple[dt.date, ...]
    at: int | None = None  # minute of the day at which the place must be open
    evening: bool = False

    def day_passes(self, expression: OpeningHours, day: dt.date) -> bool:
        """Whether the hours (closures aside) hold what is asked on `day`."""
        intervals = hours.day_intervals(expression, day)
        if self.at is not None and not any(opens <= self.at < closes for opens, closes in intervals):
            return False
        if self.evening and not any(closes > EVENING_MINUTE for _opens, closes in intervals):
            return False
        return bool(intervals)

    def passing_days(self, horaires: str) -> list[dt.date]:
        """The dates of the window on which the place's own hours answer (temporary closures aside)."""
        expression = hours.effective(horaires)
        if expression is None:
            return []
        return [day for day in self.days if self.day_passes(expression, day)]

    def holds(self, horaires: str, closures: Iterable[Closure] = ()) -> bool:
        """The answer for one place: unknown hours are never open; a closure removes the dates it covers."""
        closures = list(closures)
        return any(closure_on(day, closures) is None for day in self.passing_days(horaires))


def coming_days(today: dt.date) -> list[dt.date]:
    return [today + dt.timedelta(days=offset) for offset in range(DAYS_AHEAD)]


def next_weekday(today: dt.date, weekday: int) -> dt.date:
    """The coming date of `weekday`: today when today is that day."""
    return today + dt.timedelta(days=(weekday - today.weekday()) % 7)


def window_for(
    *, now: dt.datetime, weekday: int | None = None, at: int | None = None, evening: bool = False,
    weekend: bool = False, right_now: bool = False,
) -> Window:
    """The window of the filters ticked; `now` is the local time (Paris)."""
    today = now.date()
    if right_now:
        return Window(days=(today,), at=now.hour * 60 + now.minute)
    days = coming_days(today)
    if weekday is not None:
        days = [next_weekday(today, weekday)]
    if weekend:
        days = [day for day in days if day.weekday() in WEEKEND]
    return Window(days=tuple(days), at=at, evening=evening)


def parse_hour(text: str) -> int | None:
    """Minutes since midnight of « 14 », « 14h », « 14 h 30 », « 14:30 »; None when unreadable or past 23:59."""
    found = HOUR.match(text.strip())
    if not found:
        return None
    hour, minute = int(found.group(1)), int(found.group(2) or 0)
    if hour > 23 or minute > 59:
        return None
    return hour * 60 + minute
