"""Reminders after 15 and 30 days, through a real SMTP server started here, the clock moved by the test."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from actors.campaigns import mail_ids, reminders
from actors.core import writes
from actors.models import Structure, UpdateRequest
from tests.fixtures.campaigns import command_runner

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch):
    """Moves `timezone.now` forward by whole days (the command, the tasks and the link all read it)."""
    real_now = timezone.now
    start = real_now()

    def move(days: int) -> dt.datetime:
        monkeypatch.setattr(timezone, "now", lambda: start + dt.timedelta(days=days, hours=1))
        return timezone.now()
    return move


@pytest.fixture
def remind(django_capture_on_commit_callbacks):
    return command_runner(django_capture_on_commit_callbacks, "send_reminders")


def test_two_reminders_then_nothing_each_sent_once(run, remind, clock, smtp_server, haute_vienne_places):
    run("--departement", "87", "--send")
    assert len(smtp_server.messages) == 1
    first_id = smtp_server.messages[0][1]["Message-ID"]
    clock(14)
    assert "0 relance(s) due(s)" in remind()
    clock(15)
    listed = remind()
    assert "relance 1 — Médiathèque de Limoges — accueil@mediatheque-limoges.fr" in listed
    assert "Simulation" in listed and len(smtp_server.messages) == 1
    assert "1 relance(s) mise(s) en file" in remind("--send")
    assert "0 relance(s) mise(s) en file" in remind("--send")  # the same day again: nothing twice
    assert len(smtp_server.messages) == 2
    recipients, reminder = smtp_server.messages[1]
    assert recipients == ["accueil@mediatheque-limoges.fr"]
    assert reminder["Subject"].strip().startswith("Relance")
    text = reminder.get_body(("plain",)).get_content()
    assert "pas encore reçu" in text and "une dernière fois" in text
    assert re.search(r"http://\S+/mise-a-jour/\S+/", text)
    assert 'href="http' in reminder.get_body(("html",)).get_content()
    request = UpdateRequest.objects.get(email="accueil@mediatheque-limoges.fr")
    # The reminder names the same request as the first message, under a Message-ID of its own.
    assert reminder[mail_ids.HEADER] == mail_ids.reference(request.pk)
    assert reminder["Message-ID"] != first_id
    assert mail_ids.requests_named(first_id + reminder["Message-ID"]) == {request.pk}
    clock(29)
    assert "0 relance(s) mise(s) en file" in remind("--send")
    clock(30)
    assert "1 relance(s) mise(s) en file" in remind("--send")
    assert "dernière relance" in smtp_server.messages[2][1].get_body(("plain",)).get_content()
    clock(45)
    assert "0 relance(s)" in remind("--send")
    assert len(smtp_server.messages) == 3
    request.refresh_from_db()
    assert request.reminders == 2


def test_places_that_answered_or_were_verified_are_not_reminded(run, remind, clock, client, smtp_server,
                                                                haute_vienne_places):
    Structure.objects.filter(pk=haute_vienne_places["theirs"]["twin"].pk).update(courriels="epn@limoges.example.org")
    run("--departement", "87", "--send")
    by_address = {m[0][0]: m[1] for m in smtp_server.messages}
    # One place confirms through its link; the other is verified by its coordinator.
    text = by_address["accueil@mediatheque-limoges.fr"].get_body(("plain",)).get_content()
    path = re.search(r"/mise-a-jour/\S+/", text).group(0)
    client.post(path, {"unchanged": "1"})
    clock(16)
    writes.structures_mark_verified(Structure.objects.filter(pk=haute_vienne_places["theirs"]["twin"].pk))
    assert "0 relance(s) mise(s) en file" in remind("--send")
    assert len(smtp_server.messages) == 2


def test_a_late_run_sends_only_the_last_reminder(run, remind, clock, smtp_server, haute_vienne_places):
    run("--departement", "87", "--send")
    clock(31)
    assert "relance 2" in remind()
    remind("--send")
    assert len(smtp_server.messages) == 2
    assert "dernière relance" in smtp_server.messages[1][1].get_body(("plain",)).get_content()
    assert "0 relance(s)" in remind("--send")


def test_a_reminder_is_claimed_by_one_run_only(run, clock, smtp_server, haute_vienne_places):
    run("--departement", "87", "--send")
    now = clock(15)
    (item,) = reminders.due(now)
    assert reminders.claim(request_pk=item.request.pk, number=1, now=now)
    assert not reminders.claim(request_pk=item.request.pk, number=1, now=now)
    assert reminders.due(now) == []
