"""Applying the eight demo files, then all of them again, writes no history row the second time."""

from io import StringIO

import pytest
from django.core.management import call_command

from actors.devdata import demo
from actors.imports import import_file
from actors.models import Structure

pytestmark = pytest.mark.django_db(transaction=False)
DEPARTEMENTS = "16,17,19,23,24,33,40,47,64,79,86,87"


def _apply_all() -> list:
    return [import_file(demo.SOURCES_DIR / name, apply=True) for name in demo.SOURCE_FILES]


def test_a_second_pass_of_the_eight_demo_files_writes_no_history_row(terms):
    call_command("load_territories", departements=DEPARTEMENTS, force=True, stdout=StringIO())
    first = _apply_all()
    for report in first:
        rejected = {}
        for problem in report.problems:
            if problem.rejected:
                key = f"{problem.column}: {problem.reason[:60]}"
                rejected[key] = rejected.get(key, 0) + 1
        print("FIRST", report.filename, report.ok, report.fatal[:80], report.rows, report.places, report.created,
              report.updated, report.unchanged, report.rejected,
              sum(1 for p in report.problems if not p.rejected and p.column == "commune"), rejected)
    history = Structure.history.count()
    second = _apply_all()
    for report in second:
        print("SECOND", report.filename, report.created, report.updated, report.unchanged, report.rejected)
    print("HISTORY", history, Structure.history.count() - history)
    assert Structure.history.count() == history
