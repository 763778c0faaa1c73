"""`varies` walks a rule once over 400 days (issue 22, import speed): each date's intervals must be the ones
the opening_hours library gives when asked about that date alone, for every rule of the demo and the edge
cases (midnight crossings, 24/7, holidays, weeks, months)."""

import datetime as dt

from actors.devdata import demo
from actors.opening import hours

EDGES = ["24/7", "Mo-Su 00:00-24:00", "Mo-Fr 22:00-02:00", "Sa 20:00-26:00", "Mo-Fr 09:00-12:00,12:00-14:00; PH open",
         "Jan-Mar Mo 10:00-12:00", "week 1-53/2 Fr 09:00-12:00", "Mo-Fr 08:00-12:00; Dec 25 off", "Mo 10:00-12:00 off"]


def test_one_walk_over_the_horizon_gives_each_dates_own_intervals():
    rules = sorted({r["horaires"] for r in demo.read_snapshot()["structures"] if r["horaires"]}) + EDGES
    first = dt.date(2026, 12, 7)  # a year end: Christmas, New Year and a change of year inside the horizon
    checked = 0
    for rule in rules:
        expression = hours.effective(rule)
        if expression is None:
            continue
        walked = hours.days_intervals(expression, first, hours.HORIZON.days)
        assert len(walked) == hours.HORIZON.days
        for day, intervals in walked.items():
            assert intervals == hours.day_intervals(expression, day), (rule, day)
        checked += 1
    assert checked > 700


def test_rules_without_dates_or_holidays_are_not_walked_and_answer_as_if_they_were():
    rules = sorted({r["horaires"] for r in demo.read_snapshot()["structures"] if r["horaires"]}) + EDGES
    today = dt.date(2026, 12, 7)
    answers = [(rule, hours.varies(rule, today)) for rule in rules]
    assert answers == [(rule, hours.varies(rule, today, walk_always=True)) for rule in rules]
    assert sum(varied for _rule, varied in answers) > 10  # the walk still finds the rules that vary
