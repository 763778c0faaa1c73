"""Free-text opening hours of legacy files turned into OpenStreetMap `opening_hours` strings.

Deliberately conservative: text that speaks of anything this cannot express exactly (school periods,
"once a month", "sur rendez-vous"…) is not converted, and the caller reports it as unmapped.
"""

import re
import unicodedata

from actors.opening import hours

DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
DAY_WORDS = {
    "lundi": 0, "lundis": 0, "lun": 0, "mardi": 1, "mardis": 1, "mar": 1, "mercredi": 2, "mercredis": 2,
    "mer": 2, "jeudi": 3, "jeudis": 3, "jeu": 3, "vendredi": 4, "vendredis": 4, "ven": 4, "samedi": 5,
    "samedis": 5, "sam": 5, "dimanche": 6, "dimanches": 6, "dim": 6, "merc": 2, "vend": 4,
}
# Words that qualify hours in ways a weekly OSM rule would get wrong: such texts are left unconverted.
UNSAFE = re.compile(
    r"\b(sauf|mois|mensuel\w*|bimestriel\w*|semaine|semaines|quinzaine|scolaires?|vacances|ete|hiver|paire|"
    r"impaire|rdv|rendez|demande|planning|quotidien|uniquement|premiers?|derniers?|fermee?s?|fermeture|1er|"
    r"hebdo\w*|fois|selon|feries?|periodes?|pendant|hors|sauf|variable|\d+\s*jours)\b"
)
# "13 h 15", "9h30", "09:00", "8h30h", "9h", "9 h" (never "12h 14" read as 12:14)
_H = r"(?:\d{1,2}\s*h\s+\d{2}(?!\d|\s*[h:])|\d{1,2}\s*[h:]\d{2}(?!\d)(?:h\b)?|\d{1,2}\s*h)"
_BARE = r"\d{1,2}(?![\d:]|\s*h)"  # "9" in "9-12h"
_SEP = r"\s*(?:-|/|\ba\b|\bau\b|jusqu\s*'?\s*a\b)\s*"
RANGE = re.compile(
    rf"(?P<o1>{_H}){_SEP}(?P<c1>{_H}|{_BARE})"
    rf"|(?P<o2>{_BARE}){_SEP}(?P<c2>{_H})"
    rf"|(?P<o3>{_BARE})\s*[-/]\s*(?P<c3>{_BARE})"
)
TOKEN = re.compile(rf"(?P<range>{RANGE.pattern})|(?P<word>[a-z]+)")
DAY_RANGE_GAP = re.compile(r"^\s*(?:au|a|-|jusqu\s*'?\s*au)\s*$")
DAY_LIST_GAP = re.compile(r"^(?:\s|,|/|&|\+|\bet\b|\ble\b|\bles\b|\bl\b|')*$")
TRUNCATED_TAIL = re.compile(r"(?:^|\s)(?:et|de|d|du|le|la|les|puis|a|au|ou)\W*$")

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


ZERO_RANGE = re.compile(r"\b(\d{2}):(\d{2})-\1:\2\b")
DAY_SELECTOR = re.compile(r"^((?:Mo|Tu|We|Th|Fr|Sa|Su|PH)(?:\s*[-,]\s*(?:Mo|Tu|We|Th|Fr|Sa|Su|PH))*)\b")


def _time_of(text: str) -> str | None:
    """"9h", "9 h 30", "09:00", "17" -> "HH:MM"; None beyond 24:00."""
    numbers = re.findall(r"\d+", text)
    hour, minute = int(numbers[0]), int(numbers[1]) if len(numbers) > 1 else 0
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        return None
    return f"{hour:02d}:{minute:02d}"


def _range_of(match: re.Match) -> tuple[str, str] | None:
    for opening, closing in (("o1", "c1"), ("o2", "c2"), ("o3", "c3")):
        if match[opening] is not None:
            opens, closes = _time_of(match[opening]), _time_of(match[closing])
            if opens is None or closes is None or opens >= closes:
                return None
            return opens, closes
    return None


def france_services_day(cell: str) -> str | None:
    """"09:00 - 12:00 / 13:30 - 17:00" or "08:30-12:00,13:30-17:30" -> "09:00-12:00,13:30-17:00";
    "" or "-" -> "" (closed); "00:00-00:00" -> "unknown" (no hours given, not 24 h/24); else None."""
    cell = cell.strip()
    if cell in ("", "-"):
        return ""
    ranges = []
    for part in re.split(r"\s*(?:/|,|;|\bet\b)\s*", cell):
        match = re.fullmatch(r"\s*(\d{1,2})[:h](\d{2})\s*-\s*(\d{1,2})[:h](\d{2})\s*", part)
        if not match:
            return None
        opens, closes = _minutes(match[1], match[2]), _minutes(match[3], match[4])
        if opens == closes:
            continue
        if opens > closes or closes > "24:00":
            return None
        ranges.append(f"{opens}-{closes}")
    return ",".join(ranges) if ranges else "unknown"


