import gzip
import shutil
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from territories.files import DATA_DIR
from territories.models import EPCI, QPV, Commune, Departement, Region, TerritoryLoad


def load(*args, **options) -> str:
    out = StringIO()
    call_command("load_territories", *args, stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def data_copy(tmp_path):
    """A private copy of the shipped files, to damage or change without touching the real ones."""
    for path in DATA_DIR.glob("*.gz"):
        shutil.copy(path, tmp_path / path.name)
    return tmp_path


def rewrite(path, change) -> None:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        text = handle.read()
    with gzip.open(path, "wt", encoding="utf-8", newline="") as handle:
        handle.write(change(text))


def replace_line(text: str, number: int, change) -> str:
    lines = text.split("\n")
    lines[number - 1] = change(lines[number - 1])
    return "\n".join(lines)


@pytest.mark.django_db
def test_loading_all_of_france_gives_every_commune_arrondissement_and_qpv():
    load()
    assert Region.objects.count() == 26
    assert Departement.objects.count() == 109
    assert EPCI.objects.count() == 1255
    assert Commune.objects.count() == 35014
    assert Commune.objects.filter(kind=Commune.Kind.ARRONDISSEMENT, parent__isnull=False).count() == 45
    assert QPV.objects.count() == 1609
    assert QPV.objects.filter(communes__isnull=True).count() == 0


@pytest.mark.django_db
def test_loading_two_departements_loads_them_their_region_epci_communes_and_qpv():
    load(departements="86,87")
    assert set(Departement.objects.values_list("code", flat=True)) == {"86", "87"}
    assert list(Region.objects.values_list("code", flat=True)) == ["75"]
    poitiers = Commune.objects.select_related("epci").get(pk="86194")
    assert poitiers.name_folded == "poitiers"
    assert poitiers.postal_code_list == ["86000"]
    assert poitiers.epci.name == "CU du Grand Poitiers"
    assert poitiers.centre is not None
    assert poitiers.qpvs.count() == 4
    assert Commune.objects.get(pk="86066").name_folded == "chatellerault"
    assert not Commune.objects.exclude(departement__in=["86", "87"]).exists()
    assert QPV.objects.filter(departement="87").count() > 0


@pytest.mark.django_db
def test_a_second_run_with_unchanged_files_does_nothing():
    load(departements="86")
    first = TerritoryLoad.objects.get(scope="86").loaded_at
    output = load(departements="86")
    assert "déjà à jour" in output
    assert TerritoryLoad.objects.get(scope="86").loaded_at == first


@pytest.mark.django_db
def test_a_forced_run_updates_rows_and_never_duplicates_them():
    load(departements="86")
    counts = (Commune.objects.count(), QPV.objects.count(), QPV.communes.through.objects.count())
    Commune.objects.filter(pk="86194").update(name="Nom altéré", population=1)
    output = load(departements="86", force=True)
    assert "0 créés" in output
    assert (Commune.objects.count(), QPV.objects.count(), QPV.communes.through.objects.count()) == counts
    poitiers = Commune.objects.get(pk="86194")
    assert poitiers.name == "Poitiers"
    assert poitiers.population > 80000


@pytest.mark.django_db
def test_changed_files_are_loaded_again_without_force(data_copy):
    load(departements="86", data_dir=str(data_copy))
    rewrite(data_copy / "communes.csv.gz", lambda text: text.replace(",Poitiers,", ",Poitiers-Nouveau,"))
    output = load(departements="86", data_dir=str(data_copy))
    assert "déjà à jour" not in output
    assert Commune.objects.get(pk="86194").name_folded == "poitiers nouveau"


@pytest.mark.django_db
def test_a_qpv_citing_a_merged_commune_is_linked_to_the_new_commune():
    load(departements="93")
    assert not Commune.objects.filter(pk="93059").exists()
    assert set(QPV.objects.get(pk="QN09336I").communes.values_list("code", flat=True)) == {"93066"}


@pytest.mark.django_db
def test_paris_arrondissements_point_to_paris():
    load(departements="75")
    paris = Commune.objects.get(pk="75056")
    assert paris.arrondissements.count() == 20
    assert Commune.objects.get(pk="75101").parent == paris


@pytest.mark.django_db
def test_zero_area_qpv_shapes_are_loaded():
    load(departements="91,95")
    for code in ("QN09105I", "QN09113I", "QN09503I"):
        assert QPV.objects.get(pk=code).perimeter.area == 0


@pytest.mark.django_db
def test_an_unknown_departement_is_refused():
    with pytest.raises(CommandError, match="département\\(s\\) inconnu\\(s\\) : 999"):
        load(departements="86,999")
    assert not Commune.objects.exists()


def truncate(path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


BROKEN_FILES = {
    "truncated gzip": ("communes.csv.gz", truncate, r"communes\.csv\.gz, ligne \d+ : fichier tronqué"),
    "missing column": (
        "epci.csv.gz", lambda path: rewrite(path, lambda text: text.replace("population,", "pop,", 1)),
        r"epci\.csv\.gz, ligne 1 : colonne\(s\) manquante\(s\) : population",
    ),
    "bad number": (
        "communes.csv.gz",
        lambda path: rewrite(path, lambda text: replace_line(text, 3, lambda line: line.replace(",270,", ",27O,"))),
        r"communes\.csv\.gz, ligne 3 : « 27O » n'est pas un nombre entier",
    ),
    "bad geometry": (
        "qpv.csv.gz",
        lambda path: rewrite(path, lambda text: replace_line(text, 5, lambda line: line.split('"')[0]
                                                               + '"MULTIPOLYGON(((5.2 46.2, 5.3"')),
        r"qpv\.csv\.gz, ligne 5 : géométrie illisible",
    ),
    "unknown reference": (
        "communes.csv.gz",
        lambda path: rewrite(path, lambda text: replace_line(text, 2, lambda line: line.replace(",01,", ",00,"))),
        r"communes\.csv\.gz, ligne 2 : département « 00 » inconnu",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", BROKEN_FILES, ids=list(BROKEN_FILES))
def test_a_broken_file_is_named_with_line_and_reason_and_nothing_changes(data_copy, case):
    load(departements="86")
    before = list(Commune.objects.order_by("code").values_list("code", "name", "population"))
    name, damage, message = BROKEN_FILES[case]
    damage(data_copy / name)
    with pytest.raises(CommandError, match=message):
        load(data_dir=str(data_copy))
    assert list(Commune.objects.order_by("code").values_list("code", "name", "population")) == before
    assert not Departement.objects.filter(code="87").exists()
