import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.contrib.gis.geos import Point
from django.test import override_settings
from django.urls import reverse

from actors.core.scope import coordinator_create
from actors.models import ContactPerson, Structure, TemporaryClosure
from actors.place.views import format_distance, nearby_places, similar_nearby

pytestmark = pytest.mark.django_db


def detail(client, structure):
    return client.get(reverse("actors:detail", args=[structure.slug]))


def test_the_detail_page_shows_what_the_standard_holds_in_plain_french(client, detail_places):
    response = detail(client, detail_places["rich"])
    assert response.status_code == 200
    for text in [
        "Médiathèque François-Mitterrand", "Bibliothèque", "4 rue de l&#x27;Université",
        "Entrée par le jardin, rez-de-chaussée", "Gratuit", "Comment y aller, comment être accueilli",
        "Sans rendez-vous", 'href="tel:+33549524400"', "05 49 52 44 00", "mailto:contact@mediatheque.example",
        'href="https://rdv.example/mediatheque"', "Faire mes démarches", "Aide aux démarches administratives",
        "Apprendre le numérique", "Un ordinateur ou internet", "Seniors", "Surdité", "Accompagnement individuel",
        "Conseillers numériques", "Aidants Connect", "Label Bibliothèque numérique de référence",
        "Des médiateurs vous accompagnent", "agenda.mediatheque.example", "https://acceslibre.beta.gouv.fr/erp/1/",
        "Fixture détail", "1 octobre 2026", "21860194100013", "Ville de Poitiers",
    ]:
        assert text in response.content.decode(), text


def test_the_detail_page_shows_the_weekly_hours_and_a_status(client, detail_places):
    response = detail(client, detail_places["rich"])
    assert "9:00–12:00, 14:00–17:30" in response.content.decode()
    assert response.context["status"].label
    assert len(response.context["week"]) == 7
    assert sum(row.is_today for row in response.context["week"]) == 1
    assert b'aria-current="date"' in response.content


def test_the_detail_page_links_to_the_territory_pages(client, detail_places, vienne):
    content = detail(client, detail_places["rich"]).content.decode()
    assert reverse("territories:commune", args=["86194"]) in content
    assert reverse("territories:epci", args=["200069854"]) in content
    assert reverse("territories:departement", args=["86"]) in content


def test_a_place_near_a_qpv_says_how_far(client, detail_places):
    assert "du quartier prioritaire Les Couronneries" in detail(client, detail_places["rich"]).content.decode()
    content = detail(client, detail_places["inside_qpv"]).content.decode()
    assert "Dans le quartier prioritaire Les Couronneries" in content


def test_nearby_places_share_a_service_lie_within_10_km_and_are_sorted_by_distance(client, detail_places):
    response = detail(client, detail_places["rich"])
    names = [place.nom for place in response.context["nearby"]]
    assert names == ["Centre social des Couronneries", "Bus numérique de Grand Poitiers", "CCAS de Poitiers",
                     "Espace France Services de Buxerolles"]
    # Not the fablab (other service), not Vouneuil (17 km), never drafts or archives.
    assert "Fablab du centre" not in names and "Lieu en préparation" not in names
    assert "Autres lieux à proximité offrant les mêmes services" in response.content.decode()


def test_nearby_places_are_kept_per_data_version(client, detail_places, settings,
                                                django_assert_num_queries):
    settings.PAGE_CACHE_SECONDS = 60
    rich = detail_places["rich"]
    group = [rich.pk]
    first = nearby_places(structure=rich, group=group)
    with django_assert_num_queries(1):  # the data version; the nearby places come from the cache
        assert nearby_places(structure=rich, group=group) == first
    moved = Structure.objects.get(nom="CCAS de Poitiers")
    moved.location = Point(0.9, 46.9)  # ~45 km away
    moved.save()
    names = [place.nom for place in nearby_places(structure=rich, group=group)]
    assert "CCAS de Poitiers" in [place.nom for place in first] and "CCAS de Poitiers" not in names
    assert names == [place.nom for place in similar_nearby(rich, group=group)]


def test_the_detail_page_takes_at_most_7_queries(client, detail_places, django_assert_max_num_queries):
    # The worst case: an itinerant place with a current closure and a public contact.
    bus = detail_places["bus"]
    TemporaryClosure.objects.create(structure=bus, starts_on=dt.date.today(), ends_on=dt.date.today())
    ContactPerson.objects.create(structure=bus, name="Standard du bus", is_public=True)
    for name in ["rich", "bus", "closed"]:
        with django_assert_max_num_queries(7):  # 6 + the data version, which the freshness policy keys on
            assert detail(client, detail_places[name]).status_code == 200


def test_private_contact_persons_are_never_shown_to_anonymous_visitors(client, detail_places):
    content = detail(client, detail_places["rich"]).content.decode()
    assert "Camille Martin" not in content and "0549000001" not in content
    assert "Accueil numérique" in content  # the public contact


