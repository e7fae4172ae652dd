"""What can be exported, in which file formats, and the text formats themselves (pure).

Every export is one list — a header row and rows of plain values (text, ``int``, ``Decimal``
money, ``date``, aware ``datetime``) — written in the format the user picks: CSV (comma, or
semicolon with decimal commas where the decimal mark is a comma), an Excel workbook, a vCard
file of contacts (RFC 6350) or an iCalendar file of planned activities (RFC 5545). The formats
take their columns from the same header row, so a column added to a list is in every format.
The command line lists these names without loading the storage stack.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from .csv_cells import escape_cell
from .errors import ValidationError

WHAT = ("activities", "engagements", "accounts", "contacts")
FORMATS = {
    "csv": "CSV",
    "xlsx": "Excel workbook",
    "vcf": "vCard (contacts)",
    "ics": "iCalendar (planned activities)",
}
# The formats only one list has: cards are contacts, calendar events are planned activities.
ONLY_FOR = {"vcf": "contacts", "ics": "activities"}
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}


def export_format(what: str, dest: Path, chosen: str | None = None) -> str:
    """The format to write: the one chosen, else the file's suffix, else CSV; a format the list
    does not have is a ``ValidationError`` that says which list has it."""
    fmt = (chosen or dest.suffix.lstrip(".")).lower()
    if chosen is None and fmt not in FORMATS:
        fmt = "csv"
    if fmt not in FORMATS:
        raise ValidationError(
            {"format": f"“{chosen}” is not an export format (choose {', '.join(FORMATS)})."}
        )
    only = ONLY_FOR.get(fmt)
    if only is not None and only != what:
        raise ValidationError(
            {"format": f"A {FORMATS[fmt]} file holds {only} only; export {what} as CSV or xlsx."}
        )
    return fmt


@dataclass(frozen=True)
class CsvStyle:
    """How a CSV file separates cells and writes decimals (Excel follows the user's locale)."""

    delimiter: str = ","
    decimal_comma: bool = False

    @classmethod
    def for_decimal_mark(cls, mark: str) -> CsvStyle:
        """Where the decimal mark is a comma, spreadsheets expect semicolons between cells."""
        return cls(";", True) if mark == "," else cls()

    @property
    def label(self) -> str:
        decimals = "decimal comma" if self.decimal_comma else "decimal point"
        return f"{DELIMITERS.get(self.delimiter, repr(self.delimiter))} separated, {decimals}"


def money(minor: int, digits: int = 2) -> Decimal:
    """Money stored in hundredths as a decimal of the currency's own digits (0 for JPY)."""
    return Decimal(minor).scaleb(-2).quantize(Decimal(1).scaleb(-digits))


def local_minute(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def csv_cell(value: object, style: CsvStyle = CsvStyle()) -> object:
    """A value as a CSV cell: formula-like text escaped (``csv_cells``), dates ISO, moments in
    local time to the minute, money with the style's decimal mark."""
    if value is None:
        return ""
    if isinstance(value, str):
        return escape_cell(value)
    if isinstance(value, datetime):
        return local_minute(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | float):
        text = str(value)
        return text.replace(".", ",") if style.decimal_comma else text
    return value


# vCard and iCalendar ----------------------------------------------------------------------

CRLF = "\r\n"
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def escape_text(value: str) -> str:
    """A TEXT value (RFC 6350 §3.4, RFC 5545 §3.3.11): backslash, comma, semicolon, newline."""
    out = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    out = out.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")
    return _CONTROL.sub("", out)  # no control characters but tab in a content line


def fold(line: str) -> str:
    """A content line folded at 75 octets (CRLF then a space), never inside a character."""
    if len(line.encode("utf-8")) <= 75:
        return line
    parts: list[str] = []
    current: list[str] = []
    size, limit = 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            parts.append("".join(current))
            current, size, limit = [], 0, 74  # the leading space of a continuation counts
        current.append(char)
        size += width
    parts.append("".join(current))
    return (CRLF + " ").join(parts)


def _text(value: object) -> str:
    return value if isinstance(value, str) else str(csv_cell(value))


def _extra_lines(headers: Sequence[str], row: Sequence[object], used: set[str]) -> str:
    """The columns a card or event has no property for, as "Header: value" lines."""
    return "\n".join(
        f"{h}: {_text(v)}" for h, v in zip(headers, row, strict=True) if h not in used and _text(v)
    )


CONTACT_PROPERTIES = {"Name": "FN", "Role": "TITLE", "Account": "ORG", "Email": "EMAIL"}


def vcard(headers: Sequence[str], row: Sequence[object]) -> str:
    """One vCard 4.0 of a contacts row; its UID stays the same in every export."""
    cells = dict(zip(headers, row, strict=True))
    uid = uuid.uuid5(uuid.NAMESPACE_URL, f"nextlevel-desktop:contact:{cells['id']}")
    lines = ["BEGIN:VCARD", "VERSION:4.0", f"UID:urn:uuid:{uid}"]
    for header, prop in CONTACT_PROPERTIES.items():
        value = _text(cells.get(header))
        if value or prop == "FN":
            lines.append(f"{prop}:{escape_text(value)}")
    if _text(cells.get("Phone")):
        lines.append(f"TEL;VALUE=text:{escape_text(_text(cells['Phone']))}")
    note = _extra_lines(headers, row, {"id", "Phone", *CONTACT_PROPERTIES})
    if note:
        lines.append(f"NOTE:{escape_text(note)}")
    lines.append("END:VCARD")
    return "".join(fold(line) + CRLF for line in lines)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


CALENDAR_START = CRLF.join(
    [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Next Level Desktop//Planned activities//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "",
    ]
)


CALENDAR_END = "END:VCALENDAR" + CRLF
EVENT_USED = {"id", "Date", "Duration", "Type", "Account", "Status"}


def vevent(headers: Sequence[str], row: Sequence[object], stamp: datetime) -> str:
    """One VEVENT of a planned-activity row: UID from the activity's id (the same in every
    export, so a calendar updates the event), start in UTC, its duration, the type and
    account as the summary, the other columns as the description."""
    cells = dict(zip(headers, row, strict=True))
    start = cells["Date"]
    if not isinstance(start, datetime):
        raise TypeError("an activity's Date must be a datetime")
    summary = " · ".join(t for t in (_text(cells["Type"]), _text(cells.get("Account"))) if t)
    lines = [
        "BEGIN:VEVENT",
        f"UID:{escape_text(str(cells['id']))}@nextlevel-desktop",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{_utc(start)}",
    ]
    minutes = cells.get("Duration")
    if isinstance(minutes, int) and minutes > 0:
        lines.append(f"DURATION:PT{minutes}M")
    lines.append(f"SUMMARY:{escape_text(summary)}")
    description = _extra_lines(headers, row, EVENT_USED)
    if description:
        lines.append(f"DESCRIPTION:{escape_text(description)}")
    lines.append("END:VEVENT")
    return "".join(fold(line) + CRLF for line in lines)
