"""Phone numbers of partner files read with their region: overseas numbers keep their own country code.

"05 94 29 10 00" is a Guyane number (+594 594…), not a metropolitan one, and "05 96 71 23 45" is a
Martinique number when the place is in Martinique although the same digits are also a valid metropolitan
number: the place's postcode decides first, then metropolitan France, then each overseas region.
"""

import re

import phonenumbers

# Postcode prefix -> region of the French numbering plans (libphonenumber region codes).
OVERSEAS_BY_POSTCODE = {
    "971": "GP", "972": "MQ", "973": "GF", "974": "RE", "975": "PM", "976": "YT", "977": "BL", "978": "MF",
    "986": "WF", "987": "PF", "988": "NC",
}
REGIONS = ["FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "NC", "PF", "WF"]
# Country codes the standard accepts (its `telephone` pattern).
STANDARD_PATTERN = re.compile(r"^(\+33|\+590|\+594|\+262|\+596|\+269|\+687|\+689|\+508|\+681)(\d){6,9}$")
# Overseas numbers once written "+33 5 94…" / "+33 6 90…" by a converter that knew only metropolitan France.
MISREAD_OVERSEAS = re.compile(r"^\+33(590|594|596|262|269|639|69[0-6])(\d{6})$")


def read_phone(raw: str, *, postcode: str = "") -> str | None:
    """The number in international format (E.164, as the standard writes it), or None when unreadable.

    Never raises. `postcode` (the place's) chooses the region of numbers written without country code.
    """
    text = str(raw or "").strip()
    digits = re.sub(r"\D", "", text)
    if not digits or len(digits) > 15:
        return None
    if text.startswith("+") or digits.startswith("00"):
        candidate = "+" + digits.removeprefix("00")
    elif digits.startswith(("33", "59", "26", "50", "68")) and len(digits) in (11, 12):
        candidate = "+" + digits  # country code without its "+" ("33630392518")
    else:
        candidate = digits
    misread = MISREAD_OVERSEAS.match(candidate)
    if misread:
        candidate = "0" + misread[1] + misread[2]
    hint = OVERSEAS_BY_POSTCODE.get(str(postcode)[:3])
    for region in dict.fromkeys([hint, *REGIONS] if hint else REGIONS):
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            formatted = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            return formatted if STANDARD_PATTERN.match(formatted) else None
        if candidate.startswith("+"):
            break  # the country code is given: no other region to try
    return None
