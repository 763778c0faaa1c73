import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from actors.models import Structure, TemporaryClosure
from actors.opening.status import hours_summary, opening_status, status_for_hours, weekly_table

OFFICE = "Mo-Fr 09:00-12:00,14:00-17:30; Sa 10:00-12:00"
PARIS = ZoneInfo("Europe/Paris")


def at(year, month, day, hour, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=PARIS)


def closure(starts_on, ends_on, reason=""):
    return TemporaryClosure(starts_on=starts_on, ends_on=ends_on, reason=reason)


def test_a_place_open_now_says_when_it_closes():
    status = status_for_hours(OFFICE, at(2026, 11, 17, 15, 10))  # a Tuesday afternoon
    assert status.is_open is True
    assert status.label == "Ouvert maintenant, ferme à 17:30"


def test_on_saturday_morning_a_place_open_on_saturday_is_open_until_noon():
    status = status_for_hours(OFFICE, at(2026, 11, 21, 10, 30))
    assert (status.is_open, status.label) == (True, "Ouvert maintenant, ferme à 12:00")


def test_on_saturday_morning_a_weekday_office_says_it_opens_on_monday():
    status = status_for_hours("Mo-Fr 09:00-12:00,14:00-17:30", at(2026, 11, 21, 10, 30))
    assert (status.is_open, status.label) == (False, "Fermé, ouvre lundi à 9:00")


def test_during_lunch_break_it_opens_again_today():
    status = status_for_hours(OFFICE, at(2026, 11, 17, 12, 45))
    assert (status.is_open, status.label) == (False, "Ouvre aujourd'hui à 14:00")


def test_in_the_evening_it_opens_tomorrow():
    assert status_for_hours(OFFICE, at(2026, 11, 17, 19, 0)).label == "Fermé, ouvre demain à 9:00"


def test_a_public_holiday_closes_a_place_whose_hours_do_not_mention_holidays():
    status = status_for_hours(OFFICE, at(2026, 11, 11, 10, 0))  # Wednesday 11 November, Armistice
    assert (status.is_open, status.label) == (False, "Fermé aujourd'hui : jour férié")


def test_christmas_is_a_public_holiday_too():
    assert status_for_hours(OFFICE, at(2026, 12, 25, 15, 0)).label == "Fermé aujourd'hui : jour férié"


def test_hours_that_open_on_public_holidays_are_respected():
    status = status_for_hours("Mo-Fr 09:00-17:00; PH 10:00-12:00", at(2026, 11, 11, 11, 0))
    assert (status.is_open, status.label) == (True, "Ouvert maintenant, ferme à 12:00")


def test_after_midnight_a_late_place_is_still_open():
    status = status_for_hours("Fr 20:00-02:00", at(2026, 11, 21, 0, 30))  # Saturday 0:30
    assert (status.is_open, status.label) == (True, "Ouvert maintenant, ferme à 2:00")


def test_before_midnight_a_late_place_closes_tomorrow_at_night():
    label = status_for_hours("Fr 20:00-02:00", at(2026, 11, 20, 23, 0)).label
    assert label == "Ouvert maintenant, ferme demain à 2:00"


def test_a_temporary_closure_wins_over_the_hours_and_gives_its_reason():
    closures = [closure(dt.date(2026, 11, 16), dt.date(2026, 12, 3), "travaux")]
    status = status_for_hours(OFFICE, at(2026, 11, 17, 10, 0), closures)
    assert (status.is_open, status.label) == (False, "Fermé temporairement jusqu'au 3 décembre : travaux")


def test_a_closure_ending_next_year_names_the_year_and_needs_no_reason():
    closures = [closure(dt.date(2026, 12, 20), dt.date(2027, 1, 4))]
    status = status_for_hours(OFFICE, at(2026, 12, 22, 10, 0), closures)
    assert status.label == "Fermé temporairement jusqu'au 4 janvier 2027"


def test_the_next_opening_skips_a_closure_starting_tomorrow():
    closures = [closure(dt.date(2026, 11, 18), dt.date(2026, 11, 20))]
    status = status_for_hours(OFFICE, at(2026, 11, 17, 19, 0), closures)
    assert status.label == "Fermé, ouvre samedi à 10:00"


def test_a_next_opening_more_than_a_week_away_gives_the_date():
    closures = [closure(dt.date(2026, 11, 18), dt.date(2026, 11, 30))]
    status = status_for_hours(OFFICE, at(2026, 11, 17, 19, 0), closures)
    assert status.label == "Fermé, ouvre le 1 décembre à 9:00"


def test_no_hours_means_unknown():
    status = status_for_hours("", at(2026, 11, 21, 10, 0))
    assert (status.is_open, status.label, status.css) == (None, "Horaires non renseignés", "unknown")


