"""Failures and replies read back from a mailbox: the campaign's e-mails go through a real SMTP server, the test
writes delivery status notifications (RFC 3464, as Postfix and Exim write them) and replies that quote them into
a Maildir or an mbox, and `read_bounces` marks the requests."""

import datetime as dt
import mailbox
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse

from actors.campaigns import mail_ids
from actors.models import Structure, UpdateRequest

pytestmark = pytest.mark.django_db


def postfix_dsn(*, recipient: str, original_headers: str, action: str = "failed", status: str = "5.1.1",
                to: str = "annuaire@localhost") -> bytes:
    """A Postfix non-delivery report: human part, delivery-status part, the original message's headers."""
    return f"""Return-Path: <>
From: MAILER-DAEMON@mx.example.net (Mail Delivery System)
To: {to}
Subject: Undelivered Mail Returned to Sender
Date: Thu, 26 Nov 2026 10:00:00 +0100
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B1"
Message-Id: <20261126090000.4F2B1@mx.example.net>

This is a MIME-encapsulated message.

--B1
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

I'm sorry to have to inform you that your message could not be delivered to one or more recipients.

--B1
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net
X-Postfix-Queue-ID: 4F2B1
Arrival-Date: Thu, 26 Nov 2026 09:59:58 +0100

Final-Recipient: rfc822; {recipient}
Original-Recipient: rfc822;{recipient}
Action: {action}
Status: {status}
Remote-MTA: dns; mail.example.org
Diagnostic-Code: smtp; 550 5.1.1 <{recipient}>: Recipient address rejected: User unknown

--B1
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

{original_headers}
--B1--
""".replace("\n", "\r\n").encode()


def exim_dsn_without_headers(*, recipient: str, to: str) -> bytes:
    """A failure notice that returns no original headers: only its addressee (VERP) names the request."""
    return f"""From: Mail Delivery System <Mailer-Daemon@relay.example.net>
To: {to}
Subject: Mail delivery failed: returning message to sender
Date: Thu, 26 Nov 2026 11:00:00 +0100
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="E1"

--E1
Content-Type: text/plain; charset=us-ascii

This message was created automatically by mail delivery software.

--E1
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.example.net

Action: failed
Final-Recipient: rfc822;someone-else@example.org
Status: 5.2.2
Diagnostic-Code: smtp; 552 mailbox full

--E1--
""".replace("\n", "\r\n").encode()


def reply(*, sender: str, in_reply_to: str, body: str, extra: str = "") -> bytes:
    return (f"From: {sender}\r\nTo: annuaire@localhost\r\nSubject: Re: Vos informations dans l'annuaire\r\n"
            f"Date: Fri, 27 Nov 2026 09:30:00 +0100\r\nIn-Reply-To: {in_reply_to}\r\n{extra}"
            f"MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
            f"{body}").encode()


def headers_of(message) -> str:
    return "".join(f"{name}: {value}\n" for name, value in message.items())


@pytest.fixture
def sent(run, smtp_server, haute_vienne_places):
    """Three places of 87 e-mailed through the SMTP server: {address: (request, message received)}."""
    limoges = haute_vienne_places["limoges"]
    from tests.fixtures.coordination import place

    third = place("hv-3", "Tiers-lieu du Vigenal", limoges, None, courriels="contact@vigenal.example.org")
    Structure.objects.filter(pk=haute_vienne_places["theirs"]["twin"].pk).update(courriels="epn@limoges.example.org")
    run("--departement", "87", "--send")
    received = {recipients[0]: message for recipients, message in smtp_server.messages}
    return {address: (UpdateRequest.objects.get(email=address), received[address]) for address in received} | {
        "third": third}


def read(path, *args) -> str:
    out = StringIO()
    call_command("read_bounces", str(path), *args, stdout=out)
    return out.getvalue()


