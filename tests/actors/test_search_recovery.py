"""Issue 21, items 3 to 5 on the whole demo: a search nothing matches whole is answered without one word,
an empty page is never a dead end (each word's count, the places beyond the radius), and a card under a day
filter gives that date's hours, checked against each place's own hours read by opening_hours."""

import datetime as dt

import pytest
from django.contrib.gis.db.models.functions import Distance
from django.http import QueryDict
from opening_hours import OpeningHours, State

from actors.directory import views
from actors.directory.filters import StructureFilter
from actors.models import Structure
from territories.models import Commune
from territories.text import fold

MONDAY_EVENING = dt.datetime(2026, 12, 7, 18, 10, tzinfo=dt.UTC)  # 19:10 in Paris
SATURDAY = dt.date(2026, 12, 12)


def run(params: dict, now: dt.datetime | None = None) -> StructureFilter:
    data = QueryDict(mutable=True)
    data.update(params)
    return StructureFilter(data, now=now)


@pytest.mark.django_db
def test_a_word_no_place_holds_with_the_others_is_set_aside_and_named(demo_places):
    found = run({"q": "mediatheque pronote limoges"})
    rows = list(found.qs)
    assert found.text_search.dropped == "pronote"
    assert any("« pronote »" in notice for notice in found.notices)
    # The answer is the search of the other words, exactly.
    assert [row.pk for row in rows] == list(run({"q": "mediatheque limoges"}).qs.values_list("pk", flat=True))
    assert rows and all(row.commune_id == "87085" for row in rows)


@pytest.mark.django_db
def test_the_word_whose_absence_leaves_most_places_is_the_one_set_aside(demo_places):
    found = run({"q": "mediatheque xylophone"})
    found.qs  # noqa: B018 - runs the search
    assert found.text_search.dropped == "xylophone"
    assert found.qs.count() == run({"q": "mediatheque"}).qs.count() > 0


@pytest.mark.django_db
def test_words_found_together_elsewhere_are_kept_whole_and_the_places_beyond_are_offered(client, demo_places):
    params = {"q": "France services", "pres_de": "Guéret"}
    found = run(params)
    assert found.qs.count() == 0 and not found.text_search.dropped
    beyond = client.get("/", params).context["directory"]["beyond"]
    # Oracle: every place of the text search alone, measured by the database from Guéret's centre.
    centre = Commune.objects.get(name="Guéret").centre
    ids = run({"q": "France services"}).qs.values_list("pk", flat=True)
    measured = sorted((s.distance.m, s.pk) for s in Structure.objects.filter(pk__in=list(ids))
                      .annotate(distance=Distance("location", centre, spheroid=True)))
    assert [place.pk for place in beyond.places] == [pk for _m, pk in measured[:3]]
    assert measured[0][0] > 10_000 and beyond.radius >= measured[0][0] / 1000
    wider = run({**params, "rayon": str(beyond.radius)})
    assert beyond.count == wider.qs.count() == sum(1 for m, _pk in measured if m <= beyond.radius * 1000)
    assert f"rayon={beyond.radius}" in beyond.url


@pytest.mark.django_db
def test_an_empty_page_counts_each_word_alone_with_the_same_filters(client, demo_places):
    response = client.get("/", {"q": "imprimer pronote samedi"})
    directory = response.context["directory"]
    assert directory["total"] == 0
    counts = {item.word: item.count for item in directory["words"]}
    assert counts["imprimer"] == run({"q": "imprimer", "jour": "samedi"}).qs.count() > 0
    assert counts["pronote"] == run({"q": "pronote", "jour": "samedi"}).qs.count() == 0
    body = response.content.decode()
    assert f"« imprimer » : {counts['imprimer']} lieux" in body and "« pronote » : aucun lieu" in body
    link = next(item.url for item in directory["words"] if item.word == "imprimer")
    assert client.get("/" + link).context["directory"]["total"] == counts["imprimer"]


