"""Agendas read into plain values: iCalendar (RFC 5545) and OpenAgenda's JSON export. Nothing is written here;
every problem is a line of the report (actors/ateliers/importing.py writes, in one transaction)."""

import datetime as dt
import json
import zoneinfo
from dataclasses import dataclass, field

import icalendar

from actors.ateliers import recurrence, words

DEFAULT_TZ = zoneinfo.ZoneInfo("Europe/Paris")
DEFAULT_MINUTES = 120  # an event with neither end nor duration: two hours, said in the report


@dataclass
class Session:
    starts_at: dt.datetime
    ends_at: dt.datetime
    cancelled: bool = False


@dataclass
class Series:
    source_id: str
    title: str
    description: str = ""
    location: str = ""  # the address or the place's name, as the producer wrote it
    recurrence: str = ""
    duration_minutes: int | None = None
    themes: list[str] = field(default_factory=list)
    publics: list[str] = field(default_factory=list)
    level: str = ""
    free: bool | None = None
    fees: str = ""
    registration: str = ""
    registration_contact: str = ""
    accessibility: str = ""
    full: bool = False  # the producer says no seat is left
    sessions: list[Session] = field(default_factory=list)


@dataclass
class Parsed:
    series: list[Series] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # nothing is written when the agenda itself is unreadable
    notes: list[str] = field(default_factory=list)  # an event left out, or read with a default


def detect_and_parse(data: bytes, *, now: dt.datetime, services: set[str]) -> Parsed:
    head = data.lstrip()[:20]
    if head.startswith(b"{") or head.startswith(b"["):
        return parse_openagenda(data, now=now, services=services)
    if head.upper().startswith(b"BEGIN:VCALENDAR"):
        return parse_ics(data, now=now, services=services)
    return Parsed(problems=["Ce fichier n'est ni un agenda iCalendar (.ics) ni un export JSON d'OpenAgenda."])


# -- iCalendar -------------------------------------------------------------------------------------------------
def _aware(value: object, label: str, notes: list[str], tzid: str | None) -> dt.datetime | None:
    if not isinstance(value, dt.datetime):
        return None
    if value.tzinfo is None:
        if tzid:
            notes.append(f"{label} : fuseau horaire « {tzid[:60]} » inconnu, heure lue à l'heure de Paris.")
        else:
            notes.append(f"{label} : heure sans fuseau horaire, lue à l'heure de Paris.")
        return value.replace(tzinfo=DEFAULT_TZ)
    return value


def _dates(event: icalendar.cal.Component, name: str) -> list[dt.datetime]:
    found = event.get(name)
    if found is None:
        return []
    values = []
    for item in found if isinstance(found, list) else [found]:
        for one in item.dts:
            moment = one.dt
            if isinstance(moment, dt.datetime):
                values.append(moment if moment.tzinfo else moment.replace(tzinfo=DEFAULT_TZ))
    return values


