"""Ateliers in the admin: a coordinator edits those of their territory, never another's; a registered agenda is
read by the background task and its failure is kept on it, with the sessions as they were."""

import pytest
from django.urls import reverse

from actors.ateliers import feeds
from actors.ateliers.importing import import_agenda
from actors.core import locking
from actors.models import AtelierFeed, AtelierSeries, AtelierSession
from tests.fixtures.ateliers import agenda_ics, next_monday

pytestmark = pytest.mark.django_db


@pytest.fixture
def series_each(two_territories):
    data = agenda_ics(next_monday())
    import_agenda(data=data, structure=two_territories["ours"]["structure"], apply=True)
    ours = AtelierSeries.objects.get(title="Smartphone pour débutants")
    # The same agenda at the other territory's place, under other UIDs.
    import_agenda(data=data.replace(b"@mediatheque.example", b"@limoges.example"),
                  structure=two_territories["theirs"]["structure"], apply=True)
    theirs = AtelierSeries.objects.get(title="Smartphone pour débutants", source_id__endswith="limoges.example")
    return ours, theirs


def test_a_coordinator_lists_and_opens_only_the_ateliers_of_their_territory(client, two_territories, series_each):
    ours, theirs = series_each
    client.force_login(two_territories["coordinator"])
    listing = client.get(reverse("admin:actors_atelierseries_changelist"))
    assert listing.status_code == 200
    assert set(listing.context["cl"].queryset.values_list("pk", flat=True)) == set(
        AtelierSeries.objects.filter(structure=two_territories["ours"]["structure"]).values_list("pk", flat=True))
    assert client.get(reverse("admin:actors_atelierseries_change", args=[ours.pk])).status_code == 200
    url = reverse("admin:actors_atelierseries_change", args=[theirs.pk])
    before = list(AtelierSeries.objects.values_list("pk", "title", "updated_at"))
    assert client.get(url).status_code in (403, 404)
    assert client.post(url, {"title": "Piraté", "structure": theirs.structure_id}).status_code in (403, 404)
    assert list(AtelierSeries.objects.values_list("pk", "title", "updated_at")) == before


def post_data(series: AtelierSeries, version: str, **changes) -> dict:
    sessions = list(series.sessions.order_by("starts_at"))
    data = {
        "structure": series.structure_id, "title": series.title, "description": series.description,
        "level": series.level, "free": "unknown" if series.free is None else str(series.free).lower(),
        "registration": series.registration, "registration_contact": series.registration_contact,
        "language": series.language, "themes": [t.pk for t in series.themes.all()],
        "publics": [t.pk for t in series.publics.all()], "version": version,
        "sessions-TOTAL_FORMS": str(len(sessions) + 1), "sessions-INITIAL_FORMS": str(len(sessions)),
        "sessions-MIN_NUM_FORMS": "0", "sessions-MAX_NUM_FORMS": "1000", "_save": "1",
    }
    for index, session in enumerate(sessions):
        data.update({
            f"sessions-{index}-id": session.pk, f"sessions-{index}-series": series.pk,
            f"sessions-{index}-starts_at_0": session.starts_at.strftime("%d/%m/%Y"),
            f"sessions-{index}-starts_at_1": session.starts_at.strftime("%H:%M:%S"),
            f"sessions-{index}-ends_at_0": session.ends_at.strftime("%d/%m/%Y"),
            f"sessions-{index}-ends_at_1": session.ends_at.strftime("%H:%M:%S"),
            f"sessions-{index}-seats_left": "" if session.seats_left is None else session.seats_left,
        })
    data.update(changes)
    return data


def test_a_coordinator_sets_seats_and_cancels_a_session_and_the_public_page_follows(client, two_territories,
                                                                                     series_each, settings):
    settings.TIME_ZONE = "UTC"  # the admin's date inputs are read in the site's zone; UTC keeps this test's strings
    ours, _theirs = series_each
    client.force_login(two_territories["coordinator"])
    url = reverse("admin:actors_atelierseries_change", args=[ours.pk])
    first = ours.sessions.order_by("starts_at").first()
    data = post_data(ours, locking.version_of(ours.structure_id), seats="10",
                     **{"sessions-0-seats_left": "4", "sessions-1-cancelled": "on"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    assert AtelierSession.objects.get(pk=first.pk).seats_left == 4
    assert ours.sessions.order_by("starts_at")[1].cancelled
    client.logout()
    page = client.get(ours.structure.get_absolute_url()).content.decode()
    assert "4 places restantes" in page
    # A second form based on the old version is refused (optimistic locking), nothing written.
    client.force_login(two_territories["coordinator"])
    stale = client.post(url, post_data(ours, "2000-01-01T00:00:00+00:00", title="Autre titre"))
    assert stale.status_code == 200 and AtelierSeries.objects.get(pk=ours.pk).title == "Smartphone pour débutants"


def test_a_registered_feed_is_read_by_the_task_and_an_unreachable_one_keeps_its_sessions(two_territories, tmp_path):
    place = two_territories["ours"]["structure"]
    path = tmp_path / "agenda.ics"
    path.write_bytes(agenda_ics(next_monday()))
    # A local path stands for the URL here (reading.read takes both; the admin form asks for a URL).
    feed = AtelierFeed.objects.create(structure=place, url=str(path))
    assert feeds.refresh_feeds.enqueue().return_value == {"lus": 1, "en_echec": 0}
    feed.refresh_from_db()
    assert feed.last_ok and "3 atelier(s) créé(s)" in feed.last_report
    shown = AtelierSession.objects.not_cancelled().count()
    AtelierFeed.objects.filter(pk=feed.pk).update(url="http://127.0.0.1:9/agenda.ics")
    assert feeds.refresh_feeds.enqueue().return_value == {"lus": 0, "en_echec": 1}
    feed.refresh_from_db()
    assert feed.last_ok is False and "injoignable" in feed.last_report
    assert AtelierSession.objects.not_cancelled().count() == shown