def test_unreadable_hours_are_treated_as_unknown_not_as_an_error():
    assert status_for_hours("lundi matin", at(2026, 11, 21, 10, 0)).is_open is None


def test_an_unknown_state_gives_its_comment():
    status = status_for_hours('Mo-Fr 09:00-12:00; Sa 10:00-12:00 unknown "sur rendez-vous"',
                              at(2026, 11, 21, 10, 30))
    assert (status.is_open, status.label) == (None, "Sur rendez-vous")


def test_an_open_interval_with_a_comment_shows_it():
    status = status_for_hours('Mo-Fr 09:00-12:00 "sur rendez-vous"', at(2026, 11, 17, 10, 0))
    assert status.label == "Ouvert maintenant, ferme à 12:00 (sur rendez-vous)"


def test_always_open_has_no_closing_time():
    assert status_for_hours("24/7", at(2026, 11, 17, 10, 0)).label == "Ouvert maintenant"


def test_opening_status_reads_the_structure_hours_and_given_closures():
    structure = Structure(horaires=OFFICE)
    closures = [closure(dt.date(2026, 11, 21), dt.date(2026, 11, 21), "inventaire")]
    status = opening_status(structure, at(2026, 11, 21, 10, 30), closures)
    assert status.label == "Fermé temporairement jusqu'au 21 novembre : inventaire"


def test_the_weekly_table_lists_monday_to_sunday_with_intervals():
    rows = weekly_table(OFFICE)
    assert [row.name for row in rows] == ["Lundi", "Mardi", "Mercredi", "Jeudi", "Vendredi", "Samedi", "Dimanche"]
    assert rows[0].text == "9:00–12:00, 14:00–17:30"
    assert rows[5].text == "10:00–12:00"
    assert (rows[6].text, rows[6].is_closed) == ("Fermé", True)
    assert not any(row.is_today for row in rows)


def test_the_weekly_table_highlights_today_and_notes_a_coming_public_holiday():
    rows = weekly_table(OFFICE, today=dt.date(2026, 11, 9))  # Monday; Wednesday is 11 November
    assert rows[0].is_today and not rows[1].is_today
    assert rows[2].text == "9:00–12:00, 14:00–17:30"
    assert rows[2].notes == ["Fermé le 11 novembre (jour férié)"]
    assert rows[3].notes == []


def test_the_weekly_table_notes_a_temporary_closure():
    rows = weekly_table(OFFICE, today=dt.date(2026, 11, 17), closures=[closure(dt.date(2026, 11, 19),
                                                                                dt.date(2026, 11, 19))])
    assert rows[3].notes == ["Fermé le 19 novembre (fermeture temporaire)"]


def test_the_weekly_table_shows_a_late_interval_once_and_comments():
    rows = weekly_table('Mo 10:00-12:00 unknown "sur rendez-vous"; Fr 20:00-02:00; Su off "sauf marché"')
    assert rows[0].text == "10:00–12:00 (sur rendez-vous)"
    assert rows[4].text == "20:00–2:00"
    assert rows[5].text == "Fermé"
    assert rows[6].text == "Fermé (sauf marché)"


def test_the_weekly_table_is_empty_without_hours():
    assert weekly_table("") == []


def test_the_hours_summary_groups_days_with_the_same_hours():
    assert hours_summary(weekly_table(OFFICE)) == "Lundi–vendredi 9:00–12:00, 14:00–17:30\nSamedi 10:00–12:00"


@pytest.mark.parametrize("moment", [at(2026, 11, 21, 10, 30), dt.datetime(2026, 11, 21, 10, 30)])
def test_naive_and_aware_datetimes_mean_paris_time(moment):
    assert status_for_hours(OFFICE, moment).is_open is True


def test_an_utc_datetime_is_converted_to_paris_time():
    # 9:30 UTC is 10:30 in Paris in November.
    assert status_for_hours(OFFICE, dt.datetime(2026, 11, 21, 9, 30, tzinfo=dt.UTC)).is_open is True


def test_a_closure_running_today_leaves_the_regular_week_to_its_banner():
    closures = [closure(dt.date(2026, 11, 16), dt.date(2026, 11, 30))]
    rows = weekly_table(OFFICE, today=dt.date(2026, 11, 17), closures=closures)
    assert all(row.notes == [] for row in rows)
    assert rows[1].text == "9:00–12:00, 14:00–17:30"


def test_holiday_hours_written_in_the_expression_are_noted_for_the_coming_holiday():
    rows = weekly_table("Mo-Fr 09:00-17:00; PH 10:00-12:00", today=dt.date(2026, 11, 9))
    assert rows[2].text == "9:00–17:00"
    assert rows[2].notes == ["Le 11 novembre (jour férié) : 10:00–12:00"]