def parse_ics(data: bytes, *, now: dt.datetime, services: set[str]) -> Parsed:
    parsed = Parsed()
    try:
        calendar = icalendar.Calendar.from_ical(data)
    except (ValueError, IndexError, KeyError) as error:
        parsed.problems.append(f"Agenda iCalendar illisible : {str(error)[:120]}")
        return parsed
    masters: dict[str, Series] = {}
    overrides: list[tuple[str, dt.datetime | None, bool, dt.datetime | None]] = []
    for event in calendar.walk("VEVENT"):
        uid = str(event.get("uid") or "").strip()[:255]
        title = str(event.get("summary") or "").strip()[:250]
        label = f"« {title[:60]} »" if title else f"événement {uid[:40] or 'sans UID'}"
        if not uid:
            parsed.notes.append(f"{label} : pas d'identifiant (UID), ignoré : il ne pourrait pas être mis à jour.")
            continue
        start_prop = event.get("dtstart")
        if start_prop is None or not isinstance(start_prop.dt, dt.datetime):
            why = "sans date" if start_prop is None else "sans heure (journée entière)"
            parsed.notes.append(f"{label} : événement {why}, ignoré.")
            continue
        first = _aware(start_prop.dt, label, parsed.notes, start_prop.params.get("TZID"))
        if first is None:
            continue
        cancelled = str(event.get("status") or "").upper() == "CANCELLED"
        recurrence_id = event.get("recurrence-id")
        if recurrence_id is not None:  # one occurrence of a series, changed or cancelled (RFC 5545 3.8.4.4)
            original = _aware(recurrence_id.dt, label, [], recurrence_id.params.get("TZID"))
            overrides.append((uid, original, cancelled, first))
            continue
        end_prop, duration_prop = event.get("dtend"), event.get("duration")
        if end_prop is not None and isinstance(end_prop.dt, dt.datetime):
            ends = _aware(end_prop.dt, label, [], end_prop.params.get("TZID")) or first
            minutes = int((ends - first).total_seconds() // 60)
        elif duration_prop is not None:
            minutes = int(duration_prop.dt.total_seconds() // 60)
        else:
            minutes = DEFAULT_MINUTES
            parsed.notes.append(f"{label} : ni fin ni durée, deux heures supposées.")
        if minutes < 0:
            parsed.notes.append(f"{label} : la fin précède le début, ignoré.")
            continue
        rule = event.get("rrule")
        rule_text = rule.to_ical().decode() if rule is not None else ""
        try:
            expansion = recurrence.expand(first=first, rule=rule_text, exdates=_dates(event, "exdate"),
                                          rdates=_dates(event, "rdate"), now=now)
        except recurrence.RecurrenceError:
            parsed.notes.append(f"{label} : règle de récurrence illisible ou trop fréquente ({rule_text[:80]}), "
                                "ignoré.")
            continue
        if expansion.endless:
            parsed.notes.append(f"{label} : récurrence sans fin, séances créées jusqu'à "
                                f"{recurrence.HORIZON_DAYS} jours d'ici.")
        if expansion.capped:
            parsed.notes.append(f"{label} : plus de {recurrence.MAX_SESSIONS} séances, les suivantes ignorées.")
        categories: list[str] = []
        for item in event.get("categories") or []:
            categories.extend(str(cat) for cat in getattr(item, "cats", [item]))
        description = str(event.get("description") or "").strip()
        texts = [title, *categories]
        series = Series(
            source_id=uid, title=title or "Atelier", description=description[:5000],
            location=str(event.get("location") or "").strip()[:500], recurrence=rule_text[:500],
            duration_minutes=minutes, themes=words.themes(texts, services), publics=words.publics(texts),
            level=words.level(texts), free=words.free([*texts, description]),
            registration_contact=str(event.get("url") or "").strip()[:500],
        )
        if series.registration_contact.lower().startswith(("https://", "http://")):
            series.registration = "lien"
        else:
            series.registration_contact = ""  # only a web address is a registration link
        span = dt.timedelta(minutes=minutes)
        series.sessions = [Session(start, start + span, cancelled) for start in expansion.starts]
        masters[uid] = series
    for uid, original, cancelled, moved_to in overrides:
        master = masters.get(uid)
        if master is None or original is None:
            continue
        for session in master.sessions:
            if session.starts_at == original:
                session.cancelled = session.cancelled or cancelled
                if moved_to is not None and moved_to != original:  # one date moved: same length, new time
                    session.ends_at = moved_to + (session.ends_at - session.starts_at)
                    session.starts_at = moved_to
    parsed.series = list(masters.values())
    if not parsed.series and not parsed.notes:
        parsed.problems.append("Cet agenda iCalendar ne contient aucun événement.")
    return parsed


# -- OpenAgenda ------------------------------------------------------------------------------------------------
OPENAGENDA_CANCELLED = 6  # status: 1 programmé, 2 reprogrammé, 3 en ligne, 4 reporté, 5 complet, 6 annulé
OPENAGENDA_FULL = 5


def _text(value: object) -> str:
    """OpenAgenda's multilingual fields ({"fr": …, "en": …}): the French text first."""
    if isinstance(value, dict):
        value = value.get("fr") or next((v for v in value.values() if isinstance(v, str | list)), "")
    if isinstance(value, list):
        return " ".join(str(item) for item in value)
    return str(value or "").strip()


def _moment(text: object, zone: dt.tzinfo) -> dt.datetime | None:
    try:
        moment = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def parse_openagenda(data: bytes, *, now: dt.datetime, services: set[str]) -> Parsed:
    parsed = Parsed()
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        parsed.problems.append("Fichier JSON illisible.")
        return parsed
    events = document.get("events") if isinstance(document, dict) else document
    if not isinstance(events, list):
        parsed.problems.append("Ce JSON n'est pas un export OpenAgenda : la liste « events » manque.")
        return parsed
    start, end = recurrence.window(now)
    for event in events:
        if not isinstance(event, dict) or not event.get("uid"):
            parsed.notes.append("Un événement sans identifiant (uid), ignoré.")
            continue
        title = _text(event.get("title"))[:250] or "Atelier"
        label = f"« {title[:60]} »"
        zone_name = str(event.get("timezone") or (event.get("location") or {}).get("timezone") or "")
        try:
            zone: dt.tzinfo = zoneinfo.ZoneInfo(zone_name) if zone_name else DEFAULT_TZ
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            parsed.notes.append(f"{label} : fuseau horaire « {zone_name[:60]} » inconnu, heure de Paris.")
            zone = DEFAULT_TZ
        raw_timings = event.get("timings")
        timings: list = raw_timings if isinstance(raw_timings, list) else []
        cancelled = event.get("status") == OPENAGENDA_CANCELLED
        sessions = []
        for timing in timings:
            begins = _moment((timing or {}).get("begin"), zone) if isinstance(timing, dict) else None
            ends = _moment(timing.get("end"), zone) if begins else None
            if begins is None or ends is None or ends < begins:
                continue
            if start <= begins <= end:
                sessions.append(Session(begins, ends, cancelled))
        if not timings or not any(isinstance(t, dict) and _moment(t.get("begin"), zone) for t in timings):
            parsed.notes.append(f"{label} : événement sans date, ignoré.")
            continue
        raw_location = event.get("location")
        location: dict = raw_location if isinstance(raw_location, dict) else {}
        place_text = ", ".join(str(location.get(key) or "") for key in ("name", "address", "postalCode", "city")
                               if location.get(key))
        keywords = _text(event.get("keywords"))
        conditions = _text(event.get("conditions"))
        raw_registration = event.get("registration")
        registration: list = raw_registration if isinstance(raw_registration, list) else []
        first = next((r for r in registration if isinstance(r, dict) and r.get("value")), None)
        kind = {"email": "courriel", "phone": "telephone", "link": "lien"}.get(str((first or {}).get("type")), "")
        texts = [title, keywords]
        durations = {int((s.ends_at - s.starts_at).total_seconds() // 60) for s in sessions}
        series = Series(
            source_id=str(event["uid"])[:255], title=title, description=_text(event.get("description"))[:5000],
            location=place_text[:500], themes=words.themes(texts, services), publics=words.publics(texts),
            level=words.level(texts), free=words.free([conditions]), fees=conditions[:250],
            registration=kind, registration_contact=str((first or {}).get("value") or "")[:500],
            duration_minutes=durations.pop() if len(durations) == 1 else None, sessions=sessions,
            full=event.get("status") == OPENAGENDA_FULL,
        )
        parsed.series.append(series)
    if not events:
        parsed.problems.append("Cet export OpenAgenda ne contient aucun événement.")
    return parsed
