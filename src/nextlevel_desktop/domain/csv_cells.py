"""Keeping exported CSV cells from running as spreadsheet formulas (CSV injection, OWASP).

The rule, applied by the export to every text cell and undone by the import:

- A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a single
  quote ``'`` in front, so Excel, LibreOffice and Google Sheets show it as text instead of
  evaluating it (``=HYPERLINK(…)`` stays text).
- Except a cell that is entirely a number or phone number: an optional ``+``/``-`` sign, then
  only digits, spaces, parentheses, dots and dashes, with at least one digit
  (``-12.50``, ``+44 20 7946 0000``, ``-(555) 010-0199``). Those cannot call a function, so
  they stay readable and sort as numbers.
- A cell that already begins with quotes followed by one of those characters (``'=x``) gets
  one more quote too, so that the import, which removes exactly one leading quote from such
  cells, gives back the original text: an export then import round trip is exact.
"""

from __future__ import annotations

import re

TRIGGERS = frozenset("=+-@\t\r")
_NUMBER_LIKE = re.compile(r"[+-]?[0-9 ().-]*[0-9][0-9 ().-]*")


def _after_quotes(text: str) -> str:
    return text.lstrip("'")[:1]


def escape_cell(text: str) -> str:
    """The cell as written to a CSV file (see the module docstring for the rule)."""
    if not text:
        return text
    if text[0] == "'":
        return "'" + text if _after_quotes(text) in TRIGGERS else text
    if text[0] in TRIGGERS and not _NUMBER_LIKE.fullmatch(text):
        return "'" + text
    return text


def unescape_cell(text: str) -> str:
    """The original text of a cell the export escaped; other cells unchanged."""
    if text[:1] == "'":
        if _after_quotes(text) in TRIGGERS:
            return text[1:]
    return text
