"""What a referral needs: how to get in, a QR code to the online page, ready-to-send e-mail and SMS text.

Nothing here stores or logs anything about the person referred: texts are built for the browser to send.
"""

import math
from dataclasses import dataclass, field
from functools import lru_cache
from urllib.parse import quote

import phonenumbers
import segno
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from actors.models import AtelierSession, Structure, TemporaryClosure
from actors.models.ateliers import Registration
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


def before_you_go(access: Access) -> str:
    """How to check before going, with the contacts the place has: no « téléphonez » without a phone."""
    if access.phone:
        return _("téléphonez avant de vous déplacer")
    if access.emails:
        return _("écrivez au lieu avant de vous déplacer")
    if access.appointment_url:
        return _("prenez rendez-vous en ligne avant de vous déplacer")
    return _("consultez la page en ligne avant de vous déplacer")


def closure_text(closure: TemporaryClosure | None) -> str:
    """The temporary closure as one line, the same on the sheet, in the e-mail and in the SMS."""
    if closure is None:
        return ""
    text = _("Fermeture temporaire du %(start)s au %(end)s") % {
        "start": date_format(closure.starts_on, "j F"), "end": date_format(closure.ends_on, "j F Y")}
    return f"{text} – {closure.reason}" if closure.reason else text


def place_text(structure: Structure, url: str, hours_summary: str, closure: TemporaryClosure | None = None) -> str:
    """The plain text of one place for an e-mail: name, address, closure, hours, phone, link."""
    lines = [structure.display_name, structure.adresse]
    if structure.complement_adresse:
        lines.append(structure.complement_adresse)
    lines.append(f"{structure.code_postal} {structure.commune_nom}")
    if closure is not None:
        lines.append(closure_text(closure))
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


def atelier_text(session: AtelierSession) -> str:
    """The session picked for the person, one line: its title and date in French, with the place's own way to
    register (never a seat count, which is stale by the time the sheet is read)."""
    start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    text = _("Atelier « %(title)s » : %(day)s, de %(start)s à %(end)s") % {
        "title": session.series.title, "day": date_format(start, "l j F Y"),
        "start": date_format(start, "H:i"), "end": date_format(end, "H:i")}
    series = session.series
    if series.registration == Registration.NONE:
        return text + " – " + _("sans inscription")
    if series.registration and series.registration_contact:
        return text + " – " + _("inscription %(how)s : %(contact)s") % {
            "how": series.get_registration_display(), "contact": series.registration_contact}
    return text


def message_text(blocks: list[str]) -> str:
    intro = _("Voici le lieu où vous pouvez être accompagné(e) :") if len(blocks) == 1 else _(
        "Voici les lieux où vous pouvez être accompagné(e) :")
    return intro + "\n\n" + "\n\n".join(blocks)


def mailto_uri(subject: str, body: str) -> str:
    # No recipient: the person's address is typed in the mail client, never sent to us.
    return f"mailto:?subject={quote(subject)}&body={quote(body)}"


def sms_uri(body: str) -> str:
    return f"sms:?&body={quote(body)}"


def sms_place_text(structure: Structure, url: str, closure: TemporaryClosure | None = None) -> str:
    """One place in one SMS where possible: name, address, closure, phone and link, in the GSM 7-bit alphabet.

    The hours stay on the page behind the link: with them, most places need two or three messages.
    """
    parts = [structure.display_name, f"{structure.adresse}, {structure.code_postal} {structure.commune_nom}"]
    if closure is not None:
        parts.append(closure_text(closure))
    phone = format_phone(structure.telephone)
    if phone:
        parts.append(_("Tél %(phone)s") % {"phone": phone.display})
    parts.append(url)
    return gsm7("\n".join(part.strip() for part in parts if part.strip()))


# GSM 03.38: the 7-bit alphabet of SMS. One character outside it turns the whole message into UCS-2, where a
# message holds 70 characters instead of 160; the extension characters count twice.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿"
    "abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€")
# French letters and signs outside the alphabet, written the nearest way a French reader expects.
TO_GSM7 = str.maketrans({
    "â": "a", "ê": "e", "î": "i", "ô": "o", "û": "u", "ë": "e", "ï": "i", "ÿ": "y", "ç": "c", "œ": "oe",
    "Â": "A", "Ê": "E", "Î": "I", "Ô": "O", "Û": "U", "È": "E", "À": "A", "Ù": "U", "Ë": "E", "Ï": "I", "Œ": "OE",
    "«": '"', "»": '"', "“": '"', "”": '"', "’": "'", "‘": "'", "–": "-", "—": "-", "…": "...",
    "\u00a0": " ", "\u202f": " ",
})


def gsm7(text: str) -> str:
    text = text.replace("« ", "«").replace("«\u00a0", "«").replace("\u00a0»", "»").replace(" »", "»").translate(TO_GSM7)
    return "".join(c if c in GSM7_BASIC or c in GSM7_EXTENDED else "?" for c in text)


def sms_count(text: str) -> int:
    """How many SMS a text takes: 160 (153 when split) in 7-bit, 70 (67) when one character forces UCS-2."""
    if all(c in GSM7_BASIC or c in GSM7_EXTENDED for c in text):
        length = len(text) + sum(c in GSM7_EXTENDED for c in text)
        return 1 if length <= 160 else math.ceil(length / 153)
    units = len(text.encode("utf-16-le")) // 2
    return 1 if units <= 70 else math.ceil(units / 67)
