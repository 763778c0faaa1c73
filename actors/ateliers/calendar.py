"""Sessions written as an iCalendar feed (RFC 5545) a calendar application can subscribe to."""

import datetime as dt

import icalendar
from django.conf import settings
from django.http import HttpRequest

from actors.models import AtelierSession


def to_ics(sessions: list[AtelierSession], *, name: str, request: HttpRequest) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", f"-//{settings.SITE_NAME}//ateliers//FR")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = dt.datetime.now(dt.UTC).replace(microsecond=0)
    for session in sessions:
        series, place = session.series, session.series.structure
        event = icalendar.Event()
        event.add("uid", f"atelier-{session.pk}@{request.get_host()}")
        event.add("dtstamp", stamp)
        event.add("dtstart", session.starts_at)
        event.add("dtend", session.ends_at)
        event.add("summary", series.title)
        event.add("location", ", ".join(part for part in (place.nom, place.adresse, place.code_postal,
                                                           place.commune_nom) if part))
        if series.description:
            event.add("description", series.description)
        event.add("url", request.build_absolute_uri(place.get_absolute_url()))
        calendar.add_component(event)
    return calendar.to_ical()
