"""A human reading of an OSM `opening_hours` string, for the live preview in the admin."""

from django.utils.translation import gettext as _

from actors.opening import hours
from actors.opening.status import weekday_name


def _clock(minutes: int) -> str:
    return hours.format_minutes(minutes) if minutes < 1440 else "24:00"


def hours_preview(horaires: str) -> str:
    """ "Mo-Fr 09:00-12:00; Sa 10:00-12:00" → "du lundi au vendredi 9:00–12:00 ; samedi 10:00–12:00".

    Raises hours.InvalidHours. Consecutive days with the same intervals are grouped.
    """
    slots = hours.weekly_slots(horaires)
    if not slots:
        return _("Fermé toute la semaine") if horaires.strip() else ""
    by_day: dict[int, list[str]] = {}
    for day, opens, closes in slots:
        by_day.setdefault(day, []).append(f"{_clock(opens)}–{_clock(closes)}")
    groups: list[tuple[int, int, str]] = []
    for day in sorted(by_day):
        text = ", ".join(by_day[day])
        if groups and groups[-1][1] == day - 1 and groups[-1][2] == text:
            groups[-1] = (groups[-1][0], day, text)
        else:
            groups.append((day, day, text))
    parts = []
    for first, last, text in groups:
        if first == last:
            days = weekday_name(first)
        elif last == first + 1:
            days = f"{weekday_name(first)} et {weekday_name(last)}"
        else:
            days = _("du %(first)s au %(last)s") % {"first": weekday_name(first), "last": weekday_name(last)}
        parts.append(f"{days} {text}")
    return " ; ".join(parts)
