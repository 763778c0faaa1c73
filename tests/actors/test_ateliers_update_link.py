"""A place edits its own ateliers from its private update link: adds a session, sets the seats left, cancels one;
a stale form, another place's session or bad values are refused in French with nothing written."""

import datetime as dt

import pytest
from django.urls import reverse

from actors.ateliers.importing import import_agenda
from actors.campaigns import update_links
from actors.models import AtelierSession
from tests.fixtures.ateliers import SMARTPHONE, agenda_ics, at, next_monday

pytestmark = pytest.mark.django_db


@pytest.fixture
def link(atelier_places):
    place = atelier_places["mediatheque"]
    import_agenda(data=agenda_ics(next_monday()), structure=place, apply=True)
    token = update_links.make_token(structure=place)
    return reverse("actors:update_ateliers", args=[token]), place


def test_the_update_page_leads_to_the_places_ateliers(client, link):
    url, place = link
    page = client.get(reverse("actors:update", args=[url.split("/")[-3]])).content.decode()
    assert url in page
    response = client.get(url)
    assert response.status_code == 200
    assert [s.pk for s in response.context["sessions"]] == list(
        AtelierSession.objects.filter(series__structure=place, cancelled=False).order_by("starts_at")
        .values_list("pk", flat=True))


def test_a_place_adds_a_session_and_it_shows_on_the_public_list(client, link):
    url, place = link
    day = next_monday() + dt.timedelta(days=9)
    response = client.post(url, {"add": "1", "title": "Faire ses courses en ligne", "day": day.isoformat(),
                                 "starts": "09:30", "ends": "11:00", "seats": "8", "theme": SMARTPHONE,
                                 "free": "on"})
    assert response.status_code == 302
    session = AtelierSession.objects.get(series__title="Faire ses courses en ligne")
    assert (session.starts_at, session.ends_at, session.seats_left) == (at(day, 9, 30), at(day, 11), 8)
    listing = client.get(reverse("actors:ateliers"), {"theme": SMARTPHONE, "gratuit": "1", "places": "1"})
    assert "Faire ses courses en ligne" in listing.content.decode()


def test_seats_and_cancellation_with_the_version_of_the_page(client, link):
    url, place = link
    page = client.get(url)
    first, second = page.context["sessions"][:2]
    assert client.post(url, {"session": first.pk, "version": first.version, "seats_left": "0"}).status_code == 302
    assert client.post(url, {"session": second.pk, "version": second.version, "cancelled": "on"}).status_code == 302
    assert AtelierSession.objects.get(pk=first.pk).seats_left == 0
    assert AtelierSession.objects.get(pk=second.pk).cancelled
    assert "Complet" in client.get(place.get_absolute_url()).content.decode()
    # The same first form again, from a tab opened before: refused, nothing written.
    stale = client.post(url, {"session": first.pk, "version": first.version, "seats_left": "5"})
    assert stale.status_code == 409 and "rechargez" in stale.content.decode()
    assert AtelierSession.objects.get(pk=first.pk).seats_left == 0


def test_another_places_session_and_bad_values_are_refused(client, link, atelier_places):
    url, _place = link
    import_agenda(data=agenda_ics(next_monday()).replace(b"@mediatheque", b"@centre"),
                  structure=atelier_places["centre"], apply=True)
    theirs = AtelierSession.objects.filter(series__structure=atelier_places["centre"]).first()
    before = list(AtelierSession.objects.values_list("pk", "seats_left", "cancelled", "updated_at"))
    refused = client.post(url, {"session": theirs.pk, "version": theirs.updated_at.isoformat(), "cancelled": "on"})
    assert refused.status_code == 409 and "pas celle de votre lieu" in refused.content.decode()
    assert client.post(url, {"session": theirs.pk, "version": "x", "seats_left": "-3"}).status_code == 400
    day = next_monday() + dt.timedelta(days=2)
    backwards = client.post(url, {"add": "1", "title": "À l'envers", "day": day.isoformat(), "starts": "11:00",
                                  "ends": "10:00"})
    assert backwards.status_code == 400 and "doit suivre son début" in backwards.content.decode()
    assert client.post(url, {"add": "1", "title": "x", "day": "hier", "starts": "25:00"}).status_code == 400
    assert list(AtelierSession.objects.values_list("pk", "seats_left", "cancelled", "updated_at")) == before
    assert client.get(url.replace("/ateliers/", "x/ateliers/")).status_code == 404
