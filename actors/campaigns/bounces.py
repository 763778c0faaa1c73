"""What comes back from a campaign: delivery failures and replies, read from a mailbox into the campaign report.

`read(path)` takes a Maildir folder or an mbox file (where the bounce address and the sender's replies are
delivered) and sorts each message:
- a delivery status notification (RFC 3464, multipart/report; report-type=delivery-status) whose recipients
  failed (Action: failed) marks the request « adresse en échec », with the status and the server's reason; a
  notice that only says « delayed » changes nothing. Older servers' failure notices without that structure
  (from MAILER-DAEMON or postmaster, « Undelivered… » subjects) count as failures too;
- a message the site sent itself (its own From address, Message-ID or request header at the top: a copy of the
  outbox, a Bcc, a mailbox that also receives what is sent) is set aside, never taken for a reply;
- an automatic answer (Auto-Submitted, X-Autoreply, « Réponse automatique », « Absence »…) is set aside;
- any other message naming a request is a reply: « réponse reçue », with its first lines (quotes left out).
A message names a request by the signed reference its e-mails carry (actors/campaigns/mail_ids.py: Message-ID
quoted in In-Reply-To / References or in the returned headers, X-Annuaire-Demande, VERP address); failing
that, a failure's Final-Recipient or a reply's sender is matched to the latest request e-mailed to that
address. Reading a mailbox twice changes nothing: a request keeps its first failure and its first reply.
"""

import datetime as dt
import email
import mailbox
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.utils import parseaddr, parsedate_to_datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from actors.campaigns import mail_ids
from actors.models import UpdateRequest

AUTO_SUBJECT = re.compile(r"^\s*(r[ée]ponse automatique|absence|auto(matic)?[ -]?reply|out of (the )?office|"
                          r"automatic reply|abwesenheit)", re.IGNORECASE)
FAILURE_SUBJECT = re.compile(r"(undeliver|delivery (status notification )?\(?fail|returned mail|"
                             r"non remis|[ée]chec de (la )?(remise|distribution)|mail delivery failed)", re.IGNORECASE)
DAEMON_SENDER = re.compile(r"(mailer-daemon|postmaster)@", re.IGNORECASE)


class MailboxUnreadable(Exception):
    pass


@dataclass
class Outcome:
    failed: list[tuple[int, str]] = field(default_factory=list)  # (request pk, reason)
    replied: list[int] = field(default_factory=list)
    already_known: int = 0
    delayed: int = 0
    automatic: int = 0
    own: int = 0  # the site's own outgoing messages found in the mailbox
    unmatched: list[str] = field(default_factory=list)  # « sender — subject » of messages matching no request
    unreadable: int = 0


def messages(path: Path):
    """The messages of a Maildir folder or an mbox file, as bytes; MailboxUnreadable in plain French."""
    if path.is_dir():
        if not (path / "cur").is_dir() and not (path / "new").is_dir():
            raise MailboxUnreadable(f"« {path} » n'est pas un dossier Maildir (ni cur/ ni new/).")
        box = mailbox.Maildir(str(path), factory=None, create=False)
    elif path.is_file():
        box = mailbox.mbox(str(path), factory=None, create=False)
    else:
        raise MailboxUnreadable(f"« {path} » n'existe pas.")
    for key in box.keys():
        yield box.get_bytes(key)


def _text(message: EmailMessage) -> str:
    body = message.get_body(("plain",))
    if body is None:
        return ""
    try:
        return body.get_content()
    except (LookupError, ValueError):
        return body.get_payload(decode=True).decode("utf-8", "replace") if body.get_payload(decode=True) else ""


def _excerpt(text: str) -> str:
    """The reply's own first lines: quoted lines and what follows a « Le … a écrit : » line left out."""
    lines = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith(">") or re.search(r"(a écrit|wrote)\s*:\s*$", stripped):
            break
        if stripped:
            lines.append(stripped)
    return " ".join(lines)[:300]


def _recipient_blocks(message: EmailMessage) -> list:
    """The per-recipient field blocks of a delivery status notification ([] when it is not one)."""
    for part in message.walk():
        if part.get_content_type() == "message/delivery-status":
            blocks = part.get_payload()
            return list(blocks[1:]) if isinstance(blocks, list) else []
    return []


def _address(value: str | None) -> str:
    """`rfc822; someone@example.org` → someone@example.org"""
    return (value or "").split(";", 1)[-1].strip().strip("<>").lower()


def _is_automatic(message: EmailMessage) -> bool:
    auto = (message.get("Auto-Submitted") or "no").strip().lower()
    return (auto != "no" or message.get("X-Autoreply") is not None or message.get("X-Autorespond") is not None
            or (message.get("Precedence") or "").strip().lower() in ("auto_reply", "bulk", "junk")
            or bool(AUTO_SUBJECT.search(str(message.get("Subject") or ""))))


