import datetime as dt

import pytest
from django.urls import reverse

from actors.directory import views as directory_module
from actors.models import Structure, TemporaryClosure

pytestmark = pytest.mark.django_db


def test_the_list_shows_published_places_with_their_facts(client, directory):
    response = client.get(reverse("actors:list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "4 lieux trouvés" in body
    assert "Médiathèque François-Mitterrand" in body
    assert "Médiathèque en préparation" not in body
    assert "1 place du Marché, 86180 Buxerolles" in body
    assert 'name="lieux" value="mediatheque-francois-mitterrand-poitiers" form="orientation"' in body
    assert 'action="/orientation/"' in body


def test_the_list_is_also_served_at_lieux(client, directory):
    assert "4 lieux trouvés" in client.get("/lieux/").content.decode()


def test_facets_count_each_option_within_the_selection(client, directory):
    response = client.get("/?services=aide-aux-demarches-administratives")
    options = {(o.code, o.count) for o in response.context["directory"]["fieldsets"][0][2]}  # frais
    assert options == {("gratuit", 2), ("gratuit-sous-condition", 1), ("payant", 0)}
    groups = response.context["directory"]["service_groups"]
    services = {o.code: o.count for _label, group in groups for o in group}
    assert services["aide-aux-demarches-administratives"] == 3
    assert services["maitrise-des-outils-numeriques-du-quotidien"] == 1


def test_alternative_options_keep_their_counts_when_one_is_ticked(client, directory):
    response = client.get("/?frais=gratuit")
    options = {(o.code, o.count, o.checked) for o in response.context["directory"]["fieldsets"][0][2]}
    assert options == {("gratuit", 2, True), ("gratuit-sous-condition", 1, False), ("payant", 1, False)}
    assert "2 lieux trouvés" in response.content.decode()


def test_an_empty_result_says_which_filter_to_relax(client, directory):
    response = client.get("/?itinerance=itinerant&soir=1")
    body = response.content.decode()
    assert "Aucun lieu ne correspond" in body
    assert "sans le filtre « Itinérance » : 1 lieu" in body
    assert "sans le filtre « Ouvert après 18 h » : 1 lieu" in body
    assert 'href="?soir=1"' in body


def test_bad_input_never_fails_and_is_reported(client, directory):
    response = client.get("/?services=inconnu&page=abc&rayon=beaucoup&jour=<b>")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Filtre ignoré : Services = « inconnu »" in body
    assert "Jour inconnu : « &lt;b&gt; »" in body
    assert "4 lieux trouvés" in body


def test_out_of_range_pages_land_on_a_real_page(client, many_places):
    response = client.get("/?page=99999&frais=payant")
    assert response.status_code == 200
    assert response.context["directory"]["page_obj"].number == 5  # 100 payant places, 20 a page
    assert 'href="?frais=payant&amp;page=4"' in response.content.decode()


def test_a_long_query_is_cut_not_refused(client, directory):
    response = client.get("/", {"q": "médiathèque " * 900})
    assert response.status_code == 200
    assert "Recherche raccourcie à 200 caractères." in response.content.decode()


def test_search_and_distance_are_shown(client, directory):
    body = client.get("/?q=mediatheque&pres_de=86180&rayon=5").content.decode()
    assert "Buxerolles (5 km)" in body
    assert "à moins de 100 m" in body and "0,0 km" not in body


def test_active_filters_can_be_removed_one_by_one(client, directory):
    body = client.get("/?frais=gratuit&jour=samedi").content.decode()
    assert 'href="?jour=samedi"' in body and 'href="?frais=gratuit"' in body


def test_holidays_and_temporary_closures_are_settled_for_the_rows_shown(client, directory):
    TemporaryClosure.objects.create(structure=directory["ccas"], starts_on=dt.date(2026, 12, 20),
                                    ends_on=dt.date(2027, 1, 5), reason="travaux")
    christmas = dt.datetime(2026, 12, 25, 10, 0, tzinfo=dt.UTC)  # a Friday
    rows = list(directory_rows())
    directory_module.decorate(rows, christmas)
    status = {row.nom: row.status for row in rows}
    assert status["CCAS de Poitiers"].opening.label == "Fermé temporairement jusqu'au 5 janvier 2027 : travaux"
    assert status["Médiathèque François-Mitterrand"].opening.label == "Fermé aujourd'hui : jour férié"
    assert status["Médiathèque François-Mitterrand"].opening.is_open is False


def directory_rows():
    return Structure.objects.published().prefetch_related("terms")


def test_an_ordinary_morning_shows_open_now_with_closing_time(directory):
    rows = list(directory_rows())
    directory_module.decorate(rows, dt.datetime(2026, 11, 16, 9, 30, tzinfo=dt.UTC))  # Monday 10:30 in Paris
    status = {row.nom: row.status for row in rows}
    assert status["Médiathèque François-Mitterrand"].opening.label == "Ouvert maintenant, ferme à 12:00"
    assert status["Bus numérique du Grand Poitiers"].opening.label == "Fermé, ouvre samedi à 10:00"


def test_places_never_verified_and_old_are_marked_to_check(directory):
    rows = list(directory_rows())
    directory_module.decorate(rows, dt.datetime(2027, 6, 1, tzinfo=dt.UTC))
    status = {row.nom: row.status for row in rows}
    assert status["Médiathèque François-Mitterrand"].stale  # date_maj 2026-01-15, never verified
    assert not status["CCAS de Poitiers"].stale  # verified 2026-10-01


@pytest.mark.parametrize("query", [
    "",
    "?q=mediatheque&frais=gratuit&jour=samedi",
    "?services=aide-aux-demarches-administratives&frais=gratuit&typologie=BIB&pres_de=86000&rayon=20&page=2",
    "?frais=payant&typologie=CCAS&soir=1&qpv=proche&ouvert=maintenant",  # empty: relax counts run
    "?q=lieu&acces=se-presenter&tri=verification&page=3",
    "?q=lieu&jour=mardi&heure=18&soir=1&frais=gratuit&page=2",  # opening question, left-out counts
])
def test_a_list_page_costs_at_most_eight_queries_whatever_the_filters(client, many_places, query,
                                                                      django_assert_max_num_queries):
    # SpatiaLite reads its spatial metadata once per process, on the first distance: not a per-page cost.
    client.get("/?pres_de=86000")
    # The place index is read once per data version and process (actors/index/): not a per-page cost either.
    client.get("/?services=aide-aux-demarches-administratives")
    # A text query adds its two bounded steps (the indexed words of its prefixes, then its first matches) and
    # the data version its counts are kept under (listcache), which a page without text reads anyway.
    # Nearest first may read a smaller circle before the whole radius (actors/directory/nearest.py). On SQLite a page
    # ranked by relevance reads its results' indexed texts, then only the page's rows (TextSearch.ranked_ids).
    # The box's words are also read for a place at their end: one query for communes and départements
    # (actors/directory/understanding.py).
    with django_assert_max_num_queries(8 + (5 if "q=" in query else 0) + (1 if "pres_de=" in query else 0)):
        response = client.get("/" + query)
    assert response.status_code == 200



def test_a_radius_outside_the_usual_choices_stays_selected(client, directory):
    body = client.get("/?pres_de=86000&rayon=3").content.decode()
    assert '<option value="3" selected>3 km</option>' in body


def test_territory_pages_list_their_places_with_the_same_filters(client, directory):
    body = client.get("/territoires/communes/86194/?frais=gratuit").content.decode()
    assert 'id="lieux"' in body and 'action="/territoires/communes/86194/#lieux"' in body
    assert "2 lieux trouvés" in body
    assert "Médiathèque François-Mitterrand" in body and "Bus numérique du Grand Poitiers" in body
    assert "Espace public numérique de Buxerolles" not in body
    epci = client.get("/territoires/epci/200069854/?services=aide-aux-demarches-administratives").content.decode()
    assert "3 lieux trouvés" in epci
    departement = client.get("/territoires/departements/86/?q=buxerolles").content.decode()
    assert "1 lieu trouvé" in departement
