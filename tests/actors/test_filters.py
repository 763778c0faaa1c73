import datetime as dt

import pytest
from django.http import QueryDict

from actors.directory.filters import StructureFilter
from territories.communes import commune_from_text

pytestmark = pytest.mark.django_db

PARIS = dt.timezone(dt.timedelta(hours=1))


def names(query: str, **kwargs) -> list[str]:
    return [s.nom for s in StructureFilter(QueryDict(query), **kwargs).qs]


def test_without_filters_every_published_place_is_listed_by_name_and_drafts_never(directory):
    assert names("") == [
        "Bus numérique du Grand Poitiers", "CCAS de Poitiers", "Espace public numérique de Buxerolles",
        "Médiathèque François-Mitterrand",
    ]


def test_ticked_services_must_all_be_offered(directory):
    assert names("services=aide-aux-demarches-administratives") == [
        "Bus numérique du Grand Poitiers", "CCAS de Poitiers", "Médiathèque François-Mitterrand",
    ]
    both = "services=aide-aux-demarches-administratives&services=maitrise-des-outils-numeriques-du-quotidien"
    assert names(both) == ["Médiathèque François-Mitterrand"]


def test_fees_and_types_are_alternatives(directory):
    assert names("frais=gratuit&frais=payant") == [
        "Bus numérique du Grand Poitiers", "Espace public numérique de Buxerolles", "Médiathèque François-Mitterrand",
    ]
    assert names("typologie=BIB&typologie=CCAS") == ["CCAS de Poitiers", "Médiathèque François-Mitterrand"]


def test_languages_programmes_and_itinerance(directory):
    assert names("prise_en_charge=langues-etrangeres-autres") == ["CCAS de Poitiers"]
    assert names("dispositifs=france-services") == ["CCAS de Poitiers"]
    assert names("itinerance=itinerant") == ["Bus numérique du Grand Poitiers"]


def test_territory_filters(directory):
    assert names("commune=86041") == ["Espace public numérique de Buxerolles"]
    assert len(names("departement=86")) == 4
    assert len(names("epci=200069854")) == 4
    assert names("departement=33") == []


def test_qpv_inside_nearby_and_by_code(directory):
    assert names("qpv=dans") == ["CCAS de Poitiers"]
    assert names("qpv=proche") == ["Bus numérique du Grand Poitiers", "CCAS de Poitiers"]
    assert names("qpv=QN08601M") == ["Bus numérique du Grand Poitiers", "CCAS de Poitiers"]


def test_opening_filters_on_weekly_slots(directory):
    thursday = dt.datetime(2026, 11, 26, 10, 0, tzinfo=PARIS)
    assert names("jour=samedi", now=thursday) == ["Bus numérique du Grand Poitiers", "Médiathèque François-Mitterrand"]
    assert names("soir=1", now=thursday) == ["Espace public numérique de Buxerolles"]
    assert names("weekend=1", now=thursday) == ["Bus numérique du Grand Poitiers", "Médiathèque François-Mitterrand"]
    tuesday_evening = dt.datetime(2026, 11, 17, 19, 30, tzinfo=PARIS)
    assert names("ouvert=maintenant", now=tuesday_evening) == ["Espace public numérique de Buxerolles"]
    monday_morning = dt.datetime(2026, 11, 16, 10, 0, tzinfo=PARIS)
    assert names("ouvert=maintenant", now=monday_morning) == ["CCAS de Poitiers", "Médiathèque François-Mitterrand"]


def test_text_search_folds_accents_and_case_and_ranks_names_first(directory):
    # The EPN only mentions a médiathèque in its description: it comes after the name match.
    assert names("q=mediatheque") == ["Médiathèque François-Mitterrand", "Espace public numérique de Buxerolles"]
    assert names("q=MÉDIATH") == ["Médiathèque François-Mitterrand", "Espace public numérique de Buxerolles"]
    assert names("q=ccas poitiers") == ["CCAS de Poitiers"]


def test_text_search_matches_typology_and_service_labels(directory):
    assert "Médiathèque François-Mitterrand" in names("q=bibliotheque")
    assert names("q=loisirs") == ["Espace public numérique de Buxerolles"]


def test_text_search_combines_with_filters(directory):
    assert names("q=mediatheque&soir=1") == ["Espace public numérique de Buxerolles"]


def test_near_a_commune_sorts_by_distance_and_annotates_it(directory):
    found = StructureFilter(QueryDict("pres_de=Buxerolles&rayon=2")).qs
    assert [s.nom for s in found][0] == "Espace public numérique de Buxerolles"
    assert found[0].distance.m < 100
    assert all(s.distance.km <= 2 for s in found)
    assert "Médiathèque François-Mitterrand" not in [s.nom for s in found]


def test_near_a_browser_position(directory):
    found = list(StructureFilter(QueryDict("lat=46.5836&lon=0.3447&rayon=1")).qs)
    assert found[0].nom == "Médiathèque François-Mitterrand"
    assert "Espace public numérique de Buxerolles" not in [s.nom for s in found]


def test_an_address_or_postcode_is_matched_to_its_commune(vienne):
    assert commune_from_text("12 rue de la Gare 86180 BUXEROLLES") == vienne["buxerolles"]
    assert commune_from_text("86000") == vienne["poitiers"]
    assert commune_from_text("poitiers") == vienne["poitiers"]
    assert commune_from_text("Atlantis") is None


def test_unknown_and_malformed_values_are_dropped_with_a_notice(directory):
    filterset = StructureFilter(QueryDict(
        "services=aide-aux-demarches-administratives&services=teleportation&jour=jamais&lat=abc&lon=3"
        "&departement=<script>&pres_de=Atlantis"
    ))
    assert [s.nom for s in filterset.qs] == [
        "Bus numérique du Grand Poitiers", "CCAS de Poitiers", "Médiathèque François-Mitterrand",
    ]
    notices = " ".join(filterset.notices)
    assert "Filtre ignoré : Services = « teleportation »" in notices
    assert "Jour inconnu : « jamais »" in notices
    assert "Filtre ignoré : Latitude = « abc »" in notices
    assert "Filtre ignoré : Département = « <script> »" in notices
    assert "Lieu introuvable" in notices


def test_an_absurd_radius_is_capped(directory):
    filterset = StructureFilter(QueryDict("pres_de=86000&rayon=5000"))
    assert len(filterset.qs) == 4
    assert filterset.radius_km == 100
    assert "Rayon ramené à 100 km" in filterset.notices[0]


def test_a_huge_query_is_cut(directory):
    filterset = StructureFilter(QueryDict("q=" + "mediatheque " * 1000))
    assert filterset.cleaned["q"].startswith("mediatheque")
    assert len(filterset.cleaned["q"]) <= 200
    list(filterset.qs)
    assert any("raccourcie" in notice for notice in filterset.notices)


def test_sorting_by_last_verification_puts_never_verified_last(directory):
    assert names("tri=verification")[0] == "CCAS de Poitiers"
