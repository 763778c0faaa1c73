"""What a referral needs: how to get in, a QR code to the online page, ready-to-send e-mail and SMS text.

Nothing here stores or logs anything about the person referred: texts are built for the browser to send.
"""

from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import quote

import phonenumbers
import segno
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from actors.models import Structure
from actors.vocabulary.enums import TermKind

MAX_PLACES = 3


@dataclass
class Phone:
    display: str  # "05 49 52 44 00"
    uri: str  # "tel:+33549524400"


@dataclass
class Access:
    """"Comment y aller, comment être accueilli", from the access modes and the contact fields."""

    walk_in: bool = False
    phone: Phone | None = None
    more_phones: list[Phone] = field(default_factory=list)  # a folded place's other numbers
    emails: list[str] = field(default_factory=list)
    appointment_url: str = ""
    by_prescription: bool = False
    no_public: bool = False


def web_url(value: str) -> str:
    """The URL if it is a plain web address, else "": imported text must never become a javascript: link."""
    value = value.strip()
    return value if value.lower().startswith(("https://", "http://")) else ""


def format_phone(raw: str) -> Phone | None:
    """A French display and a tel: link; a number phonenumbers cannot read is shown as published."""
    if not raw.strip():
        return None
    try:
        number = phonenumbers.parse(raw, "FR")
    except phonenumbers.NumberParseException:
        digits = "".join(c for c in raw if c.isdigit() or c == "+")
        return Phone(raw, f"tel:{digits}" if digits else "")
    return Phone(
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL),
        "tel:" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164),
    )


def access_for(structure: Structure) -> Access:
    codes = set(structure.term_codes(TermKind.ACCES))
    return Access(
        walk_in="se-presenter" in codes,
        phone=format_phone(structure.telephone),
        emails=structure.courriel_list,
        appointment_url=web_url(structure.prise_rdv),
        by_prescription="envoyer-un-mail-avec-une-fiche-de-prescription" in codes,
        no_public="ce-lieu-n-accueille-pas-de-public" in codes,
    )


@lru_cache(maxsize=1024)
def qr_svg(url: str, title: str) -> SafeString:
    """An inline SVG QR code of `url`, scalable by CSS, readable in black and white.

    Cached: segno is pure Python (about 10 ms a code) and a place's URL rarely changes.
    """
    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=4, border=2, omitsize=True, title=title, svgclass="qr-code", lineclass="qr-code__line")
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308 - segno's own output


def place_text(structure: Structure, url: str, hours_summary: str) -> str:
    """The plain text of one place for an e-mail or SMS: name, address, hours, phone, link."""
    lines = [structure.display_name, structure.adresse]
    if structure.complement_adresse:
        lines.append(structure.complement_adresse)
    lines.append(f"{structure.code_postal} {structure.commune_nom}")
    if hours_summary:
        lines.append(_("Horaires :"))
        lines.append(hours_summary)
    phone = format_phone(structure.telephone)
    if phone:
        lines.append(_("Tél. : %(phone)s") % {"phone": phone.display})
    if web_url(structure.prise_rdv):
        lines.append(_("Rendez-vous : %(url)s") % {"url": web_url(structure.prise_rdv)})
    lines.append(url)
    return "\n".join(lines)


def message_text(blocks: list[str]) -> str:
    intro = _("Voici le lieu où vous pouvez être accompagné(e) :") if len(blocks) == 1 else _(
        "Voici les lieux où vous pouvez être accompagné(e) :")
    return intro + "\n\n" + "\n\n".join(blocks)


def mailto_uri(subject: str, body: str) -> str:
    # No recipient: the person's address is typed in the mail client, never sent to us.
    return f"mailto:?subject={quote(subject)}&body={quote(body)}"


def sms_uri(body: str) -> str:
    return f"sms:?&body={quote(body)}"
