import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from actors.models import ContactPerson, Structure
from actors.vocabulary.enums import PublicationState
from tests.fixtures.standard import generated_standard_rows, import_standard_rows


@pytest.fixture
def lieux(vienne, terms):
    """Generated rows: Poitiers, Buxerolles (86), Fort-de-France and Ajaccio (without territories)."""
    import_standard_rows(generated_standard_rows(40))
    return Structure.objects.all()


def body(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.django_db
def test_csv_export_streams_published_structures_with_a_dated_file_name(client, lieux):
    Structure.objects.filter(source_id="gen-000").update(state=PublicationState.DRAFT)
    Structure.objects.filter(source_id="gen-001").update(state=PublicationState.ARCHIVED)
    response = client.get(reverse("actors:export", args=["csv"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].endswith('_lieux-de-mediation-numerique.csv"')
    ids = {row["id"] for row in csv_rows(body(response))}
    assert len(ids) == 38 and "gen-000" not in ids and "gen-001" not in ids


@pytest.mark.django_db
def test_exports_filter_by_departement_epci_and_commune(client, lieux, vienne):
    poitiers_or_buxerolles = Structure.objects.filter(commune__departement_id="86").count()
    assert 0 < poitiers_or_buxerolles < 40
    for params, expected in [
        ({"departement": "86"}, poitiers_or_buxerolles),
        ({"epci": "200069854"}, poitiers_or_buxerolles),
        ({"commune": "86041"}, Structure.objects.filter(commune_id="86041").count()),
        ({"departement": "87"}, 0),
    ]:
        response = client.get(reverse("actors:export", args=["json"]), params)
        assert len(json.loads(body(response))) == expected, params
    named = client.get(reverse("actors:export", args=["csv"]), {"commune": "86041"})
    assert named["Content-Disposition"].endswith('_lieux-de-mediation-numerique_86041.csv"')


@pytest.mark.django_db
@pytest.mark.parametrize("params", [{"departement": "Vienne"}, {"epci": "12"}, {"commune": "<script>"}])
def test_a_malformed_territory_gets_a_400_in_french(client, lieux, params):
    response = client.get(reverse("actors:export", args=["csv"]), params)
    assert response.status_code == 400
    assert "Paramètre invalide" in response.content.decode()


@pytest.mark.django_db
def test_an_unknown_format_is_a_404(client, lieux):
    assert client.get("/export/lieux.xlsx").status_code == 404


@pytest.mark.django_db
def test_geojson_has_a_point_per_located_structure_and_null_geometry_for_approximate_ones(client, lieux):
    features = json.loads(body(client.get(reverse("actors:export", args=["geojson"]))))["features"]
    assert len(features) == 40
    located = next(f for f in features if f["id"] == "gen-000")
    assert located["geometry"] == {"type": "Point", "coordinates": [0.3404, 46.5802]}
    approximate = next(f for f in features if f["id"] == "gen-003")  # no coordinates in the file
    assert approximate["geometry"] is None and approximate["properties"]["latitude"] == ""


@pytest.mark.django_db
def test_contact_persons_never_leak_into_exports(client, lieux):
    structure = Structure.objects.get(source_id="gen-002")
    ContactPerson.objects.create(structure=structure, name="Josiane Privée", phone="0611223344",
                                 email="josiane.privee@exemple.fr")
    ContactPerson.objects.create(structure=structure, name="Marc Public", is_public=True)
    for fmt in ("csv", "json", "geojson"):
        text = body(client.get(reverse("actors:export", args=[fmt])))
        assert "Josiane" not in text and "0611223344" not in text and "josiane.privee" not in text


@pytest.mark.django_db
def test_export_queries_are_bounded_whatever_the_number_of_rows(client, lieux, django_assert_max_num_queries):
    # The data version, the freshness policies and the terms once each, then three queries per chunk of 2,000
    # structures (rows, term links, communes served), plus the final empty chunk (cold cache: each test starts
    # with an empty one).
    with django_assert_max_num_queries(7):
        text = body(client.get(reverse("actors:export", args=["csv"])))
    assert len(csv_rows(text)) == 40


@pytest.mark.django_db
def test_export_command_writes_a_file_of_a_departement(tmp_path, lieux):
    output = tmp_path / "lieux.csv"
    call_command("export_lieux", "--format", "csv", "--departement", "86", "--output", str(output))
    rows = csv_rows(output.read_text(encoding="utf-8"))
    assert rows and len(rows) == Structure.objects.in_departement("86").count()


@pytest.mark.django_db
def test_export_command_prints_json_to_standard_output(lieux):
    out = io.StringIO()
    call_command("export_lieux", "--format", "json", "--commune", "86194", stdout=out)
    assert {row["commune"] for row in json.loads(out.getvalue())} == {"Poitiers"}


@pytest.mark.django_db
def test_exports_take_the_directory_filters_so_list_and_export_agree(client, lieux):
    params = {"departement": "86", "services": "aide-aux-demarches-administratives", "jour": "samedi", "q": "lieu"}
    from actors.directory.filters import StructureFilter

    expected = {s.source_id for s in StructureFilter(params).qs}
    assert expected
    exported = {row["id"] for row in json.loads(body(client.get(reverse("actors:export", args=["json"]), params)))}
    assert exported == expected


@pytest.mark.django_db
def test_an_unknown_service_is_refused_rather_than_silently_dropped(client, lieux):
    response = client.get(reverse("actors:export", args=["csv"]), {"services": "cuisine"})
    assert response.status_code == 400
    assert "Filtre ignoré" in response.content.decode()
