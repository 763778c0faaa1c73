"""Postal reality and large communes (issue 22, items 2 and 3), on the shipped territory files.

Measured before: places of Kourou (29 km from its commune's centre), Saint-Laurent-du-Maroni (62 km) and Camopi
(63 km) had their points replaced by the centre, the 20 km rule being the same for every commune; « Le Mans
Cedex 2 » (72015) and « culoz » (01350, now part of Culoz-Béon) answered « commune introuvable ».
"""

import csv

import pytest
from django.contrib.gis.db.models.functions import Distance
from django.contrib.gis.geos import Point
from django.core.management import call_command

from actors.imports import import_file
from actors.models import Structure
from territories.communes import commune_from_text
from territories.models import Commune, FormerCommune
from territories.reach import reaches
from tests.fixtures.imports import write_rows
from tests.fixtures.territories import _Quiet

pytestmark = pytest.mark.django_db

# Points of the towns where the places are (OpenStreetMap), far from their communes' area-weighted centres.
KOUROU, SAINT_LAURENT, CAMOPI = (-52.6500, 5.1590), (-54.0300, 5.4980), (-52.3360, 3.1650)


@pytest.fixture
def postal_territories(terms):
    call_command("load_territories", departements="01,72,973", force=True, stdout=_Quiet())


def template_row(import_data) -> dict[str, str]:
    with open(import_data / "valide.csv", encoding="utf-8", newline="") as stream:
        return next(csv.DictReader(stream))


def row(import_data, ident: str, **values: str) -> dict[str, str]:
    return {**template_row(import_data), "id": ident, "pivot": "", "latitude": "", "longitude": "",
            "code_insee": "", **values}


def at(lon_lat: tuple[float, float]) -> dict[str, str]:
    return {"longitude": str(lon_lat[0]), "latitude": str(lon_lat[1])}


def km_from_centre(place: Structure, lon_lat: tuple[float, float]) -> float:
    """The database's own distance from the file's point to the commune's centre."""
    point = Point(*lon_lat, srid=4326)
    return Commune.objects.filter(pk=place.commune_id).annotate(
        d=Distance("centre", point, spheroid=True)).get().d.m / 1000


def test_points_of_large_communes_are_kept_beyond_20_km(postal_territories, import_data, tmp_path):
    rows = [row(import_data, "kourou", commune="Kourou", code_postal="97310", code_insee="97304", **at(KOUROU)),
            row(import_data, "slm", commune="Saint-Laurent-du-Maroni", code_postal="97320", code_insee="97311",
                **at(SAINT_LAURENT)),
            row(import_data, "camopi", commune="Camopi", code_postal="97330", code_insee="97356", **at(CAMOPI))]
    report = import_file(write_rows(tmp_path / "guyane.csv", rows), apply=True)
    assert report.created == 3 and not [p for p in report.problems if p.column == "commune"]
    for ident, lon_lat, beyond_km in (("kourou", KOUROU, 25), ("slm", SAINT_LAURENT, 55), ("camopi", CAMOPI, 55)):
        place = Structure.objects.get(source_id=ident)
        assert km_from_centre(place, lon_lat) > beyond_km  # the old rule would have moved it
        assert (place.location_is_approximate, place.commune_is_approximate, place.source_location) == (
            False, False, None)
        assert (round(place.location.x, 4), round(place.location.y, 4)) == lon_lat


def test_a_point_beyond_a_communes_reach_is_still_set_aside_with_its_distances(postal_territories, import_data,
                                                                                tmp_path):
    """Cayenne is small: a point in Kourou, 45 km away, is not believed; Kourou's reach is no blank cheque."""
    rows = [row(import_data, "cayenne", commune="Cayenne", code_postal="97300", code_insee="97302", **at(KOUROU)),
            row(import_data, "kourou", commune="Kourou", code_postal="97310", code_insee="97304",
                **at(SAINT_LAURENT))]
    report = import_file(write_rows(tmp_path / "loin.csv", rows), apply=True)
    lines = {p.row: p.reason for p in report.problems if p.column == "commune"}
    for number, ident, lon_lat in ((1, "cayenne", KOUROU), (2, "kourou", SAINT_LAURENT)):
        place = Structure.objects.get(source_id=ident)
        km = round(km_from_centre(place, lon_lat))
        assert f"position à {km} km du centre de {place.commune}" in lines[number]
        assert place.location_is_approximate and place.location == place.commune.centre
    assert "(au-delà de 22 km)" in lines[1] and "(au-delà de 48 km)" in lines[2]