def test_failures_and_replies_in_a_maildir_are_marked_once(sent, tmp_path, client, admin_client):
    failed_request, failed_message = sent["accueil@mediatheque-limoges.fr"]
    replied_request, replied_message = sent["epn@limoges.example.org"]
    other_request, other_message = sent["contact@vigenal.example.org"]
    box = mailbox.Maildir(str(tmp_path / "Maildir"), create=True)
    box.add(postfix_dsn(recipient="accueil@mediatheque-limoges.fr", original_headers=headers_of(failed_message)))
    box.add(postfix_dsn(recipient="contact@vigenal.example.org", original_headers=headers_of(other_message),
                        action="delayed", status="4.4.1"))  # only late: nothing to mark
    box.add(reply(sender="Espace numérique <epn@limoges.example.org>", in_reply_to=replied_message["Message-ID"],
                  body="Bonjour,\nNous fermons le samedi à partir de janvier.\nCordialement\n\n"
                       "Le 26/11/2026, Annuaire a écrit :\n> Bonjour, votre lieu figure…\n"))
    box.add(reply(sender="contact@vigenal.example.org", in_reply_to=other_message["Message-ID"],
                  body="Je suis absent jusqu'au 4 janvier.", extra="Auto-Submitted: auto-replied\r\n"))
    box.add(reply(sender="inconnu@example.com", in_reply_to="<rien@example.com>", body="Bonjour ?"))
    # A reference whose signature does not match: its last character changed (CI's secret key is random, so
    # the real one ends in "0" once in 16 runs).
    real = mail_ids.reference(other_request.pk)
    forged = real[:-1] + ("1" if real.endswith("0") else "0")
    box.add(reply(sender="curieux@example.com", in_reply_to=f"<{forged}-r0@localhost>", body="Essai"))
    box.add(b"\xff\xfe not a message at all")

    output = read(tmp_path / "Maildir")
    assert "Adresses en échec : 1" in output and "5.1.1 — smtp; 550 5.1.1" in output
    assert "Réponses reçues : 1" in output
    assert "retards signalés : 1 · réponses automatiques : 1" in output
    assert "Sans demande correspondante : 3" in output  # the stranger, the forged reference, the junk
    failed_request.refresh_from_db()
    replied_request.refresh_from_db()
    other_request.refresh_from_db()
    assert failed_request.bounced_at is not None and "User unknown" in failed_request.bounce_reason
    assert replied_request.replied_at is not None
    assert replied_request.reply_excerpt == "Bonjour, Nous fermons le samedi à partir de janvier. Cordialement"
    assert other_request.bounced_at is None and other_request.replied_at is None

    again = read(tmp_path / "Maildir")  # the same mailbox read again: nothing new, nothing twice
    assert "Adresses en échec : 0" in again and "Réponses reçues : 0" in again and "Déjà enregistrés : 2" in again

    report = admin_client.get(reverse("admin:actors_updatecampaign_report", args=[failed_request.campaign_id]))
    page = report.content.decode()
    assert "adresse en échec" in page and "réponse reçue" in page and "Nous fermons le samedi" in page
    sheet = admin_client.get(reverse("admin:actors_updatecampaign_call_sheet", args=[failed_request.campaign_id]))
    called = [row["place"].pk for row in sheet.context["rows"]]
    assert failed_request.structure_id in called and replied_request.structure_id not in called


def test_a_verp_return_path_names_the_request_in_an_mbox(run, smtp_server, haute_vienne_places, tmp_path):
    with override_settings(UPDATE_BOUNCE_ADDRESS="retours@annuaire.example.org"):
        run("--departement", "87", "--send")
    request = UpdateRequest.objects.exclude(email="").get()
    verp = f"retours+{mail_ids.reference(request.pk)}@annuaire.example.org"
    assert smtp_server.senders == [verp]  # the envelope sender the SMTP server was given
    assert smtp_server.messages[0][1]["From"] == "Annuaire de l'inclusion numérique <annuaire@localhost>"
    box = mailbox.mbox(str(tmp_path / "retours.mbox"), create=True)
    box.add(exim_dsn_without_headers(recipient=request.email, to=verp))
    box.flush()
    output = read(tmp_path / "retours.mbox", "--dry-run")
    assert "Adresses en échec : 1" in output and "Simulation" in output
    request.refresh_from_db()
    assert request.bounced_at is None  # a dry run writes nothing
    read(tmp_path / "retours.mbox")
    request.refresh_from_db()
    assert request.bounce_reason == "5.2.2 — smtp; 552 mailbox full"


def test_a_missing_mailbox_is_refused_in_french(tmp_path):
    with pytest.raises(CommandError, match="n'existe pas"):
        read(tmp_path / "absent")
    (tmp_path / "plain").mkdir()
    with pytest.raises(CommandError, match="n'est pas un dossier Maildir"):
        read(tmp_path / "plain")


def test_the_sites_own_outbox_marks_no_reply(sent, tmp_path):
    box = mailbox.mbox(str(tmp_path / "sent.mbox"), create=True)
    outgoing = [message for address, value in sent.items() if address != "third" for message in [value[1]]]
    for message in outgoing:  # the campaign's e-mails as the server sent them (a copy of the outbox, a Bcc)
        box.add(message.as_bytes())
    request, message = sent["epn@limoges.example.org"]
    box.add(reply(sender="epn@limoges.example.org", in_reply_to=message["Message-ID"],
                  body="Absent jusqu'au 3 août.", extra="Auto-Submitted: auto-replied\n"))
    box.flush()
    output = read(tmp_path / "sent.mbox")
    assert f"messages envoyés par l'annuaire lui-même : {len(outgoing)}" in output
    assert "réponses automatiques : 1" in output and "Réponses reçues : 0" in output
    assert not UpdateRequest.objects.filter(replied_at__isnull=False).exists()
    assert not UpdateRequest.objects.filter(bounced_at__isnull=False).exists()


def test_a_date_written_minus_0000_is_stored_as_utc(sent, tmp_path):
    request, message = sent["epn@limoges.example.org"]
    box = mailbox.mbox(str(tmp_path / "replies.mbox"), create=True)
    raw = reply(sender="epn@limoges.example.org", in_reply_to=message["Message-ID"], body="Tout est juste.")
    box.add(raw.replace(b"Fri, 27 Nov 2026 09:30:00 +0100", b"Thu, 26 Nov 2026 10:00:00 -0000"))
    box.flush()
    read(tmp_path / "replies.mbox")
    request.refresh_from_db()
    assert request.replied_at == dt.datetime(2026, 11, 26, 10, 0, tzinfo=dt.UTC)
