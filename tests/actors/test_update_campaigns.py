"""Update campaigns: `request_updates` e-mails each place its link through a real SMTP server started here."""

import re
import socket

import pytest
from django.test import override_settings
from django.urls import reverse

from actors.campaigns import sending
from actors.models import FreshnessPolicy, Structure, UpdateCampaign, UpdateRequest
from inclusion.email import email_from_url

pytestmark = pytest.mark.django_db


def test_dry_run_lists_and_sends_nothing(run, smtp_server, haute_vienne_places):
    output = run("--departement", "87")
    assert "1 lieu(x) avec courriel, 1 sans courriel" in output
    assert "Espace numérique — Limoges — +33549000000" in output  # to call
    assert "Simulation" in output
    assert smtp_server.messages == [] and not UpdateCampaign.objects.exists()


def test_send_delivers_the_link_that_confirms_the_place(run, client, smtp_server, haute_vienne_places):
    structure = haute_vienne_places["theirs"]["structure"]
    output = run("--departement", "87", "--send")
    assert "1 envoi(s)" in output
    assert len(smtp_server.messages) == 1
    recipients, message = smtp_server.messages[0]
    assert recipients == ["accueil@mediatheque-limoges.fr"]
    assert structure.nom in message["Subject"]
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "Rien n'a changé" in text and "relues par la coordination" in text
    url = re.search(r"http://\S+/mise-a-jour/\S+/", text).group(0)
    assert f'href="{url}"' in html
    assert haute_vienne_places["theirs"]["contact"].name not in text + html
    path = url.split("127.0.0.1:8000", 1)[1]
    assert client.get(path).status_code == 200
    client.post(path, {"unchanged": "1"})
    structure.refresh_from_db()
    assert not structure.freshness().stale
    campaign = UpdateCampaign.objects.get()
    assert sending.counts(campaign) == {"total": 2, "sent": 1, "failed": 0, "confirmed": 1, "corrected": 0,
                                          "no_answer": 0}


def test_a_correction_is_counted_as_corrected(run, client, smtp_server, haute_vienne_places):
    structure = haute_vienne_places["theirs"]["structure"]
    run("--departement", "87", "--send")
    text = smtp_server.messages[0][1].get_body(("plain",)).get_content()
    path = re.search(r"/mise-a-jour/\S+/", text).group(0)
    week = {f"day_{day}": "09:00-12:00" if day < 5 else "" for day in range(7)}
    client.post(path, {**week, "day_5": "10:00-12:00", "telephone": structure.telephone,
                       "courriels": structure.courriels, "site_web": ""})
    assert sending.counts(UpdateCampaign.objects.get())["corrected"] == 1


def test_an_unreachable_server_is_recorded_not_hidden(run, haute_vienne_places):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nobody listens there once closed
    with override_settings(**email_from_url(f"smtp://127.0.0.1:{port}?timeout=2", None)):
        run("--departement", "87", "--send")  # the task fails, the command and the other sends go on
    request = UpdateRequest.objects.exclude(email="").get()  # the other one, without e-mail, is to call
    assert request.sent_at is None and request.error
    assert sending.counts(request.campaign)["failed"] == 1


def test_an_unknown_departement_is_refused_in_french(run):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Département inconnu"):
        run("--departement", "999")


def test_email_url_forms():
    assert email_from_url("smtp://u%40x:p%40ss@smtp.example.org:587", None) | {} == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend", "EMAIL_HOST": "smtp.example.org",
        "EMAIL_PORT": 587, "EMAIL_HOST_USER": "u@x", "EMAIL_HOST_PASSWORD": "p@ss", "EMAIL_USE_SSL": False,
        "EMAIL_USE_TLS": True, "EMAIL_TIMEOUT": 30}
    assert email_from_url("smtps://smtp.example.org", None)["EMAIL_PORT"] == 465
    from pathlib import Path

    assert email_from_url("file://var/mail", Path("/srv"))["EMAIL_FILE_PATH"] == "/srv/var/mail"
    assert reverse("actors:update", args=["x"]) == "/mise-a-jour/x/"