def test_a_cedex_address_is_its_communes(postal_territories, import_data, tmp_path):
    rows = [row(import_data, "cedex", commune="Le Mans Cedex 2", code_postal="72015")]
    report = import_file(write_rows(tmp_path / "cedex.csv", rows), apply=True)
    place = Structure.objects.get(source_id="cedex")
    le_mans = Commune.objects.get(departement="72", name="Le Mans")
    assert (place.commune, place.commune_is_approximate) == (le_mans, False)
    assert "72015" not in le_mans.postal_code_list
    [line] = [p.reason for p in report.problems if p.column == "code_insee"]
    assert line == (f"Commune retenue {le_mans} : code postal 72015 propre à un destinataire (CEDEX) ou à un "
                    f"service, d'aucune commune : {le_mans}, de son département, retenue.")
    assert commune_from_text("72015 Le Mans CEDEX 2") == le_mans


def test_a_former_commune_is_todays_commune_nouvelle(postal_territories, import_data, tmp_path):
    rows = [row(import_data, "culoz", commune="culoz", code_postal="01350"),
            row(import_data, "beon", commune="Béon", code_postal="01350", code_insee="01039")]
    report = import_file(write_rows(tmp_path / "nouvelle.csv", rows), apply=True)
    culoz_beon = Commune.objects.get(pk="01138")
    assert culoz_beon.name == "Culoz-Béon"
    assert set(Structure.objects.values_list("source_id", "commune_id")) == {("culoz", "01138"),
                                                                              ("beon", "01138")}
    assert not Structure.objects.filter(commune_is_approximate=True).exists()
    lines = {p.row: p.reason for p in report.problems if p.column == "code_insee"}
    assert lines[1] == f"Commune retenue {culoz_beon} : « culoz » est une ancienne commune, aujourd'hui {culoz_beon}."
    assert lines[2] == (f"Commune retenue {culoz_beon} : code INSEE 01039 d'une ancienne commune, aujourd'hui "
                        f"{culoz_beon}.")
    assert commune_from_text("01350 culoz") == culoz_beon
    assert commune_from_text("Culoz") == culoz_beon


def test_the_loader_keeps_the_cog_history_and_the_reaches(postal_territories):
    assert set(FormerCommune.objects.filter(commune="01138").values_list("code", "name")) == {
        ("01138", "Culoz"), ("01039", "Béon")}
    reach = dict(Commune.objects.filter(departement="973").values_list("name", "reach_m"))
    assert reach["Saint-Laurent-du-Maroni"] > 55_000 and reach["Cayenne"] < 5_000


def test_a_town_hall_point_is_trusted_only_near_its_communes_centre():
    """A geocoded town hall far among other communes' centres is an error, not a large commune."""
    def commune(code, lat, lon, hall_lat="", hall_lon=""):
        return {"code_insee": code, "lat": str(lat), "lon": str(lon), "mairie_lat": str(hall_lat),
                "mairie_lon": str(hall_lon)}
    # Four communes 5 km apart along a parallel; A's town hall lies by D's centre, 15 km away.
    rows = [commune("A", 45.0, 1.0, 45.0, 1.19), commune("B", 45.0, 1.0635), commune("C", 45.0, 1.127),
            commune("D", 45.0, 1.19), commune("E", 46.0, 1.0, 46.3, 1.0)]
    found = reaches(rows)
    assert found["A"] == 0 and found["B"] == 0
    assert 33_000 < found["E"] < 34_000  # alone: its town hall 0.3° of latitude away is believed
