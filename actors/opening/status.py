"""Opening status ("Ouvert maintenant, ferme à 17:30") and weekly table of a structure, at a given time.

Pure functions of the OSM `horaires` string, the structure's temporary closures and a datetime, so that
the detail page, the referral sheet and the list badges all say the same thing, and tests pin the clock.

French public services close on public holidays even when their published hours forget to say so: an
expression that does not mention `PH` is read as if it ended with `; PH off` (hours.effective).
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from opening_hours import OpeningHours, State

from actors.opening import hours

PARIS = ZoneInfo("Europe/Paris")
# How far ahead "ouvre le …" looks before giving up (seasonal places may reopen months later).
LOOKAHEAD = dt.timedelta(days=370)
class Closure(Protocol):
    """What the rule reads of a temporary closure (a TemporaryClosure row, or any object with these fields)."""

    starts_on: dt.date
    ends_on: dt.date
    reason: str


# How many coming weeks the weekly table reads to tell hours that change from week to week.
SOME_WEEKS = 6
# Marked for makemessages, translated when shown.
WEEKDAYS = [gettext_noop("lundi"), gettext_noop("mardi"), gettext_noop("mercredi"), gettext_noop("jeudi"),
            gettext_noop("vendredi"), gettext_noop("samedi"), gettext_noop("dimanche")]


@dataclass(frozen=True)
class OpeningStatus:
    """`is_open` is None when nobody knows (no hours, "unknown" state)."""

    is_open: bool | None
    label: str

    @property
    def css(self) -> str:
        return {True: "open", False: "closed", None: "unknown"}[self.is_open]


@dataclass
class DayRow:
    weekday: int
    name: str
    text: str  # "9:00–12:00, 14:00–17:30", "Fermé"…
    is_today: bool = False
    is_closed: bool = True
    notes: list[str] = field(default_factory=list)  # "Fermé le 11 novembre (jour férié)"


def weekday_name(weekday: int) -> str:
    return _(WEEKDAYS[weekday])


def local_naive(moment: dt.datetime) -> dt.datetime:
    """The wall-clock time in Paris, as the naive datetime the OSM library expects."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(PARIS)
    return moment.replace(tzinfo=None, second=0, microsecond=0)


is_public_holiday = hours.is_public_holiday


def evaluated(horaires: str) -> OpeningHours | None:
    """The expression used for status: public holidays closed unless the expression says otherwise."""
    return hours.effective(horaires)


def closure_on(day: dt.date, closures: Iterable[Closure]) -> Closure | None:
    for closure in closures:
        if closure.starts_on <= day <= closure.ends_on:
            return closure
    return None


def format_day(day: dt.date, today: dt.date) -> str:
    """"aujourd'hui", "demain", "lundi" within a week, "le 3 décembre" beyond."""
    delta = (day - today).days
    if delta == 0:
        return _("aujourd'hui")
    if delta == 1:
        return _("demain")
    if 1 < delta < 7:
        return weekday_name(day.weekday())
    return _("le %(date)s") % {"date": format_date(day, today)}


def format_date(day: dt.date, today: dt.date) -> str:
    """"3 décembre", with the year only when it is not the current one."""
    pattern = "j F" if day.year == today.year else "j F Y"
    return formats.date_format(day, pattern)


def format_time(moment: dt.datetime) -> str:
    return hours.format_minutes(moment.hour * 60 + moment.minute)


def _closure_label(closure: Closure, today: dt.date) -> str:
    label = _("Fermé temporairement jusqu'au %(date)s") % {"date": format_date(closure.ends_on, today)}
    if closure.reason:
        label += _(" : %(reason)s") % {"reason": closure.reason}
    return label


def next_opening(
    expression: OpeningHours, after: dt.datetime, closures: Iterable[Closure] = ()
) -> tuple[dt.datetime, str] | None:
    """Start and comment of the next open interval after `after`, skipping temporary closures."""
    closures = list(closures)
    for start, _end, state, comment in expression.intervals(after, after + LOOKAHEAD):
        if state != State.OPEN:
            continue
        closure = closure_on(start.date(), closures)
        if closure is None:
            return max(start, after), comment
        reopening = dt.datetime.combine(closure.ends_on + dt.timedelta(days=1), dt.time())
        if _end > reopening:
            return reopening, comment
    return None