def _is_own(message: EmailMessage) -> bool:
    """Sent by the site: a campaign e-mail carries its reference in its own top-level headers, which replies and
    failure notices only quote (In-Reply-To, References, a returned part)."""
    sender = parseaddr(str(message.get("From") or ""))[1].lower()
    ours = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower()
    return (bool(ours) and sender == ours) or message.get(mail_ids.HEADER) is not None or bool(
        mail_ids.requests_named(str(message.get("Message-ID") or "")))


def _latest_for(address: str) -> int | None:
    if not address:
        return None
    return (UpdateRequest.objects.filter(email__iexact=address, sent_at__isnull=False)
            .order_by("-sent_at", "-pk").values_list("pk", flat=True).first())


def _when(message: EmailMessage):
    """The message's date; « -0000 » (RFC 5322: UTC, the sender's zone unknown) is UTC, not the site's zone."""
    try:
        when = parsedate_to_datetime(str(message["Date"])) if message["Date"] else None
    except (TypeError, ValueError):
        when = None
    if when is None:
        return timezone.now()
    return when.replace(tzinfo=dt.UTC) if timezone.is_naive(when) else when


def _named(raw: bytes) -> set[int]:
    known = mail_ids.requests_named(raw.decode("utf-8", "replace"))
    return set(UpdateRequest.objects.filter(pk__in=known).values_list("pk", flat=True))


def _failure(message: EmailMessage, raw: bytes, outcome: Outcome, write: bool) -> None:
    blocks = _recipient_blocks(message)
    failed = [b for b in blocks if (b.get("Action") or "").strip().lower() == "failed"]
    if blocks and not failed:
        outcome.delayed += 1  # « delayed », « delivered », « relayed »: nothing to mark
        return
    reasons = [" — ".join(v for v in ((b.get("Status") or "").strip(),
                                     " ".join(str(b.get("Diagnostic-Code") or "").split())) if v) for b in failed]
    reason = "; ".join(r for r in reasons if r) or str(message.get("Subject") or "échec de remise")
    targets = _named(raw)
    if not targets:
        targets = {pk for pk in (_latest_for(_address(b.get("Final-Recipient") or b.get("Original-Recipient")))
                                 for b in failed) if pk}
    if not targets:
        outcome.unmatched.append(f"{message.get('From', '')} — {message.get('Subject', '')}")
        return
    for pk in sorted(targets):
        if UpdateRequest.objects.filter(pk=pk, bounced_at__isnull=False).exists():
            outcome.already_known += 1
            continue
        if write:
            UpdateRequest.objects.filter(pk=pk).update(bounced_at=_when(message), bounce_reason=reason[:300])
        outcome.failed.append((pk, reason[:300]))


def _reply(message: EmailMessage, raw: bytes, outcome: Outcome, write: bool) -> None:
    targets = _named(raw)
    if not targets:
        latest = _latest_for(parseaddr(str(message.get("From") or ""))[1].lower())
        targets = {latest} if latest else set()
    if not targets:
        outcome.unmatched.append(f"{message.get('From', '')} — {message.get('Subject', '')}")
        return
    excerpt = _excerpt(_text(message)) or str(message.get("Subject") or "")[:300]
    for pk in sorted(targets):
        known = UpdateRequest.objects.filter(pk=pk, replied_at__isnull=False).exists()
        if known:
            outcome.already_known += 1
            continue
        if write:
            UpdateRequest.objects.filter(pk=pk).update(replied_at=_when(message), reply_excerpt=excerpt)
        outcome.replied.append(pk)


def read(path: Path, *, write: bool = True) -> Outcome:
    """Sort every message of the mailbox at `path` and record failures and replies (one transaction)."""
    outcome = Outcome()
    with transaction.atomic():
        for raw in messages(Path(path)):
            try:
                message = email.message_from_bytes(raw, policy=policy.default)
                is_report = (message.get_content_type() == "multipart/report"
                             or bool(_recipient_blocks(message)))
                from_daemon = bool(DAEMON_SENDER.search(str(message.get("From") or "")))
                subject = str(message.get("Subject") or "")
                if _is_own(message):
                    outcome.own += 1
                elif is_report or (from_daemon and FAILURE_SUBJECT.search(subject)):
                    _failure(message, raw, outcome, write)
                elif _is_automatic(message):
                    outcome.automatic += 1
                else:
                    _reply(message, raw, outcome, write)
            except (ValueError, TypeError, LookupError, IndexError, AttributeError):
                outcome.unreadable += 1  # a malformed message does not stop the others
    return outcome
