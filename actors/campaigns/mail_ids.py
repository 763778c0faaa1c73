"""How a campaign's e-mails are recognised when something comes back (actors/campaigns/bounces.py).

Every message of a request — the first one and its reminders — carries the request's reference, signed with
the site's SECRET_KEY so that a reply cannot name another request:
- in its Message-ID (`<demande-12.3f9a…-r1@domaine>`): replies quote it in In-Reply-To / References, and
  delivery status notifications (RFC 3464) return the original headers;
- in an `X-Annuaire-Demande` header, returned with those headers too;
- in the envelope sender when UPDATE_BOUNCE_ADDRESS is set (VERP: `retours+demande-12.3f9a…@domaine`), so a
  failure notice reaches a mailbox of its own and names the request even when it quotes nothing.
"""

import re
import secrets

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "actors.campaign-mail"
HEADER = "X-Annuaire-Demande"
PATTERN = re.compile(r"demande-(\d{1,12})\.([0-9a-f]{10})")


def _signature(pk: int) -> str:
    return salted_hmac(SALT, str(pk)).hexdigest()[:10]


def reference(pk: int) -> str:
    return f"demande-{pk}.{_signature(pk)}"


def _domain() -> str:
    address = settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">")
    return address.rsplit("@", 1)[-1] or "localhost"


def message_id(pk: int, *, reminder: int, renewal: bool = False) -> str:
    """Unique per message: the request's reference, then the reminder's number or, for a « nouveau lien » sent
    on request (any number of times), a random part."""
    part = f"n{secrets.token_hex(4)}" if renewal else f"r{reminder}"
    return f"<{reference(pk)}-{part}@{_domain()}>"


def envelope_sender(pk: int) -> str | None:
    """The VERP return path of the request, or None (the From address) when no bounce address is set."""
    address = settings.UPDATE_BOUNCE_ADDRESS
    if not address or "@" not in address:
        return None
    local, domain = address.rsplit("@", 1)
    return f"{local}+{reference(pk)}@{domain}"


def headers(pk: int, *, reminder: int, renewal: bool = False) -> dict[str, str]:
    return {"Message-ID": message_id(pk, reminder=reminder, renewal=renewal), HEADER: reference(pk),
            "From": settings.DEFAULT_FROM_EMAIL}


def requests_named(text: str) -> set[int]:
    """Requests whose signed reference appears in `text` (headers, addresses, a quoted message)."""
    return {int(pk) for pk, signature in PATTERN.findall(text) if constant_time_compare(signature, _signature(int(pk)))}
