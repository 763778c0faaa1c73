"""Numbers as a French reader expects them, the one formatting of every page and printout.

Rounded half up on the decimal value a float prints as (its repr): 80.95 shows « 81,0 », 6.753 « 6,8 » with one
decimal, where Django's `number_format` cut them to « 80,9 » and « 6,7 » (so that 19,0 % + 80,9 % made 99,9 % and
the page disagreed with its CSV). Comma as the decimal separator, a narrow no-break space (U+202F) between groups
of three digits and before « % », « — » where there is nothing to show (an unknown population, a share of zero
places). CSV exports keep the unrounded values: only what people read is rounded, here.
"""

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MISSING = "—"
THOUSANDS_SEPARATOR = "\u202f"  # narrow no-break space, as the directory's other messages (text_query)
DECIMAL_SEPARATOR = ","
PERCENT_SIGN = "\u202f%"

Number = int | float | Decimal


def rounded(value: Number, *, decimals: int) -> Decimal:
    """`value` rounded half up to `decimals` places; a float is read as the decimal it prints as (0.05 → 0.1)."""
    exact = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def french_number(value: Number | None, *, decimals: int = 0) -> str:
    """« 90 240 », « 6,8 », « -1,3 »; « — » for None, NaN or an infinity."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return MISSING
    try:
        number = rounded(value, decimals=decimals)
    except (InvalidOperation, TypeError, ValueError):
        return MISSING
    if not number.is_finite():
        return MISSING
    sign = "-" if number < 0 else ""  # -0,04 rounds to 0,0: no sign then (Decimal("-0.0") < 0 is False)
    whole, _dot, fraction = f"{abs(number):f}".partition(".")
    groups = []
    while len(whole) > 3:
        whole, last = whole[:-3], whole[-3:]
        groups.insert(0, last)
    text = THOUSANDS_SEPARATOR.join([whole, *groups])
    return sign + text + (DECIMAL_SEPARATOR + fraction if fraction else "")


def french_percent(share: Number | None, *, decimals: int = 1, scale: int = 100) -> str:
    """« 81,0 % » for the share 0.8095; `scale=1` for a value already in per cent (80.95 → « 81,0 % »).

    The share is scaled in decimal before rounding, so 0.8095 is 80.95 exactly (0.8095 * 100 is 80.9499… in floats)."""
    if value_missing(share):
        return MISSING
    exact = Decimal(repr(share)) if isinstance(share, float) else Decimal(share)
    return french_number(exact * scale, decimals=decimals) + PERCENT_SIGN


def value_missing(value) -> bool:
    return value is None or (isinstance(value, float) and not math.isfinite(value))
