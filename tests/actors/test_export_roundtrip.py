"""Importing a valid file of the standard then exporting it gives the same rows and values back."""

import csv
import io
import json

import pytest

from actors.models import Structure
from actors.open_data.exports import export_chunks
from actors.standard import TERM_COLUMNS, columns
from tests.fixtures.standard import generated_standard_rows, import_standard_rows, read_example


def comparable(row: dict[str, str]) -> dict:
    """Multi-valued cells as sets, coordinates as numbers: the equivalence the standard defines."""
    result = {}
    for column in columns():
        value = (row.get(column) or "").strip()
        if column in TERM_COLUMNS:
            result[column] = set(value.split("|")) - {""}
        elif column in ("latitude", "longitude") and value:
            result[column] = round(float(value), 7)
        else:
            result[column] = value
    return result


def exported(fmt: str) -> list[dict[str, str]]:
    text = "".join(export_chunks(Structure.objects.all(), fmt))
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(text, newline="")))
    if fmt == "json":
        return json.loads(text)
    return [feature["properties"] for feature in json.loads(text)["features"]]


def assert_round_trip(rows, fmt):
    by_id = {row["id"]: row for row in exported(fmt)}
    assert sorted(by_id) == sorted(row["id"] for row in rows)
    for row in rows:
        assert comparable(by_id[row["id"]]) == comparable(row), row["id"]


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "json", "geojson"])
def test_the_official_example_comes_back_identical(terms, fmt):
    rows = read_example()
    import_standard_rows(rows)
    assert_round_trip(rows, fmt)


@pytest.mark.django_db
def test_the_exported_csv_has_the_standard_header_in_order_then_the_two_extension_columns(terms):
    import_standard_rows(read_example())
    text = "".join(export_chunks(Structure.objects.all(), "csv"))
    assert text.splitlines()[0] == ",".join([*columns(), "slug", "communes_desservies"])


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["csv", "json", "geojson"])
def test_a_generated_file_with_every_allowed_value_comes_back_identical(vienne, terms, fmt):
    rows = generated_standard_rows()
    results = import_standard_rows(rows)
    assert {result.action for result in results} == {"created"}
    assert_round_trip(rows, fmt)


@pytest.mark.django_db
def test_importing_the_exported_file_again_changes_nothing(vienne, terms):
    import_standard_rows(generated_standard_rows())
    again = import_standard_rows(exported("csv"))
    assert {result.action for result in again} == {"unchanged"}