@pytest.mark.django_db
def test_a_commune_with_no_match_shows_the_nearest_places_around_it(client, demo_places):
    directory = client.get("/", {"q": "aide caf poitiers samedi"}).context["directory"]
    assert directory["total"] == 0
    beyond = directory["beyond"]
    assert beyond is not None and beyond.places and not beyond.url
    assert all(place.commune_id != "86194" for place in beyond.places)
    distances = [place.distance.m for place in beyond.places]
    assert distances == sorted(distances)


def day_intervals(horaires: str, day: dt.date) -> list[tuple[dt.datetime, dt.datetime]]:
    """The place's own open intervals on `day`, read by opening_hours (public holidays closed unless `PH`)."""
    text = horaires if "PH" in horaires else f"{horaires.strip().rstrip(';')}; PH off"
    start = dt.datetime.combine(day, dt.time())
    return [(begin, end) for begin, end, state, _comment in
            OpeningHours(text, country="FR").intervals(start, start + dt.timedelta(days=1))
            if state == State.OPEN]


@pytest.mark.django_db
def test_every_card_under_saturday_gives_saturdays_hours_as_its_own_hours_say(demo_places):
    now = dt.datetime(2026, 12, 8, 9, 0, tzinfo=dt.UTC)  # a Tuesday
    found = run({"jour": "samedi"}, now=now)
    rows = list(found.qs.prefetch_related("terms"))
    assert len(rows) > 50
    views.decorate(rows, now, views.days_asked(found))
    for row in rows:
        first = row.date_hours[0]
        assert first.startswith("Samedi 12 décembre : "), (row.nom, row.date_hours)
        intervals = day_intervals(row.horaires, SATURDAY)
        assert intervals, (row.nom, row.horaires)  # the filter chose it open on Saturday
        for begin, _end in intervals:
            assert f"{begin.hour}:{begin.minute:02d}" in first, (row.nom, row.horaires, first)


@pytest.mark.django_db
def test_monday_asked_on_monday_evening_says_it_is_over_and_gives_next_mondays_hours(demo_places):
    found = run({"q": "lundi"}, now=MONDAY_EVENING)
    rows = list(found.qs.prefetch_related("terms"))
    assert found.cleaned["jour"] == "lundi" and len(rows) > 50
    views.decorate(rows, MONDAY_EVENING, views.days_asked(found))
    over = 0
    for row in rows:
        intervals = day_intervals(row.horaires, MONDAY_EVENING.date())
        ended = all(end <= dt.datetime(2026, 12, 7, 19, 10) for _begin, end in intervals)
        assert row.date_hours[0].endswith("terminé pour aujourd'hui") == ended, (row.nom, row.date_hours)
        if ended:
            over += 1
            assert row.date_hours[1].startswith("Lundi 14 décembre : ")
    assert over > 0


@pytest.mark.django_db
def test_open_now_keeps_todays_status_on_the_cards(client, demo_places):
    response = client.get("/", {"ouvert": "maintenant"})
    assert all(not row.date_hours for row in response.context["directory"]["rows"])


@pytest.mark.django_db
def test_bad_words_never_give_a_server_error_nor_a_silent_all_places(client, demo_places):
    everything = Structure.objects.public().count()
    for text in ['"" OR * NEAR(', "le la les de", "🙂🙂", "x" * 500, "zzzzqqq wwwwkkk", "Bussière xyzzy"]:
        response = client.get("/", {"q": text})
        assert response.status_code == 200, text
        directory = response.context["directory"]
        assert directory["total"] < everything or directory["notices"], text


@pytest.mark.django_db
def test_near_a_place_the_equally_named_come_nearest_first(client, demo_places):
    rows = client.get("/", {"q": "France services", "pres_de": "Guéret", "rayon": "20"}).context["directory"]["rows"]
    named = [("france services" in fold(row.nom).replace("-", " "), row.distance.m) for row in rows]
    assert len(named) >= 5 and named[0][0]
    # Every place whose name says both words before the others, each group nearest first (distances measured by
    # the database).
    assert [said for said, _m in named] == sorted((said for said, _m in named), reverse=True)
    first = [metres for said, metres in named if said]
    assert first == sorted(first)
