"""« Voir les N résultats »: the number the button shows before the filters are applied is the number of the list
page it opens (same filter set, same counts), and bad input gives a number, never a 500."""
import pytest

from actors.models import Structure
from actors.vocabulary.enums import TermKind
from tests.fixtures.directory import DEMARCHES

COUNT_URL = "/lieux/nombre.json"


def page_total(client, query: str) -> int:
    return client.get("/?" + query).context["directory"]["total"]


@pytest.mark.django_db
@pytest.mark.parametrize(("query", "expected", "label"), [
    ("", 4, "Voir les 4 résultats"),  # the draft is not counted
    ("frais=gratuit", 2, "Voir les 2 résultats"),
    ("frais=payant", 1, "Voir le 1 résultat"),
    (f"services={DEMARCHES}&frais=gratuit", 2, "Voir les 2 résultats"),
    ("jour=samedi", 2, "Voir les 2 résultats"),  # the médiathèque (Sa 10-12) and the bus (Sa,Su)
    ("frais=payant&jour=samedi", 0, "Aucun résultat : voir comment élargir"),
])
def test_the_button_counts_what_the_list_page_shows(client, directory, query, expected, label):
    answer = client.get(f"{COUNT_URL}?{query}").json()
    assert answer == {"n": expected, "label": label}
    assert page_total(client, query) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["frais=n-importe-quoi", "page=abc", "jour=lundi-matin", "heure=99:99",
                                   "services=&services=%00", "qpv=XX&qpv_distance=loin", "lat=abc&lon=1e400"])
def test_bad_filters_give_a_number_not_an_error(client, directory, query):
    response = client.get(f"{COUNT_URL}?{query}")
    assert response.status_code == 200
    assert isinstance(response.json()["n"], int)


@pytest.mark.django_db
def test_asking_stays_within_the_list_budget(client, directory, django_assert_max_num_queries):
    client.get(f"{COUNT_URL}?frais=gratuit")  # the place index is built once per data version and process
    with django_assert_max_num_queries(8):
        client.get(f"{COUNT_URL}?frais=gratuit&services={DEMARCHES}")


@pytest.mark.django_db(transaction=True)
def test_on_the_demo_every_service_counts_as_its_list_page(client, demo_86_87):
    codes = Structure.objects.public().filter(terms__kind=TermKind.SERVICES).values_list(
        "terms__code", flat=True).distinct()
    assert len(codes) >= 5
    for code in codes:
        query = f"services={code}&departement=87"
        assert client.get(f"{COUNT_URL}?{query}").json()["n"] == page_total(client, query), code