def status_for_hours(horaires: str, now: dt.datetime, closures: Iterable[Closure] = ()) -> OpeningStatus:
    """The status line of a place with these OSM hours and closures, at `now` (aware or Paris time)."""
    now = local_naive(now)
    today = now.date()
    closures = list(closures)
    closure = closure_on(today, closures)
    if closure is not None:
        return OpeningStatus(False, _closure_label(closure, today))
    expression = evaluated(horaires)
    if expression is None:
        return OpeningStatus(None, _("Horaires non renseignés"))

    state, comment = expression.state(now)
    if state == State.OPEN:
        change = expression.next_change(now)
        if change is None or change - now > dt.timedelta(days=7):
            label = _("Ouvert maintenant")
        elif change.date() == today or change == dt.datetime.combine(today + dt.timedelta(days=1), dt.time()):
            label = _("Ouvert maintenant, ferme à %(time)s") % {"time": format_time(change)}
        else:
            label = _("Ouvert maintenant, ferme %(day)s à %(time)s") % {
                "day": format_day(change.date(), today), "time": format_time(change)}
        if comment:
            label += f" ({comment})"
        return OpeningStatus(True, label)
    if state == State.UNKNOWN:
        return OpeningStatus(None, comment.capitalize() if comment else _("Ouverture incertaine en ce moment"))

    found = next_opening(expression, now, closures)
    opens_today = found is not None and found[0].date() == today
    if not opens_today and is_public_holiday(today) and "PH" not in horaires and _opens_on_weekday(horaires, now):
        return OpeningStatus(False, _("Fermé aujourd'hui : jour férié"))
    if found is None:
        return OpeningStatus(False, comment.capitalize() if comment else _("Fermé"))
    start, _comment = found
    if opens_today:
        label = _("Ouvre aujourd'hui à %(time)s") % {"time": format_time(start)}
    else:
        label = _("Fermé, ouvre %(day)s à %(time)s") % {"day": format_day(start.date(), today),
                                                          "time": format_time(start)}
    if comment:
        label += f" ({comment})"
    return OpeningStatus(False, label)


def _opens_on_weekday(horaires: str, now: dt.datetime) -> bool:
    """Whether the published hours (holidays aside) open on this date: was the holiday what closed it?"""
    try:
        raw = hours.parse(horaires)
    except hours.InvalidHours:
        return False
    day_start = dt.datetime.combine(now.date(), dt.time())
    return any(state == State.OPEN for _s, _e, state, _c in raw.intervals(day_start, day_start + dt.timedelta(days=1)))


def opening_status(structure: Any, now: dt.datetime, closures: Iterable[Closure] | None = None) -> OpeningStatus:
    """Status of a structure; `closures` defaults to its TemporaryClosure rows (pass them to save a query)."""
    if closures is None:
        closures = structure.closures.all()
    return status_for_hours(structure.horaires, now, closures)


def day_text(expression: OpeningHours, day: dt.date) -> tuple[str, bool]:
    """Intervals of one day as "9:00–12:00, 14:00–17:30" (an interval past midnight is shown whole)."""
    start = dt.datetime.combine(day, dt.time())
    end = start + dt.timedelta(days=1)
    parts, closed_comments = [], []
    # Starting a minute early shows whether the first interval continues yesterday's.
    for begin, stop, state, comment in expression.intervals(start - dt.timedelta(minutes=1), end):
        if begin >= end:
            break
        if stop <= start:
            continue
        if state == State.CLOSED:
            if comment and comment not in closed_comments:
                closed_comments.append(comment)
            continue
        if begin <= start and stop >= end:
            text = _("24 h/24")
        else:
            if begin < start:  # the tail of yesterday's evening, already shown on yesterday's row
                continue
            if stop >= end:  # the iterator cuts at midnight: ask where the interval really ends
                stop = next(expression.intervals(begin, begin + dt.timedelta(days=2)))[1]
            text = f"{format_time(begin)}–{format_time(stop)}"
        if state == State.UNKNOWN:
            text += " (" + (comment or _("horaires incertains")) + ")"
        elif comment:
            text += f" ({comment})"
        parts.append(text)
    if not parts:
        text = _("Fermé")
        if closed_comments:
            text += " (" + ", ".join(closed_comments) + ")"
        return text, True
    return ", ".join(parts), False


