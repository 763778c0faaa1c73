"""Spreadsheet formula injection (CSV injection): what the CSV export writes, and how the import reads it back.

A cell that starts with = + - @, a tab or a carriage return is read as a formula by Excel, LibreOffice and
Google Sheets: `=HYPERLINK(...)`, `+cmd|' /C calc'!A0` or `@SUM(...)` in a place's name would run on the
computer of whoever opens the open-data file. As OWASP recommends, such a cell is written with a single
quote in front (`'=HYPERLINK(...)`), which spreadsheets show as text. JSON and GeoJSON keep the true value.

Exception: a cell made only of digits, signs, dots and `|` (a phone number `+33549000000`, several phones
`+33549000000|+33549000001`, a longitude `-1.102539`) is left as it is. Such a cell can neither call a
function nor reach another program (that needs letters: a function or program name), while a quote in front
would corrupt the standard's international phone numbers and every negative longitude (all places west of
Greenwich) for the machines that read the file.

The importer removes that quote again (`restore`) when the rest of the cell is such a formula-like text, so
importing our own export gives the same values back.
"""

import re

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
HARMLESS = re.compile(r"[+-]?[0-9][0-9.]*(\|[+-]?[0-9][0-9.]*)*")


def neutralise(cell: str) -> str:
    if cell.startswith(TRIGGERS) and not HARMLESS.fullmatch(cell):
        return "'" + cell
    return cell


def restore(cell: str) -> str:
    if cell.startswith("'") and cell[1:].startswith(TRIGGERS) and not HARMLESS.fullmatch(cell[1:]):
        return cell[1:]
    return cell
