"""Agendas imported into ateliers: dates against plain calendar arithmetic in Paris time (the oracle), a second
import that writes nothing, and every kind of bad input as a report line with nothing half-written."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Max

from actors.ateliers import recurrence
from actors.ateliers.importing import import_agenda, import_from
from actors.models import AtelierSeries, AtelierSession
from actors.models.version import data_version
from tests.fixtures.ateliers import (
    DEMARCHES,
    PARIS,
    SMARTPHONE,
    agenda_ics,
    agenda_openagenda,
    at,
    next_monday,
)

pytestmark = pytest.mark.django_db


def shown_starts(title: str) -> list[dt.datetime]:
    return [s.starts_at for s in AtelierSession.objects.not_cancelled().filter(series__title=title)]


def test_a_weekly_series_gives_its_tuesdays_at_14_h_in_paris_without_the_excluded_one(atelier_places):
    monday = next_monday()
    report = import_agenda(data=agenda_ics(monday, weeks=6), structure=atelier_places["mediatheque"], apply=True)
    assert not report.failed, report.lines
    expected = [at(monday + dt.timedelta(days=1 + 7 * week), 14) for week in range(6) if week != 1]
    assert shown_starts("Smartphone pour débutants") == expected
    assert all(s.astimezone(PARIS).hour == 14 for s in shown_starts("Smartphone pour débutants"))
    caf = AtelierSession.objects.get(series__title="Mes démarches CAF en ligne")
    thursday = monday + dt.timedelta(days=3)
    assert (caf.starts_at, caf.ends_at) == (at(thursday, 10), at(thursday, 11, 30))
    assert shown_starts("Découvrir la tablette") == []
    series = AtelierSeries.objects.get(title="Smartphone pour débutants")
    assert set(series.themes.values_list("code", flat=True)) == {SMARTPHONE}
    assert set(series.publics.values_list("code", flat=True)) == {"seniors"}
    assert (series.level, series.free, series.registration) == ("debutant", True, "lien")
    assert set(AtelierSeries.objects.get(title__startswith="Mes démarches").themes.values_list("code", flat=True)) \
        == {DEMARCHES}


def test_a_second_import_of_the_same_agenda_writes_nothing(atelier_places):
    data = agenda_ics(next_monday())
    import_agenda(data=data, structure=atelier_places["mediatheque"], apply=True)
    before = (data_version(), AtelierSession.objects.aggregate(Max("updated_at")),
              AtelierSeries.objects.aggregate(Max("updated_at")), AtelierSession.objects.count())
    report = import_agenda(data=data, structure=atelier_places["mediatheque"], apply=True)
    assert report.written == 0, report.summary()
    assert (data_version(), AtelierSession.objects.aggregate(Max("updated_at")),
            AtelierSeries.objects.aggregate(Max("updated_at")), AtelierSession.objects.count()) == before


def test_a_deleted_series_moves_the_data_version(atelier_places):
    import_agenda(data=agenda_ics(next_monday()), structure=atelier_places["mediatheque"], apply=True)
    before = data_version()
    AtelierSeries.objects.get(title="Smartphone pour débutants").delete()
    assert data_version() != before
    before = data_version()
    AtelierSeries.objects.all().delete()  # a bulk delete too, as a superuser's admin action does
    assert data_version() != before


def test_a_date_removed_from_the_agenda_is_cancelled_at_the_next_import(atelier_places):
    monday = next_monday()
    import_agenda(data=agenda_ics(monday, weeks=6), structure=atelier_places["mediatheque"], apply=True)
    report = import_agenda(data=agenda_ics(monday, weeks=4), structure=atelier_places["mediatheque"], apply=True)
    assert report.sessions_updated == 2
    assert shown_starts("Smartphone pour débutants")[-1] == at(monday + dt.timedelta(days=1 + 7 * 3), 14)


def test_a_simulation_writes_nothing(atelier_places):
    report = import_agenda(data=agenda_ics(next_monday()), structure=atelier_places["mediatheque"], apply=False)
    assert report.series_created == 3 and report.sessions_created > 0
    assert not AtelierSeries.objects.exists() and not AtelierSession.objects.exists()


def test_without_a_place_events_find_theirs_by_address_and_the_others_are_reported(atelier_places):
    monday = next_monday()
    data = agenda_ics(monday, location="Médiathèque François-Mitterrand\\, 4 rue de l'Université\\, 86000 Poitiers")
    report = import_agenda(data=data, structure=None, apply=True)
    assert report.unmatched == 0, report.lines
    assert set(AtelierSeries.objects.values_list("structure", flat=True)) == {atelier_places["mediatheque"].pk}
    AtelierSeries.objects.all().delete()
    report = import_agenda(data=agenda_ics(monday, location="Salle des fêtes\\, 33000 Bordeaux"), structure=None,
                           apply=True)
    assert report.unmatched == 3 and not AtelierSeries.objects.exists()
    assert any("aucun lieu ne correspond" in line for line in report.lines)


@pytest.mark.parametrize("data, says", [
    (b"<html><body>Agenda</body></html>", "ni un agenda iCalendar"),
    (b"BEGIN:VCALENDAR\r\nthis is : not ; valid\r\n\x00", "iCalendar"),
    (b'{"agenda": "no events list"}', "events"),
    (b"{not json", "JSON illisible"),
])
def test_an_agenda_that_cannot_be_read_is_refused_with_nothing_written(atelier_places, data, says):
    report = import_agenda(data=data, structure=atelier_places["mediatheque"], apply=True)
    assert report.failed and any(says in line for line in report.lines), report.lines
    assert not AtelierSeries.objects.exists()


def test_a_20_mb_feed_is_refused_before_it_is_read(atelier_places, tmp_path):
    big = tmp_path / "big.ics"
    big.write_bytes(b"BEGIN:VCALENDAR\r\n" + b"X" * (20 * 1024 * 1024))
    report = import_from(where=str(big), structure=atelier_places["mediatheque"], apply=True)
    assert report.failed and "trop volumineux" in report.lines[0]
    assert not AtelierSeries.objects.exists()


def test_an_unreachable_url_is_a_report_line(atelier_places):
    report = import_from(where="http://127.0.0.1:9/agenda.ics", structure=atelier_places["mediatheque"], apply=True)
    assert report.failed and "injoignable" in report.lines[0]


def event(body: str) -> bytes:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nDTSTAMP:20260101T000000Z\r\n" + body
            + "END:VEVENT\r\nEND:VCALENDAR\r\n").encode()


def test_an_event_without_a_date_is_left_out_and_said(atelier_places):
    data = event("UID:sans-date\r\nSUMMARY:Atelier sans date\r\n")
    report = import_agenda(data=data, structure=atelier_places["mediatheque"], apply=True)
    assert any("sans date" in line for line in report.lines) and not AtelierSeries.objects.exists()


def test_a_recurrence_without_end_stops_at_the_horizon(atelier_places):
    tuesday = next_monday() + dt.timedelta(days=1)
    data = event(f"UID:sans-fin\r\nSUMMARY:Permanence\r\nDTSTART;TZID=Europe/Paris:{tuesday:%Y%m%d}T140000\r\n"
                 "DURATION:PT2H\r\nRRULE:FREQ=DAILY\r\n")
    report = import_agenda(data=data, structure=atelier_places["mediatheque"], apply=True)
    starts = shown_starts("Permanence")
    assert any("sans fin" in line for line in report.lines)
    horizon = dt.datetime.now(dt.UTC) + dt.timedelta(days=recurrence.HORIZON_DAYS)
    assert starts[0] == at(tuesday, 14) and starts[-1] <= horizon < starts[-1] + dt.timedelta(days=1)
    assert len(starts) == (starts[-1].date() - tuesday).days + 1


def test_an_hourly_rule_is_refused_as_not_a_workshop(atelier_places):
    data = event("UID:chaque-minute\r\nSUMMARY:Bruit\r\nDTSTART:20260101T000000Z\r\nRRULE:FREQ=MINUTELY\r\n")
    report = import_agenda(data=data, structure=atelier_places["mediatheque"], apply=True)
    assert any("trop fréquente" in line for line in report.lines) and not AtelierSession.objects.exists()


@pytest.mark.parametrize("start, says", [
    ("DTSTART;TZID=Mars/Olympus:{day}T140000", "fuseau horaire « Mars/Olympus » inconnu"),
    ("DTSTART:{day}T140000", "sans fuseau horaire"),
])
def test_a_missing_or_unknown_time_zone_is_read_as_paris_and_said(atelier_places, start, says):
    tuesday = next_monday() + dt.timedelta(days=1)
    data = event(f"UID:fuseau\r\nSUMMARY:Atelier\r\n{start.format(day=f'{tuesday:%Y%m%d}')}\r\nDURATION:PT1H\r\n")
    report = import_agenda(data=data, structure=atelier_places["mediatheque"], apply=True)
    assert any(says in line for line in report.lines), report.lines
    assert shown_starts("Atelier") == [at(tuesday, 14)]


def test_an_openagenda_export_gives_the_same_sessions_and_a_second_import_writes_nothing(atelier_places):
    monday = next_monday()
    report = import_agenda(data=agenda_openagenda(monday), structure=None, apply=True)
    assert not report.failed and report.unmatched == 0, report.lines
    assert shown_starts("Smartphone pour débutants") == [
        at(monday + dt.timedelta(days=1 + 7 * week), 14) for week in (0, 2, 3)]
    assert shown_starts("Découvrir la tablette") == []
    series = AtelierSeries.objects.get(title="Smartphone pour débutants")
    assert (series.source, series.source_id, series.free, series.registration) == (
        "openagenda", "41230001", True, "telephone")
    assert series.structure == atelier_places["mediatheque"]
    assert import_agenda(data=agenda_openagenda(monday), structure=None, apply=True).written == 0


def test_an_openagenda_event_without_timings_is_left_out(atelier_places):
    data = json.dumps({"events": [{"uid": 1, "title": {"fr": "Sans date"}, "timings": []}]}).encode()
    report = import_agenda(data=data, structure=atelier_places["mediatheque"], apply=True)
    assert any("sans date" in line for line in report.lines) and not AtelierSeries.objects.exists()


def test_the_command_imports_reports_and_says_when_nothing_is_written(atelier_places, tmp_path, capsys):
    path = tmp_path / "agenda.ics"
    path.write_bytes(agenda_ics(next_monday()))
    call_command("import_ateliers", str(path), "--lieu", atelier_places["mediatheque"].slug)
    assert not AtelierSeries.objects.exists()
    call_command("import_ateliers", str(path), "--lieu", atelier_places["mediatheque"].slug, "--apply")
    assert AtelierSeries.objects.count() == 3
    (tmp_path / "page.html").write_text("<html></html>")
    with pytest.raises(CommandError) as refused:
        call_command("import_ateliers", str(tmp_path / "page.html"), "--apply")
    assert refused.value.returncode == 1


def test_the_same_date_twice_in_an_export_is_one_session(atelier_places):
    begin = at(next_monday() + dt.timedelta(days=2), 10)
    timing = {"begin": begin.isoformat(), "end": (begin + dt.timedelta(hours=1)).isoformat()}
    data = json.dumps({"events": [{"uid": 7, "title": {"fr": "Doublon"}, "timings": [timing, timing]}]}).encode()
    report = import_agenda(data=data, structure=atelier_places["mediatheque"], apply=True)
    assert not report.failed and shown_starts("Doublon") == [begin]
