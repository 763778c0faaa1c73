"""The two columns this directory writes after the standard's own, so that an export imports back unchanged.

The standard « Lieux de médiation numérique » has no column for them:
- `slug`: the place's public address on this site (`/lieux/<slug>/`), so that URLs and printed QR codes
  survive an export → import into another database;
- `communes_desservies`: the INSEE codes of the communes an itinerant place serves (a bus tours villages),
  `|`-joined like the standard's multi-valued cells.

Both come last, after the 32 columns of the standard, and are optional on import. Tools that read the
standard by column name ignore them; a strict Table Schema validator reports them as extra columns.
"""

import re

SLUG = "slug"
SERVICE_AREA = "communes_desservies"
EXTENSION_COLUMNS = [SLUG, SERVICE_AREA]

_SLUG = re.compile(r"[-a-z0-9_]{1,120}")
_INSEE = re.compile(r"[0-9][0-9AB][0-9]{3}")


def requested_slug(row: dict) -> str:
    """The slug a row asks for, or "" when absent or not a slug (then one is derived from name and commune)."""
    value = (row.get(SLUG) or "").strip()
    return value if _SLUG.fullmatch(value) else ""


def service_area(row: dict) -> list[str] | None:
    """INSEE codes of the `communes_desservies` cell; None when the file has no such column."""
    if SERVICE_AREA not in row:
        return None
    codes = [code.strip().upper() for code in (row.get(SERVICE_AREA) or "").split("|")]
    return [code for code in dict.fromkeys(codes) if _INSEE.fullmatch(code)]


def extension_values(slug: str, service_area_codes: list[str]) -> dict[str, str]:
    return {SLUG: slug, SERVICE_AREA: "|".join(sorted(service_area_codes))}
