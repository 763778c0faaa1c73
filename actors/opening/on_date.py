"""The hours of one date, for a card listed under a day filter: « Samedi 12 décembre : 10:00–13:00 ».

Under « samedi » a card answers the date asked, not today's status; « lundi » asked on a Monday evening
after closing is today, already over: the card says so and gives next week's hours as well. Same rules as
the status line (status.py): temporary closures, French public holidays closed unless the hours say `PH`.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from actors.opening import hours
from actors.opening.status import Closure, closure_on, day_text, format_date, local_naive, weekday_name


@dataclass(frozen=True)
class DateHours:
    day: dt.date
    text: str  # « 10:00–13:00 », « Fermé (jour férié) »…
    is_open: bool  # opens at some time of that date
    over: bool = False  # the date is today and its last opening has ended

    def label(self, today: dt.date) -> str:
        name = f"{weekday_name(self.day.weekday()).capitalize()} {format_date(self.day, today)}"
        line = _("%(day)s : %(hours)s") % {"day": name, "hours": self.text}
        return line + _(" — terminé pour aujourd'hui") if self.over else line


def hours_on(horaires: str, day: dt.date, now: dt.datetime, closures: Iterable[Closure] = ()) -> DateHours | None:
    """The hours of `day` for a place; None when it publishes none. `now`: aware, or Paris time."""
    expression = hours.effective(horaires)
    if expression is None:
        return None
    if closure_on(day, closures) is not None:
        return DateHours(day, _("Fermé (fermeture temporaire)"), is_open=False)
    text, closed = day_text(expression, day)
    if closed and hours.is_public_holiday(day) and text == _("Fermé"):
        text = _("Fermé (jour férié)")
    local = local_naive(now)
    minute = local.hour * 60 + local.minute
    intervals = hours.day_intervals(expression, day)
    over = day == local.date() and bool(intervals) and all(closes <= minute for _opens, closes in intervals)
    return DateHours(day, text, is_open=not closed, over=over)


def hours_asked(horaires: str, days: tuple[dt.date, ...], now: dt.datetime,
                closures: Iterable[Closure] = ()) -> list[DateHours]:
    """The hours of each date asked; a date already over today is followed by the same weekday next week."""
    closures = list(closures)
    found = []
    for day in days:
        answer = hours_on(horaires, day, now, closures)
        if answer is None:
            return []
        found.append(answer)
        if answer.over:
            later = hours_on(horaires, day + dt.timedelta(days=7), now, closures)
            if later is not None:
                found.append(later)
    return found
