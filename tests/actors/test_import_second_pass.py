"""Applying the eight demo files, then all of them again, writes no history row the second time.

Measured on this branch (and on main before it): first pass 1,823 places created and 338 updated (the
data·inclusion file carries the CNFS records), 11 rows rejected (Haute-Vienne 4, Creuse 2, Fibre 64 5);
second pass: 0 created, 0 updated, 0 history rows.
"""

from io import StringIO

import pytest
from django.core.management import call_command

from actors.devdata import demo
from actors.imports import import_file
from actors.models import Structure

pytestmark = pytest.mark.django_db
DEPARTEMENTS = "16,17,19,23,24,33,40,47,64,79,86,87"


def apply_all() -> list:
    return [import_file(demo.SOURCES_DIR / name, apply=True) for name in demo.SOURCE_FILES]


def test_a_second_pass_of_the_eight_demo_files_writes_no_history_row(terms):
    call_command("load_territories", departements=DEPARTEMENTS, force=True, stdout=StringIO())
    first = apply_all()
    assert all(report.ok for report in first)
    assert sum(report.created for report in first) == Structure.objects.count() == 1823
    assert sum(report.updated for report in first) == 338
    assert {report.filename: report.rejected for report in first if report.rejected} == {
        "haute_vienne_87.json": 4, "la_creuse_23.json": 2, "fibre64_pyrenees_atlantiques_64.json": 5}
    history = Structure.history.count()
    second = apply_all()
    assert sum(report.created + report.updated for report in second) == 0
    assert Structure.history.count() == history