def degrade_osm(value: str) -> tuple[str, list[str]]:
    """What is readable of an OSM `opening_hours` string, rule by rule, and the pieces that were not.

    Each day degrades on its own: an unreadable rule ("Tu 09:00-14:00-17:00") becomes "Tu unknown" when
    its days can be read (dropped otherwise) and the other rules stay; an empty range ("00:00-00:00",
    "14:00-14:00", which the OSM library reads as 24 hours) means "no hours given": removed, and a rule
    left without range becomes "unknown". Returns ("", [value]) when nothing can be kept.
    """
    value = (value or "").strip()
    if not value:
        return "", []
    dropped, kept = [], []
    for rule in (part.strip() for part in value.split(";")):
        if not rule:
            continue
        cleaned = ZERO_RANGE.sub("", rule)
        if cleaned != rule:
            dropped.append(rule)
            cleaned = re.sub(r",\s*,", ",", cleaned).replace(" ,", " ").strip(" ,")
            if not re.search(r"\d{2}:\d{2}", cleaned):
                selector = DAY_SELECTOR.match(cleaned)
                cleaned = f"{selector[1]} unknown" if selector else ""
        if not cleaned:
            continue
        try:
            hours.parse(cleaned)
        except hours.InvalidHours:
            if cleaned == rule:
                dropped.append(rule)
            selector = DAY_SELECTOR.match(rule)
            cleaned = f"{selector[1]} unknown" if selector else ""
        if cleaned:
            kept.append(cleaned)
    result = "; ".join(kept)
    try:
        hours.weekly_slots(result)
    except hours.InvalidHours:
        return "", [value]
    if not any(hours.weekly_slots(rule) for rule in kept) and all(r.endswith("unknown") for r in kept):
        result = ""  # nothing but unknown days: say nothing rather than "unknown" everywhere
    return result, dropped


def _day_groups(folded: str) -> list[tuple[list[int], list[tuple[str, str]]]] | None:
    """[(days, ranges)] in reading order, or None when the text says something this cannot read."""
    groups: list[tuple[list[int], list[tuple[str, str]]]] = []
    leading: list[tuple[str, str]] = []
    previous_day_end = None  # end of the last day token, when the last token was a day
    consumed = []
    for match in TOKEN.finditer(folded):
        if match["range"]:
            found = _range_of(match)
            if found is None:
                return None
            consumed.append(match.span())
            (groups[-1][1] if groups else leading).append(found)
            previous_day_end = None
            continue
        word = match["word"]
        days = ([5, 6] if word in ("weekend",) else [DAY_WORDS[word]] if word in DAY_WORDS else None)
        if days is None:
            continue
        consumed.append(match.span())
        gap = folded[previous_day_end:match.start()] if previous_day_end is not None else None
        if gap is not None and DAY_RANGE_GAP.match(gap) and groups and not groups[-1][1]:
            first = groups[-1][0][-1]
            groups[-1][0].extend(range(first + 1, days[0] + 1) if days[0] > first else [])
            if days[0] <= first:
                return None
        elif gap is not None and DAY_LIST_GAP.match(gap) and groups and not groups[-1][1]:
            groups[-1][0].extend(days)
        else:
            groups.append((list(days), []))
        previous_day_end = match.end()
    rest = "".join(ch for index, ch in enumerate(folded)
                   if not any(start <= index < end for start, end in consumed))
    if re.search(r"\d", rest) or TRUNCATED_TAIL.search(folded):
        return None  # a time outside a range, or a text cut short ("… et de 13h30", "… et d")
    if leading:
        if len(groups) != 1 or groups[0][1]:
            return None
        groups = [(groups[0][0], leading)]
    if not groups or any(not ranges for _days, ranges in groups):
        return None
    return groups


def french_text(value: str) -> str | None:
    """Unambiguous French hours ("Du lundi au vendredi de 9h à 12h et de 14h à 17h", "mer 13 h 15 - 18h00",
    "9h-12h / 14h-17h du lundi au vendredi", "le week-end de 10h à 12h") as OSM, else None (left as text).

    A day named again later with overlapping hours takes the later hours ("mar à ven : 10h/17h, mer : 10h/18h").
    """
    folded = _plain(value)
    folded = re.sub(r"\bweek\s*-?\s*ends?\b", "weekend", folded)
    folded = re.sub(r"\b(?:tous les jours|7\s*j(?:ours)?\s*/\s*7|7\s*/\s*7)\b", "lundi au dimanche", folded)
    if not folded or UNSAFE.search(folded):
        return None
    groups = _day_groups(folded)
    if groups is None:
        return None
    per_day: dict[int, list[tuple[str, str]]] = {}
    for days, ranges in groups:
        for day in days:
            current = per_day.get(day, [])
            overlaps = any(o < c2 and o2 < c for o, c in current for o2, c2 in ranges)
            per_day[day] = sorted(set(ranges if overlaps else current + ranges))
    result = compact({day: ",".join(f"{o}-{c}" for o, c in ranges) for day, ranges in per_day.items()})
    try:
        hours.parse(result)
    except hours.InvalidHours:
        return None
    return result
