"""An English-speaking visitor who picks English in the language switcher reads the public pages in English."""

import datetime as dt

import pytest
from django.contrib.gis.geos import Point
from django.urls import reverse
from django.utils import translation

from actors.core.writes import structure_upsert

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(vienne, terms):
    values = {
        "source": "Test", "source_id": "lieu-1", "nom": "Médiathèque François-Mitterrand",
        "adresse": "4 rue de l'Université", "code_postal": "86000", "commune_nom": "Poitiers",
        "code_insee": "86194", "date_maj": dt.date(2026, 1, 15), "location": Point(0.3447, 46.5836),
        "horaires": "Mo-Fr 09:00-12:00,14:00-17:30; Sa 10:00-12:00",
    }
    structure = structure_upsert(values, {"services": ["aide-aux-demarches-administratives"]}).structure
    yield structure
    translation.activate("fr")


@pytest.fixture
def english(client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Language"] == "en"
    return response.content.decode()


def assert_english(content, english_texts, french_texts):
    for text in english_texts:
        assert text in content, text
    for text in french_texts:
        assert text not in content, text


def test_the_directory_list_reads_in_english(english, place):
    content = page(english, reverse("actors:list"))
    assert_english(
        content,
        ["Find a digital inclusion place", "1 place found", "Filters", "Apply filters", "What are you looking for?"],
        ["Trouver un lieu d'inclusion numérique", "1 lieu trouvé", "Appliquer les filtres", "Que cherchez-vous"],
    )


def test_the_detail_page_reads_in_english(english, place):
    content = page(english, reverse("actors:detail", args=[place.slug]))
    assert_english(
        content,
        ["Opening hours", "Monday", "Report an error", "Address and practical information",
         "Getting there and how to be received", "Help with administrative procedures"],
        ["Horaires d&#x27;ouverture", "lundi", "Signaler une erreur", "Adresse et informations pratiques",
         "Comment y aller", "Aide aux démarches administratives"],
    )


def test_the_referral_sheet_reads_in_english(english, place):
    content = page(english, reverse("actors:referral_sheet", args=[place.slug]))
    assert_english(
        content,
        ["Referral sheet", "Print", "Send by email", "Scan to see the up-to-date page",
         "Here is the place where you can get help:"],
        ["Fiche d&#x27;orientation", "Imprimer", "Envoyer par courriel", "Scannez pour voir",
         "Voici le lieu où vous pouvez"],
    )


def test_a_territory_page_reads_in_english(english, place):
    content = page(english, reverse("territories:commune", args=["86194"]))
    assert_english(
        content,
        ["INSEE code", "inhabitants", "Digital inclusion places"],
        ["Code INSEE", " habitants", "Lieux d&#x27;inclusion numérique"],
    )


def test_french_stays_the_default(client, place):
    content = client.get(reverse("actors:detail", args=[place.slug])).content.decode()
    assert "Signaler une erreur" in content and "Report an error" not in content


def test_a_range_of_days_reads_with_capitals_in_english(english, place):
    content = page(english, reverse("actors:referral_sheet", args=[place.slug]))
    assert "Monday–Friday 9:00–12:00, 14:00–17:30" in content
    assert "Monday–friday" not in content