def _day_notes(raw: OpeningHours, horaires: str, day: dt.date, today: dt.date, closures: list[Closure],
               row: DayRow) -> list[str]:
    """What differs on the coming `day` from the regular row: a temporary closure or a public holiday."""
    date_text = format_date(day, today)
    closure = closure_on(day, closures)
    if closure is not None:
        # A closure running today already has its banner: the rows keep the regular week.
        if closure_on(today, [closure]) is None and not row.is_closed:
            return [_("Fermé le %(date)s (fermeture temporaire)") % {"date": date_text}]
        return []
    if not is_public_holiday(day):
        return []
    if "PH" not in horaires:
        return [] if row.is_closed else [_("Fermé le %(date)s (jour férié)") % {"date": date_text}]
    holiday_text, _closed = day_text(raw, day)
    if holiday_text == row.text:
        return []
    return [_("Le %(date)s (jour férié) : %(text)s") % {"date": date_text, "text": holiday_text}]


def weekly_table(horaires: str, today: dt.date | None = None, closures: Iterable[Closure] = ()) -> list[DayRow]:
    """Monday..Sunday rows of the regular week, with notes on the coming 7 days (holidays, closures).

    Without `today`, the rows describe a reference week without public holidays. Empty list: no hours.
    """
    try:
        raw = hours.parse(horaires) if horaires.strip() else None
    except hours.InvalidHours:
        raw = None
    if raw is None:
        return []
    closures = list(closures)
    rows = []
    monday = (today or hours.REFERENCE_MONDAY.date()) - dt.timedelta(days=(today or hours.REFERENCE_MONDAY).weekday())
    for weekday in range(7):
        day = monday + dt.timedelta(days=weekday)
        if today is not None and day < today:
            day += dt.timedelta(days=7)  # the coming occurrence of this weekday
        regular = day
        while is_public_holiday(regular):
            regular += dt.timedelta(days=7)
        text, is_closed = day_text(raw, regular)
        row = DayRow(weekday, weekday_name(weekday).capitalize(), text, is_closed=is_closed,
                     is_today=today is not None and day == today)
        if today is not None:
            some_weeks = _some_weeks(raw, regular, today)
            if some_weeks is not None:
                row.text, row.is_closed = some_weeks[1], False
            row.notes = _day_notes(raw, horaires, day, today, closures, row)
            if some_weeks is not None:
                row.notes.insert(0, _("Certaines semaines seulement ; prochaine fois le %(date)s") % {
                    "date": format_date(some_weeks[0], today)})
        rows.append(row)
    return rows


def _some_weeks(raw: OpeningHours, day: dt.date, today: dt.date) -> tuple[dt.date, str] | None:
    """(next open date, its hours) when this weekday's hours change from week to week (one week in two,
    some months), so that the row does not read « Fermé » for a day that opens on other weeks."""
    occurrences = [day + dt.timedelta(days=7 * week) for week in range(SOME_WEEKS)]
    texts = [(date, *day_text(raw, date)) for date in occurrences if not is_public_holiday(date)]
    if len({text for _date, text, _closed in texts}) < 2:
        return None
    return next(((date, text) for date, text, closed in texts if not closed), None)


def hours_summary(rows: list[DayRow]) -> str:
    """One line per group of days with the same hours, for an SMS: "lundi–vendredi 9:00–12:00"."""
    lines, index = [], 0
    while index < len(rows):
        last = index
        while last + 1 < len(rows) and rows[last + 1].text == rows[index].text:
            last += 1
        if not rows[index].is_closed:
            # The second day as the language writes it mid-sentence: « Lundi–jeudi », « Monday–Thursday ».
            days = rows[index].name if last == index else f"{rows[index].name}–{weekday_name(rows[last].weekday)}"
            lines.append(f"{days} {rows[index].text}")
        index = last + 1
    return "\n".join(lines)
