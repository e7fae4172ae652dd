"""Writing one exported list to a file: CSV, Excel workbook, vCard or iCalendar.

Every writer streams the rows (a large workspace exports in constant memory), writes next to
the destination and moves the finished file into place, so an export that fails leaves no
half-written file and never harms an older one.
"""

from __future__ import annotations

import contextlib
import csv
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from ..domain.errors import StorageError, ValidationError
from ..domain.exporting import (
    CALENDAR_END,
    CALENDAR_START,
    CsvStyle,
    csv_cell,
    vcard,
    vevent,
)

Rows = Iterable[Sequence[object]]
Progress = Callable[[int], None] | None
# An Excel sheet holds 1,048,576 rows and a cell 32,767 characters; more go on the next sheet,
# and a longer text is cut with a note saying so (the CSV export keeps all of it).
XLSX_MAX_ROWS = 1_048_576
XLSX_MAX_CHARS = 32_767
CUT_NOTE = " … [cut: an Excel cell holds at most 32,767 characters; export CSV for the rest]"
MAX_WIDTH = 60


@contextlib.contextmanager
def _replacing(dest: Path) -> Iterator[Path]:
    """A temporary file beside ``dest`` that replaces it when the block ends without error."""
    tmp = dest.with_name(dest.name + ".partial")
    try:
        yield tmp
        os.replace(tmp, dest)
    except OSError as exc:
        raise StorageError(f"“{dest}” cannot be written: {exc.strerror or exc}.") from exc
    finally:
        tmp.unlink(missing_ok=True)


def _counted(rows: Rows, progress: Progress) -> Iterator[Sequence[object]]:
    for n, row in enumerate(rows, 1):
        yield row
        if progress is not None and n % 5000 == 0:
            progress(n)


def write_csv(
    dest: Path, headers: Sequence[str], rows: Rows, progress: Progress, style: CsvStyle
) -> int:
    count = 0
    with _replacing(dest) as tmp:
        # UTF-8 with a byte-order mark: Excel then reads accents right; the import skips it.
        with tmp.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, delimiter=style.delimiter)
            writer.writerow(headers)
            for row in _counted(rows, progress):
                writer.writerow([csv_cell(v, style) for v in row])
                count += 1
    return count


def _write_text(dest: Path, write: Callable[[IO[str]], int]) -> int:
    with _replacing(dest) as tmp:
        with tmp.open("w", encoding="utf-8", newline="") as fh:  # CRLF comes from the lines
            return write(fh)


def write_vcards(dest: Path, headers: Sequence[str], rows: Rows, progress: Progress) -> int:
    def write(fh: IO[str]) -> int:
        count = 0
        for row in _counted(rows, progress):
            fh.write(vcard(headers, row))
            count += 1
        return count

    return _write_text(dest, write)


def write_calendar(dest: Path, headers: Sequence[str], rows: Rows, progress: Progress) -> int:
    stamp = datetime.now().astimezone()

    def write(fh: IO[str]) -> int:
        fh.write(CALENDAR_START)
        count = 0
        for row in _counted(rows, progress):
            fh.write(vevent(headers, row, stamp))
            count += 1
        if not count:  # RFC 5545: a calendar holds at least one event
            raise ValidationError(
                {"file": "No activity among those shown is planned: nothing was written."}
            )
        fh.write(CALENDAR_END)
        return count

    return _write_text(dest, write)


class _Sheets:
    """Worksheets of one list: bold frozen header, typed cells, widths from the content."""

    def __init__(self, book: Any, title: str, headers: Sequence[str], money_digits: int) -> None:
        self.book, self.title, self.headers = book, title, headers
        self.bold = book.add_format({"bold": True})
        self.formats = {
            "date": book.add_format({"num_format": "yyyy-mm-dd"}),
            "datetime": book.add_format({"num_format": "yyyy-mm-dd hh:mm"}),
            "money": book.add_format(
                {"num_format": "#,##0" + ("." + "0" * money_digits if money_digits else "")}
            ),
        }
        self.sheet: Any = None
        self.row = 0
        self.widths: list[int] = []
        self.count = 0

    def start(self) -> None:
        self.close_sheet()
        n = len(self.book.worksheets()) + 1
        self.sheet = self.book.add_worksheet(self.title if n == 1 else f"{self.title} ({n})")
        self.sheet.write_row(0, 0, self.headers, self.bold)
        self.sheet.freeze_panes(1, 0)
        self.widths = [len(h) for h in self.headers]
        self.row = 0

    def close_sheet(self) -> None:
        if self.sheet is None:
            return
        for column, width in enumerate(self.widths):
            self.sheet.set_column(column, column, min(width + 2, MAX_WIDTH))
        self.sheet.autofilter(0, 0, max(self.row, 1), max(len(self.headers) - 1, 0))

    def add(self, values: Sequence[object]) -> None:
        if self.sheet is None or self.row + 1 >= XLSX_MAX_ROWS:
            self.start()
        self.row += 1
        for column, value in enumerate(values):
            width = self._cell(self.row, column, value)
            if width > self.widths[column]:
                self.widths[column] = width
        self.count += 1

    def _cell(self, row: int, column: int, value: object) -> int:
        """Write one cell as its type; returns the width it needs."""
        sheet, formats = self.sheet, self.formats
        if value is None or value == "":
            return 0
        if isinstance(value, datetime):
            local = value.astimezone().replace(tzinfo=None)  # Excel has no time zones
            sheet.write_datetime(row, column, local, formats["datetime"])
            return 16
        if isinstance(value, date):
            sheet.write_datetime(row, column, value, formats["date"])
            return 10
        if isinstance(value, Decimal):
            sheet.write_number(row, column, float(value), formats["money"])
            return len(f"{value:,}")
        if isinstance(value, int | float) and not isinstance(value, bool):
            sheet.write_number(row, column, value)
            return len(str(value))
        text = str(value)
        if len(text) > XLSX_MAX_CHARS:
            text = text[: XLSX_MAX_CHARS - len(CUT_NOTE)] + CUT_NOTE
        sheet.write_string(row, column, text)  # never a formula, a number or a link
        return max((len(line) for line in text.splitlines()), default=0)


def write_xlsx(
    dest: Path,
    title: str,
    headers: Sequence[str],
    rows: Rows,
    progress: Progress,
    money_digits: int = 2,
) -> int:
    """An Excel workbook: one sheet (more past Excel's row limit), header bold and frozen,
    dates, moments (local time), money and counts as real cells."""
    import xlsxwriter
    from xlsxwriter.exceptions import XlsxWriterException

    with _replacing(dest) as tmp:
        options = {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        }
        book = xlsxwriter.Workbook(str(tmp), options)
        sheets = _Sheets(book, title, headers, money_digits)
        try:
            for row in _counted(rows, progress):
                sheets.add(row)
            if sheets.sheet is None:
                sheets.start()
            sheets.close_sheet()
            book.close()
        except XlsxWriterException as exc:
            raise OSError(str(exc)) from exc
        return sheets.count
