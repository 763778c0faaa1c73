"""Free-text opening hours of legacy files turned into OpenStreetMap `opening_hours` strings.

Deliberately conservative: text that speaks of anything this cannot express exactly (school periods,
"once a month", "sur rendez-vous"…) is not converted, and the caller reports it as unmapped.
"""

import re
import unicodedata

from actors import hours

DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
DAY_WORDS = {
    "lundi": 0, "lundis": 0, "lun": 0, "mardi": 1, "mardis": 1, "mar": 1, "mercredi": 2, "mercredis": 2,
    "mer": 2, "jeudi": 3, "jeudis": 3, "jeu": 3, "vendredi": 4, "vendredis": 4, "ven": 4, "samedi": 5,
    "samedis": 5, "sam": 5, "dimanche": 6, "dimanches": 6, "dim": 6,
}
# Words that qualify hours in ways a weekly OSM rule would get wrong: such texts are left unconverted.
UNSAFE = re.compile(
    r"\b(sauf|mois|semaine|semaines|scolaire|vacances|ete|hiver|paire|impaire|rdv|rendez|demande|planning|"
    r"quotidien|matins?|apres midis?|soirs?|uniquement|premiers?|derniers?|ferme|fermeture|1er|hebdo\w*)\b"
)
TIME = r"(\d{1,2})\s*(?:h|:)(\d{2})?"
RANGE = re.compile(TIME + r"\s*(?:-|a|au|/)\s*" + TIME + r"|" + r"(\d{1,2})\s*(?:-|a)\s*" + TIME)
TOKEN = re.compile(r"(?P<range>" + RANGE.pattern + r")|(?P<day>[a-z]+)")


def _plain(value: str) -> str:
    """Lowercase without accents, keeping the punctuation that separates days and times."""
    decomposed = unicodedata.normalize("NFKD", value or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return plain.replace("–", "-").replace("—", "-").replace("’", "'")


def _minutes(hour: str, minute: str | None) -> str:
    return f"{int(hour):02d}:{int(minute or 0):02d}"


def _days_osm(days: list[int]) -> str:
    """[0,1,2,4] -> "Mo-We,Fr"."""
    days = sorted(set(days))
    parts, start = [], None
    for index, day in enumerate(days):
        if start is None:
            start = day
        if index + 1 == len(days) or days[index + 1] != day + 1:
            parts.append(DAYS[start] if start == day else f"{DAYS[start]}{'-' if day - start > 1 else ','}{DAYS[day]}")
            start = None
    return ",".join(parts)


def compact(per_day: dict[int, str]) -> str:
    """{0: "09:00-12:00", 1: "09:00-12:00"} -> "Mo-Tu 09:00-12:00", grouping days with equal hours."""
    groups: dict[str, list[int]] = {}
    for day in sorted(per_day):
        groups.setdefault(per_day[day], []).append(day)
    rules = sorted(groups.items(), key=lambda item: item[1][0])
    return "; ".join(f"{_days_osm(days)} {times}" for times, days in rules)


def france_services_day(cell: str) -> str | None:
    """"09:00 - 12:00 / 13:30 - 17:00" -> "09:00-12:00,13:30-17:00"; "" or "-" -> ""; else None."""
    cell = cell.strip()
    if cell in ("", "-"):
        return ""
    ranges = []
    for part in cell.split("/"):
        match = re.fullmatch(r"\s*(\d{1,2})[:h](\d{2})\s*-\s*(\d{1,2})[:h](\d{2})\s*", part)
        if not match:
            return None
        ranges.append(f"{_minutes(match[1], match[2])}-{_minutes(match[3], match[4])}")
    return ",".join(ranges)


def french_text(value: str) -> str | None:
    """Best-effort reading of "Du lundi au vendredi de 9h à 12h et de 14h à 17h" -> OSM, else None."""
    folded = _plain(value)
    if not folded or UNSAFE.search(folded):
        return None
    per_day: dict[int, list[str]] = {}
    days: list[int] = []
    pending_range_to = False
    last_day = None
    times_since_days = False
    for match in TOKEN.finditer(folded):
        if match["day"]:
            word = match["day"]
            if word in ("au", "a") and last_day is not None:
                pending_range_to = True
                continue
            if word not in DAY_WORDS:
                continue
            day = DAY_WORDS[word]
            if times_since_days:
                days, times_since_days = [], False
            if pending_range_to and last_day is not None:
                days.extend(range(last_day + 1, day + 1))
            else:
                days.append(day)
            last_day, pending_range_to = day, False
            continue
        if not days:
            return None
        groups = match.groups()
        if groups[1] is not None:
            opens, closes = _minutes(groups[1], groups[2]), _minutes(groups[3], groups[4])
        else:
            opens, closes = _minutes(groups[5], None), _minutes(groups[6], groups[7])
        if opens >= closes:
            return None
        for day in days:
            per_day.setdefault(day, []).append(f"{opens}-{closes}")
        times_since_days, pending_range_to = True, False
    if not per_day:
        return None
    result = compact({day: ",".join(sorted(set(ranges))) for day, ranges in per_day.items()})
    try:
        hours.parse(result)
    except hours.InvalidHours:
        return None
    return result
