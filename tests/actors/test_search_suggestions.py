"""Suggestions as one types (actors/directory/suggestions.py) on the whole demo: communes, services and places,
each a link; communes of the same name each with its département (a choice, not a guess)."""

import pytest
from django.db.models import Count

from actors.directory import suggestions
from actors.models import Structure
from actors.timelimit import QueryTimeLimitExceeded
from territories.models import Commune


def suggested(client, text: str) -> list[dict]:
    response = client.get("/suggestions/", {"q": text})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return response.json()["suggestions"]


@pytest.mark.django_db
def test_st_junien_suggests_saint_junien_first_with_its_departement(client, demo_places):
    found = suggested(client, "st junien")
    communes = [item for item in found if item["kind"] == "Commune"]
    assert communes[0]["label"] == "Saint-Junien (87)" and communes[0]["url"] == "/?commune=87154"
    listed = client.get(communes[0]["url"]).context["directory"]
    assert listed["total"] == Structure.objects.public().filter(commune_id="87154").count() > 0


@pytest.mark.django_db
def test_communes_of_one_name_are_each_offered(client, demo_places):
    with_places = Structure.objects.public().values("commune_id")
    names = (Commune.objects.filter(kind=Commune.Kind.COMMUNE, pk__in=with_places).values("name_folded")
             .annotate(n=Count("pk")).filter(n__gt=1).values_list("name_folded", flat=True))
    for name in list(names)[:3]:
        offered = {item["url"] for item in suggested(client, name) if item["kind"] == "Commune"}
        same = set(Commune.objects.filter(name_folded=name, pk__in=with_places).values_list("pk", flat=True))
        assert {f"/?commune={code}" for code in same} <= offered, name


@pytest.mark.django_db
def test_a_service_and_places_are_suggested_each_with_its_link(client, demo_places):
    services = [item for item in suggested(client, "demarches") if item["kind"] == "Service"]
    assert any(item["label"] == "Aide aux démarches administratives" for item in services)
    places = [item for item in suggested(client, "mediatheque limo") if item["kind"] == "Lieu"]
    assert places and all("Limoges" in item["label"] or "imo" in item["label"].lower() for item in places)
    assert client.get(places[0]["url"]).status_code == 200


@pytest.mark.django_db
def test_short_or_hostile_text_answers_an_empty_or_plain_list(client, demo_places):
    assert suggested(client, "ab") == []
    for text in ['"" OR * NEAR(', "🙂🙂🙂", "x" * 500, "<script>alert(1)</script>", "poi\x00tiers", "st\x1bjun"]:
        assert isinstance(suggested(client, text), list)


@pytest.mark.django_db
def test_past_its_time_limit_what_was_found_is_answered(client, demo_places, monkeypatch):
    def too_slow(text):
        raise QueryTimeLimitExceeded

    monkeypatch.setattr(suggestions, "places", too_slow)
    found = suggested(client, "st junien")
    assert found and all(item["kind"] != "Lieu" for item in found)


@pytest.mark.django_db
def test_a_commune_name_two_communes_bear_in_the_box_asks_which(client, demo_places):
    response = client.get("/", {"q": "mediatheque saint paul"})
    directory = response.context["directory"]
    assert not directory["data"].get("commune")  # no guess
    codes = set(Commune.objects.filter(name_folded="saint paul", kind=Commune.Kind.COMMUNE,
                                       pk__in=Structure.objects.public().values("commune_id"))
                .values_list("pk", flat=True))
    assert len(codes) == 2
    urls = [choice["url"] for choice in directory["place_choices"]]
    assert {url.split("commune=")[1].split("&")[0] for url in urls} == codes
    assert all("q=mediatheque&" in url + "&" for url in urls)
    assert "Plusieurs communes s'appellent « Saint-Paul »" in response.content.decode()
    chosen = client.get("/" + urls[0]).context["directory"]
    assert chosen["data"]["commune"] in codes and not chosen["place_choices"]