def admin_action(client, pks, confirmed=True):
    """The action on the selected places, then (`confirmed`) the « Envoyer les demandes » of its summary page."""
    return client.post(reverse("admin:actors_structure_changelist"),
                       {"action": "request_update", "_selected_action": [str(pk) for pk in pks],
                        **({"_send": "1"} if confirmed else {})})


def test_the_admin_action_first_says_who_would_be_written_to_and_sends_nothing(client, mailoutbox,
                                                                            haute_vienne_places):
    ours = haute_vienne_places["theirs"]  # the 87 coordinator's places
    client.force_login(haute_vienne_places["other_coordinator"])
    page = admin_action(client, [ours["structure"].pk, ours["twin"].pk], confirmed=False)
    assert page.status_code == 200
    text = page.content.decode()
    assert "accueil@mediatheque-limoges.fr" in text and "1 lieu recevra un courriel" in text
    assert "Espace numérique" in text and "+33549000000" in text and "1 lieu sans courriel public" in text
    assert f'value="{ours["twin"].pk}"' in text and 'name="_send"' in text
    assert mailoutbox == [] and not UpdateCampaign.objects.exists()


def test_the_admin_action_asks_the_selected_places_of_ones_territory(client, mailoutbox, haute_vienne_places,
                                                                      django_capture_on_commit_callbacks):
    ours, theirs = haute_vienne_places["theirs"], haute_vienne_places["ours"]  # the 87 coordinator's view
    Structure.objects.filter(pk=theirs["structure"].pk).update(courriels="accueil@poitiers.example.org")
    client.force_login(haute_vienne_places["other_coordinator"])  # coordinates 87
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_action(client, [ours["structure"].pk, ours["twin"].pk])
    assert response.status_code == 302
    assert [m.to for m in mailoutbox] == [["accueil@mediatheque-limoges.fr"]]
    shown = client.get(reverse("admin:actors_structure_changelist"), follow=True).content.decode()
    assert "Espace numérique" in shown  # listed to call
    # A selection reaching into 86 is refused as a whole: nothing sent, no campaign.
    with django_capture_on_commit_callbacks(execute=True):
        admin_action(client, [ours["structure"].pk, theirs["structure"].pk])
    assert len(mailoutbox) == 1 and UpdateCampaign.objects.count() == 1
    # The 86 coordinator does not see the 87 campaign nor its answers.
    client.force_login(haute_vienne_places["coordinator"])
    listed = client.get(reverse("admin:actors_updatecampaign_changelist")).context["cl"].result_list
    assert list(listed) == []
    client.force_login(haute_vienne_places["other_coordinator"])
    listed = client.get(reverse("admin:actors_updatecampaign_changelist")).context["cl"].result_list
    assert [(c.sent, c.confirmed, c.no_answer) for c in listed] == [(1, 0, 1)]


def test_the_e_mail_says_corrections_are_published_at_once_where_the_departement_applies_them(haute_vienne_places):
    structure = Structure.objects.get(pk=haute_vienne_places["theirs"]["structure"].pk)  # with its e-mail
    before = sending.message(structure=structure, url="https://annuaire.example/mise-a-jour/x/")
    assert "relues par la coordination" in before.body and "dès leur envoi" not in before.body
    FreshnessPolicy.objects.create(departement_id=structure.commune.departement_id, stale_after_months=12,
                                   apply_corrections=True)
    for reminder in (0, 1):
        mail = sending.message(structure=structure, url="https://annuaire.example/mise-a-jour/x/",
                                 reminder=reminder)
        html = mail.alternatives[0][0]
        for text in (mail.body, html):
            assert "publiées dès leur envoi" in text and "relues par la coordination" not in text
