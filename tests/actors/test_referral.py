import re
from urllib.parse import unquote

import pytest
from django.urls import reverse

from actors.place.referral import format_phone, mailto_uri, sms_uri

pytestmark = pytest.mark.django_db


def sheet(client, structure):
    return client.get(reverse("actors:referral_sheet", args=[structure.slug]))


def referral(client, *slugs):
    return client.get(reverse("actors:referral"), {"lieux": list(slugs)})


def test_the_sheet_of_one_place_has_its_address_hours_access_and_qr_code(client, detail_places):
    response = sheet(client, detail_places["rich"])
    content = response.content.decode()
    assert response.status_code == 200
    assert "Médiathèque François-Mitterrand" in content and "86000 Poitiers" in content
    assert "9:00–12:00, 14:00–17:30" in content
    assert "Sans rendez-vous" in content and "05 49 52 44 00" in content
    assert "https://rdv.example/mediatheque" in content
    qr = re.search(r"<svg[^>]*class=\"qr-code\".*?</svg>", content, re.S)
    assert qr and qr.group(0).count("h") > 50  # one path drawing many modules
    assert "http://testserver/lieux/mediatheque-francois-mitterrand-poitiers/" in content


def test_the_sheet_offers_print_email_and_sms(client, detail_places):
    response = sheet(client, detail_places["rich"])
    content = response.content.decode()
    assert "data-print" in content and "Imprimer" in content
    assert 'href="mailto:?subject=' in content and 'href="sms:?&amp;body=' in content
    assert "Lundi–vendredi 9:00–12:00, 14:00–17:30" in response.context["message"]
    assert "http://testserver/lieux/mediatheque-francois-mitterrand-poitiers/" in response.context["message"]


def test_the_sheet_hides_private_contacts(client, detail_places):
    content = sheet(client, detail_places["rich"]).content.decode()
    assert "Camille Martin" not in content and "0549000001" not in content


def test_the_sheet_shows_a_current_temporary_closure(client, detail_places):
    content = sheet(client, detail_places["closed"]).content.decode()
    assert "Fermeture temporaire du" in content and "travaux" in content


def test_the_sheet_of_a_draft_is_not_found(client, detail_places):
    assert sheet(client, detail_places["draft"]).status_code == 404


def test_a_numeric_id_redirects_to_the_sheet(client, detail_places):
    response = client.get(f"/lieux/{detail_places['rich'].pk}/fiche/")
    assert response.status_code == 301 and response["Location"].endswith("/fiche/")


def test_two_or_three_places_picked_in_the_list_make_one_sheet_each_in_order(client, detail_places):
    response = referral(client, detail_places["ccas"].slug, detail_places["rich"].slug, detail_places["bus"].slug)
    assert response.status_code == 200
    assert [s.structure.nom for s in response.context["sheets"]] == [
        "CCAS de Poitiers", "Médiathèque François-Mitterrand", "Bus numérique de Grand Poitiers"]
    assert response.content.decode().count('class="referral-sheet"') == 3
    assert "Voici les lieux" in response.context["message"]
    assert "Lieu itinérant, passe à : Buxerolles, Poitiers" in response.content.decode()


def test_the_referral_takes_few_queries(client, detail_places, django_assert_max_num_queries):
    # The places, their terms, closures and QPV, the data version and the départements' freshness rules (read
    # once per data version).
    with django_assert_max_num_queries(7):
        referral(client, detail_places["ccas"].slug, detail_places["rich"].slug, detail_places["bus"].slug)


def test_more_than_three_places_give_a_clear_message(client, detail_places):
    slugs = [detail_places[name].slug for name in ["ccas", "rich", "bus", "inside_qpv"]]
    response = referral(client, *slugs)
    assert response.status_code == 400
    assert "au plus 3 lieux : vous en avez choisi 4" in response.content.decode()


def test_unknown_or_unpublished_places_are_named_in_a_clear_message(client, detail_places):
    response = referral(client, detail_places["rich"].slug, "nulle-part", detail_places["draft"].slug)
    content = response.content.decode()
    assert response.status_code == 400
    assert "introuvables ou ne sont plus publiés" in content and "nulle-part" in content


def test_no_place_at_all_asks_to_pick_some(client, detail_places):
    response = client.get(reverse("actors:referral"))
    assert response.status_code == 400
    assert "Cochez de 1 à 3 lieux" in response.content.decode()


def test_absurd_input_never_breaks_the_referral(client, detail_places):
    assert client.get(reverse("actors:referral"), {"lieux": "x" * 10_000}).status_code == 400
    assert client.get(reverse("actors:referral") + "?lieux=%00%ff").status_code == 400


def test_a_repeated_place_counts_once(client, detail_places):
    response = referral(client, detail_places["rich"].slug, detail_places["rich"].slug)
    assert response.status_code == 200 and len(response.context["sheets"]) == 1


def test_the_referral_only_reads(client, detail_places):
    response = client.post(reverse("actors:referral"), {"lieux": [detail_places["rich"].slug]})
    assert response.status_code == 405


def test_phone_numbers_are_shown_the_french_way_with_a_tel_link():
    phone = format_phone("0549524400")
    assert (phone.display, phone.uri) == ("05 49 52 44 00", "tel:+33549524400")
    assert format_phone("") is None
    assert format_phone("appeler la mairie").display == "appeler la mairie"


def test_the_email_and_sms_links_carry_no_recipient_and_the_whole_text():
    body = "Médiathèque\n4 rue & co"
    mailto = mailto_uri("Lieu", body)
    assert mailto.startswith("mailto:?subject=Lieu&body=") and unquote(mailto.split("body=")[1]) == body
    assert unquote(sms_uri(body).split("body=")[1]) == body
