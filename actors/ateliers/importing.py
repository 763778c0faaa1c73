"""An agenda written into series and sessions: one transaction, nothing when the agenda is unreadable, and nothing
at all when nothing changed (a second import of the same agenda writes no row, so the data version stays)."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from actors.ateliers import matching, parsing, reading
from actors.models import AtelierFeed, AtelierSeries, AtelierSession, Structure, Term
from actors.vocabulary.enums import TermKind

SERIES_FIELDS = ("title", "description", "recurrence", "duration_minutes", "level", "free", "fees",
                 "registration", "registration_contact", "accessibility")


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    failed: bool = False
    series_created: int = 0
    series_updated: int = 0
    sessions_created: int = 0
    sessions_updated: int = 0
    unmatched: int = 0

    @property
    def written(self) -> int:
        return self.series_created + self.series_updated + self.sessions_created + self.sessions_updated

    def summary(self) -> str:
        return (f"{self.series_created} atelier(s) créé(s), {self.series_updated} modifié(s) ; "
                f"{self.sessions_created} séance(s) créée(s), {self.sessions_updated} modifiée(s) ; "
                f"{self.unmatched} événement(s) sans lieu.")


def import_from(*, where: str, structure: Structure | None, feed: AtelierFeed | None = None, apply: bool,
                now: dt.datetime | None = None) -> Report:
    try:
        data = reading.read(where)
    except reading.Unreadable as error:
        return Report(lines=[str(error)], failed=True)
    return import_agenda(data=data, structure=structure, feed=feed, apply=apply, now=now)


def import_agenda(*, data: bytes, structure: Structure | None, feed: AtelierFeed | None = None, apply: bool,
                  now: dt.datetime | None = None) -> Report:
    """`structure`: every event is at that place; None: each event's location names its place (or is reported)."""
    now = now or timezone.now()
    if len(data) > reading.MAX_BYTES:
        return Report(lines=["Agenda trop volumineux : rien n'a été lu."], failed=True)
    terms = {(term.kind, term.code): term for term in Term.objects.filter(
        kind__in=[TermKind.SERVICES, TermKind.PUBLICS])}
    services = {code for kind, code in terms if kind == TermKind.SERVICES}
    parsed = parsing.detect_and_parse(data, now=now, services=services)
    report = Report(lines=[*parsed.problems, *parsed.notes], failed=bool(parsed.problems))
    if report.failed:
        return report
    source = "openagenda" if data.lstrip()[:1] in (b"{", b"[") else "ical"
    with transaction.atomic():
        for series in parsed.series:
            place = structure or matching.place_for(series.location)
            if place is None:
                report.unmatched += 1
                report.lines.append(f"« {series.title[:60]} » : aucun lieu ne correspond à « {series.location[:120]} »"
                                    " ; précisez le lieu (--lieu) ou corrigez l'adresse dans l'agenda.")
                continue
            _write_series(series, place=place, source=source, feed=feed, terms=terms, now=now, report=report)
        if not apply:
            transaction.set_rollback(True)
    return report


def _write_series(parsed: parsing.Series, *, place: Structure, source: str, feed: AtelierFeed | None,
                  terms: dict, now: dt.datetime, report: Report) -> None:
    values = {name: getattr(parsed, name) for name in SERIES_FIELDS}
    series = AtelierSeries.objects.filter(source=source, source_id=parsed.source_id).first()
    created = series is None
    if series is None:
        series = AtelierSeries.objects.create(structure=place, source=source, source_id=parsed.source_id,
                                              feed=feed, **values)
        report.series_created += 1
    else:
        # The importer's own fields only: seats and language set by hand in the admin stay.
        changed = {name: value for name, value in values.items() if getattr(series, name) != value}
        if series.structure_id != place.pk:
            changed["structure"] = place
        if feed is not None and series.feed_id != feed.pk:
            changed["feed"] = feed
        if changed:
            for name, value in changed.items():
                setattr(series, name, value)
            series.save()
            report.series_updated += 1
    wanted = [(TermKind.SERVICES, code) for code in parsed.themes] + [(TermKind.PUBLICS, c) for c in parsed.publics]
    themes = {terms[key].pk for key in wanted if key in terms and key[0] == TermKind.SERVICES}
    publics = {terms[key].pk for key in wanted if key in terms and key[0] == TermKind.PUBLICS}
    labels_changed = False
    if set(series.themes.values_list("pk", flat=True)) != themes:
        series.themes.set(themes)
        labels_changed = True
    if set(series.publics.values_list("pk", flat=True)) != publics:
        series.publics.set(publics)
        labels_changed = True
    if labels_changed and not created:
        series.save(update_fields=["updated_at"])  # the data version moves with the series' themes
        report.series_updated += 1
    _write_sessions(series, parsed, now=now, report=report)


def _write_sessions(series: AtelierSeries, parsed: parsing.Series, *, now: dt.datetime, report: Report) -> None:
    existing = {session.starts_at: session for session in series.sessions.all()}
    seen = set()
    new: list[AtelierSession] = []
    for one in parsed.sessions:
        starts = one.starts_at.astimezone(dt.UTC)
        if starts in seen:  # the same date twice in the agenda (two OpenAgenda timings): one session
            continue
        seen.add(starts)
        session = existing.get(starts)
        if session is None:
            new.append(AtelierSession(series=series, starts_at=starts, ends_at=one.ends_at, cancelled=one.cancelled,
                                      seats_left=0 if parsed.full else series.seats))
            continue
        changed = session.ends_at != one.ends_at or session.cancelled != one.cancelled
        if parsed.full and session.seats_left != 0:
            session.seats_left, changed = 0, True
        if changed:
            session.ends_at, session.cancelled = one.ends_at, one.cancelled
            session.save()
            report.sessions_updated += 1
    AtelierSession.objects.bulk_create(new)  # a weekly series within the horizon is some 26 rows at once
    report.sessions_created += len(new)
    # A future session the agenda no longer lists (an EXDATE added, a date removed) is cancelled, never shown.
    for starts, session in existing.items():
        if starts not in seen and starts >= now and not session.cancelled:
            session.cancelled = True
            session.save(update_fields=["cancelled", "updated_at"])
            report.sessions_updated += 1
