"""Property-based tests of the opening-hours readers: any text gives a result or the documented InvalidHours,
never another exception; valid expressions round-trip, and the weekly slots agree with opening-hours-py."""

import datetime as dt

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from actors.opening import hours
from actors.opening import status as opening
from actors.opening.preview import hours_preview

DAYS = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"]
# Characters of the OSM grammar, so that random text reaches deep into the parser and not only its first token.
OSM_ALPHABET = "MoTuWeThFrSaSuPHSHoffclosedopenunknown0123456789:-,;+/[] \"'<>\x00\u202e"
PROPERTIES = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

any_text = st.one_of(st.text(max_size=80), st.text(alphabet=OSM_ALPHABET, max_size=60))
moments = st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2100, 12, 31))


@st.composite
def weekly_expressions(draw) -> tuple[str, dict[int, list[tuple[int, int]]]]:
    """A valid OSM expression of whole weekdays with intervals, and the slots it means (our oracle-free source)."""
    rules, meaning = [], {}
    for day in draw(st.lists(st.integers(0, 6), min_size=1, max_size=7, unique=True).map(sorted)):
        bounds = sorted(draw(st.lists(st.integers(0, 96), min_size=2, max_size=6, unique=True)))
        pairs = [(bounds[i] * 15, bounds[i + 1] * 15) for i in range(0, len(bounds) - 1, 2)]
        text = ",".join(f"{a // 60:02d}:{a % 60:02d}-{b // 60:02d}:{b % 60:02d}" for a, b in pairs)
        rules.append(f"{DAYS[day]} {text}")
        meaning[day] = pairs
    return "; ".join(rules), meaning


@PROPERTIES
@given(any_text)
@example("\x00")
@example("Mo-Fr 09:00-12:00 \"<img src=x onerror=alert(1)>\"")
@example("24/7; " * 80)
def test_any_text_is_read_or_refused_with_the_documented_error(text):
    try:
        expression = hours.parse(text)
    except hours.InvalidHours as error:
        assert "Horaires illisibles" in str(error)
        return
    assert expression is not None


@PROPERTIES
@given(any_text)
def test_weekly_slots_of_any_text_are_well_formed_or_refused(text):
    try:
        slots = hours.weekly_slots(text)
    except hours.InvalidHours:
        return
    for weekday, opens, closes in slots:
        assert 0 <= weekday <= 6
        assert 0 <= opens < closes <= 1440


@PROPERTIES
@given(any_text, moments)
def test_status_and_table_of_any_text_at_any_time_never_fail(text, now):
    """The pages call these on whatever the data holds: an unreadable string is "non renseignés", not an error."""
    status = opening.status_for_hours(text, now)
    assert status.is_open in (True, False, None)
    assert status.label
    rows = opening.weekly_table(text, today=now.date())
    assert len(rows) in (0, 7)
    opening.hours_summary(rows)


@PROPERTIES
@given(any_text)
def test_the_admin_preview_of_any_text_is_text_or_the_documented_error(text):
    try:
        preview = hours_preview(text)
    except hours.InvalidHours:
        return
    assert isinstance(preview, str)


@PROPERTIES
@given(weekly_expressions())
def test_a_generated_week_gives_back_exactly_its_slots(generated):
    text, meaning = generated
    expected = sorted((day, a, b) for day, pairs in meaning.items() for a, b in pairs)
    assert sorted(hours.weekly_slots(text)) == expected


@PROPERTIES
@given(weekly_expressions(), st.integers(0, 7 * 1440 - 1))
def test_weekly_slots_agree_with_opening_hours_py_at_any_minute_of_the_week(generated, minute):
    text, _meaning = generated
    moment = hours.REFERENCE_MONDAY + dt.timedelta(minutes=minute)
    inside = any(day == moment.weekday() and opens <= moment.hour * 60 + moment.minute < closes
                 for day, opens, closes in hours.weekly_slots(text))
    assert inside == hours.parse(text).is_open(moment)


@PROPERTIES
@given(st.one_of(weekly_expressions().map(lambda generated: generated[0]), any_text))
def test_a_readable_expression_round_trips_through_its_normal_form(text):
    try:
        expression = hours.parse(text)
    except hours.InvalidHours:
        return
    normal = str(expression.normalize())
    again = hours.parse(normal)
    assert str(again.normalize()) == normal  # normalising is idempotent
    assert hours.weekly_slots(normal) == hours.weekly_slots(text)
    assert hours.weekly_slots(str(expression)) == hours.weekly_slots(text)


@given(st.integers(0, 1439))
def test_minutes_format_and_read_back(minutes):
    text = hours.format_minutes(minutes)
    clock, rest = text.split(":")
    assert int(clock) * 60 + int(rest) == minutes