def test_the_places_coordinators_see_the_contact_persons(client, detail_places):
    client.force_login(User.objects.create_user("pro", password="x"))
    assert "Camille Martin" not in detail(client, detail_places["rich"]).content.decode()  # an account is not enough
    client.force_login(coordinator_create("coord@example.org",
                                          departements=[detail_places["rich"].commune.departement_id]))
    content = detail(client, detail_places["rich"]).content.decode()
    assert "Camille Martin" in content and "camille.martin@example.org" in content
    assert 'href="tel:+33549000001">05 49 00 00 01</a>' in content


def test_drafts_and_archives_are_not_found_by_the_public(client, detail_places):
    for name in ["draft", "archived"]:
        response = detail(client, detail_places[name])
        assert response.status_code == 404
        assert "Page introuvable" in response.content.decode()


def test_the_places_coordinators_can_preview_a_draft_with_a_notice(client, detail_places):
    client.force_login(User.objects.create_user("staff", password="x", is_staff=True))
    assert detail(client, detail_places["draft"]).status_code == 404  # staff of no territory
    client.force_login(coordinator_create("coord@example.org",
                                          departements=[detail_places["draft"].commune.departement_id]))
    response = detail(client, detail_places["draft"])
    assert response.status_code == 200
    assert "est pas publié (brouillon)" in response.content.decode()


def test_an_unknown_slug_gives_the_french_404(client, detail_places):
    response = client.get("/lieux/nulle-part/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_a_numeric_id_redirects_to_the_slug_url(client, detail_places):
    structure = detail_places["rich"]
    response = client.get(f"/lieux/{structure.pk}/")
    assert response.status_code == 301
    assert response["Location"] == structure.get_absolute_url()
    assert client.get(f"/lieux/{detail_places['draft'].pk}/").status_code == 404
    assert client.get("/lieux/999999/").status_code == 404


def test_an_itinerant_place_lists_its_communes_and_has_no_precise_map(client, detail_places):
    content = detail(client, detail_places["bus"]).content.decode()
    assert "Communes desservies" in content
    assert "Buxerolles" in content and reverse("territories:commune", args=["86041"]) in content
    assert "Position approximative : centre de la commune." in content
    assert "structure-map" not in content


def test_a_place_with_a_precise_point_has_a_small_map(client, detail_places):
    content = detail(client, detail_places["rich"]).content.decode()
    assert 'id="structure-map"' in content and "detail.js" in content


def test_a_stale_place_says_it_must_be_checked(client, detail_places):
    assert "À vérifier" in detail(client, detail_places["bus"]).content.decode()
    assert "À vérifier" not in detail(client, detail_places["rich"]).content.decode()


@override_settings(STALE_AFTER_DAYS=10)
def test_staleness_follows_the_setting(client, detail_places):
    assert "À vérifier" in detail(client, detail_places["rich"]).content.decode()


def test_a_temporarily_closed_place_shows_a_banner(client, detail_places):
    response = detail(client, detail_places["closed"])
    content = response.content.decode()
    assert "closure-banner" in content and "travaux" in content
    assert response.context["status"].is_open is False
    assert "Payant" in content


def test_no_dead_correction_link_until_the_form_exists(client, detail_places):
    content = detail(client, detail_places["rich"]).content.decode()
    try:
        url = reverse("actors:correction", args=[detail_places["rich"].slug])
    except Exception:
        assert "Signaler une erreur" not in content
    else:
        assert url in content


def test_distances_read_in_metres_then_kilometres():
    assert format_distance(183) == "180 m"
    assert format_distance(2540) == "2,5 km"


def test_the_page_links_to_the_referral_sheet(client, detail_places):
    content = detail(client, detail_places["rich"]).content.decode()
    assert reverse("actors:referral_sheet", args=[detail_places["rich"].slug]) in content


def test_a_place_with_no_hours_says_so(client, detail_places):
    from actors.core.writes import structure_upsert

    values = {"source": "Fixture détail", "source_id": "rich", "nom": "Médiathèque François-Mitterrand",
              "adresse": "4 rue", "code_postal": "86000", "commune_nom": "Poitiers", "code_insee": "86194",
              "date_maj": dt.date(2026, 10, 1), "horaires": ""}
    structure = structure_upsert(values).structure
    content = detail(client, structure).content.decode()
    assert "Horaires non renseignés" in content
    assert "Les horaires ne sont pas renseignés" in content


def test_imported_links_that_are_not_web_addresses_are_never_rendered_as_links(client, detail_places):
    structure = detail_places["rich"]
    structure.site_web = "javascript:alert(1)|https://ok.example"
    structure.prise_rdv = "javascript:alert(2)"
    structure.save()
    content = detail(client, structure).content.decode()
    assert "javascript:" not in content
    assert 'href="https://ok.example"' in content
