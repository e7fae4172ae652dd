"""Pure helpers of the CSV import: decoding, delimiters, header guessing, dates, money, stages.

Nothing here touches a database or Qt; the import service and the wizard both build on it, so the
command line and the GUI read a file in exactly the same way.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from decimal import ROUND_HALF_UP, Decimal

from .errors import ValidationError
from .import_fields import FIELDS as FIELDS
from .import_fields import DateOrder as DateOrder
from .import_fields import FieldSpec as FieldSpec
from .import_fields import ImportKind as ImportKind
from .import_fields import field_spec as field_spec

PREVIEW_ROWS = 8
# Limits that keep a hostile or broken file from taking the machine down (see ``parse_csv``).
MAX_COLUMNS = 200
MAX_HEADER_CHARS = 65_536
MAX_FIELD_CHARS = 1_000_000
# Encodings a user can choose for a file that is not UTF-8 (CLI ``--encoding``, wizard box).
ENCODINGS = {
    "utf-8": "UTF-8",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1",
}


# Decoding and splitting -------------------------------------------------------------------


def encoding_key(name: str) -> str:
    """The key of ``ENCODINGS`` a user's encoding name means; ``ValidationError`` if none."""
    wanted = name.strip().casefold().replace("_", "-")
    aliases = {
        "utf8": "utf-8",
        "utf-8-sig": "utf-8",
        "utf16": "utf-16",
        "windows-1252": "cp1252",
        "1252": "cp1252",
        "latin1": "latin-1",
        "iso-8859-1": "latin-1",
        "iso8859-1": "latin-1",
    }
    key = aliases.get(wanted, wanted)
    if key not in ENCODINGS:
        raise ValidationError(
            {
                "encoding": f"“{name}” is not an encoding the import reads "
                f"(choose one of {', '.join(ENCODINGS)})."
            }
        )
    return key


def decode_bytes(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Decode a file's bytes strictly; returns ``(text, encoding name)``.

    Without ``encoding``: a UTF-8 or UTF-16 byte-order mark, else UTF-8. Bytes that are not
    valid in the encoding are refused with their offset and line, never guessed at: text read
    in the wrong encoding would be stored garbled. Windows-1252 (Excel on Western Windows)
    and Latin-1 are read only when the user chooses them.
    """
    key = encoding_key(encoding) if encoding else None
    if key is None or key == "utf-8":
        if data.startswith(b"\xef\xbb\xbf"):
            return _decode(data, 3, "utf-8", "UTF-8 with BOM")
        if key is None and data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return _decode(data, 0, "utf-16", "UTF-16")
        return _decode(data, 0, "utf-8", "UTF-8")
    return _decode(data, 0, key, ENCODINGS[key])


def _decode(data: bytes, start: int, codec: str, label: str) -> tuple[str, str]:
    try:
        return data[start:].decode(codec), label
    except UnicodeDecodeError as exc:
        offset = start + exc.start
        line = data[start:offset].decode(codec, errors="replace").count("\n") + 1
        byte = data[offset : offset + 1].hex().upper()
        hint = (
            " If the file comes from Excel on Windows, choose the Windows-1252 encoding."
            if codec == "utf-8"
            else ""
        )
        raise ValidationError(
            {
                "encoding": f"The file is not valid {label}: the byte 0x{byte} at offset "
                f"{offset:,} (line {line:,}) cannot be read as {label}. "
                f"Nothing was imported.{hint}"
            }
        ) from None


DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}


def _split_sample(text: str, delimiter: str, lines: int = 20) -> list[int]:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    counts = []
    try:
        for row in reader:
            counts.append(len(row))
            if len(counts) >= lines:
                break
    except csv.Error:
        return []
    return counts


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: the one splitting the first lines into the most equal columns."""
    sample = text[:65536]
    cut = sample.rfind("\n")
    if cut > 0 and len(text) > len(sample):
        sample = sample[:cut]
    best, best_score = ",", (-1, -1)
    for delimiter in DELIMITERS:
        counts = _split_sample(sample, delimiter)
        if not counts or counts[0] < 2:
            continue
        consistent = sum(1 for n in counts if n == counts[0])
        score = (consistent, counts[0])
        if score > best_score:
            best, best_score = delimiter, score
    return best


@dataclass(frozen=True)
class CsvTable:
    """A decoded, split file: its header and data rows (every row padded to the header)."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    encoding: str = "UTF-8"
    delimiter: str = ","

    @property
    def delimiter_name(self) -> str:
        return DELIMITERS.get(self.delimiter, repr(self.delimiter))

    def column(self, header: str) -> int:
        return self.headers.index(header)

    def values(self, header: str) -> list[str]:
        i = self.column(header)
        return [r[i] for r in self.rows]

    def preview(self, count: int = PREVIEW_ROWS) -> tuple[tuple[str, ...], ...]:
        return self.rows[:count]


def parse_csv(data: bytes, delimiter: str | None = None, encoding: str | None = None) -> CsvTable:
    """Decode and split a CSV file. Raises ``ValidationError`` for a file that is not a table.

    Refused with the line to look at: bytes invalid in the encoding, NUL characters, a header
    of more than ``MAX_COLUMNS`` columns (found before any row is split, so a million-column
    header costs nothing), a value longer than ``MAX_FIELD_CHARS``, and a quotation mark that
    is never closed (which would swallow the rest of the file into one value).
    """
    text, encoding_name = decode_bytes(data, encoding)
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise ValidationError(
            {
                "file": f"Line {line:,} contains a NUL character (U+0000): this is not a text "
                "CSV file, or it is UTF-16 without a byte-order mark (choose the UTF-16 "
                "encoding). Nothing was imported."
            }
        )
    if not text.strip():
        raise ValidationError({"file": "The file is empty: there is nothing to import."})
    delimiter = delimiter or sniff_delimiter(text)
    _check_header_width(text, delimiter)
    raw = _split(text, delimiter)
    raw = [r for r in raw if any(c.strip() for c in r)]
    if not raw:
        raise ValidationError({"file": "The file is empty: there is nothing to import."})
    headers = _unique_headers(raw[0])
    if not any(headers):
        raise ValidationError({"file": "The first line has no column names."})
    width = len(headers)
    rows = tuple(tuple((r + [""] * width)[:width]) for r in raw[1:])
    return CsvTable(headers, rows, encoding_name, delimiter)


def _check_header_width(text: str, delimiter: str) -> None:
    """Refuse a header of too many columns, reading at most ``MAX_HEADER_CHARS`` of it."""
    head = text[: MAX_HEADER_CHARS + 1]
    try:
        first = next(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter), [])
    except csv.Error:
        first = []
    if len(first) > MAX_COLUMNS:
        raise ValidationError(
            {
                "file": f"The first line has {'more than ' if len(head) > MAX_HEADER_CHARS else ''}"
                f"{len(first):,} columns; an import reads at most {MAX_COLUMNS} columns. "
                "Remove the columns you do not need and try again."
            }
        )
    if len(head) > MAX_HEADER_CHARS and "\n" not in head and "\r" not in head:
        raise ValidationError(
            {
                "file": f"The first line is longer than {MAX_HEADER_CHARS:,} characters: it is "
                "not a header of column names."
            }
        )


def _split(text: str, delimiter: str) -> list[list[str]]:
    """All records; strict first (it finds a quote left open), lenient if strict stumbles."""
    old_limit = csv.field_size_limit()
    csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        try:
            return _records(text, delimiter, strict=True)[0]
        except csv.Error:
            pass
        # Stray quotes inside values ('5" disk') are tolerated as spreadsheets write them; the
        # last record alone is then checked strictly for a quote left open to the end.
        try:
            rows, (offset, line) = _records(text, delimiter, strict=False)
        except csv.Error as exc:
            raise ValidationError({"file": f"The file cannot be read as CSV: {exc}."}) from exc
        try:
            _records(text[offset:], delimiter, strict=True, first_line=line)
        except csv.Error:
            pass  # the stray quote itself; the unclosed-quote case was raised as ValidationError
        return rows
    finally:
        csv.field_size_limit(old_limit)


def _records(
    text: str, delimiter: str, strict: bool, first_line: int = 1
) -> tuple[list[list[str]], tuple[int, int]]:
    """The records of ``text`` and the (offset, line) where the last one starts.

    A value over the size limit or a quote still open at the end of the text is turned into a
    ``ValidationError`` naming the line the record starts on; other ``csv.Error`` pass through.
    """
    position = 0

    def lines() -> Iterator[str]:
        nonlocal position
        for line in io.StringIO(text, newline=""):
            yield line
            position += len(line)

    # Offsets are needed only to re-check the last record (the lenient pass); the strict pass
    # reads the text directly, which is faster on big files.
    source = lines() if not strict else io.StringIO(text, newline="")
    reader = csv.reader(source, delimiter=delimiter, strict=strict)
    rows: list[list[str]] = []
    start = last = (0, first_line)
    done = 0
    try:
        if strict:
            for row in reader:
                rows.append(row)
                done = reader.line_num
        else:
            for row in reader:
                rows.append(row)
                last, start = start, (position, first_line + reader.line_num)
    except csv.Error as exc:
        line = first_line + done if strict else start[1]
        if "field larger than field limit" in str(exc):
            raise ValidationError(
                {
                    "file": f"The record starting on line {line:,} has a value longer than "
                    f"{MAX_FIELD_CHARS:,} characters (often a quotation mark that is never "
                    "closed). Nothing was imported."
                }
            ) from None
        if "unexpected end of data" in str(exc):
            raise ValidationError(
                {
                    "file": f"Line {line:,} opens a quotation mark that is never closed: "
                    "everything after it would become one value. Close or remove the quote "
                    "and try again. Nothing was imported."
                }
            ) from None
        raise
    return rows, last


def _unique_headers(cells: Sequence[str]) -> tuple[str, ...]:
    seen: dict[str, int] = {}
    out = []
    for i, cell in enumerate(cells):
        name = cell.strip() or f"Column {i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        out.append(name)
    return tuple(out)


# Header guessing --------------------------------------------------------------------------


@functools.lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """Lower case, accents removed, punctuation and underscores to single spaces."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def guess_mapping(kind: ImportKind, headers: Sequence[str]) -> dict[str, str]:
    """Field name → header, from the header names; each header is used for one field at most."""
    normed = [norm(h) for h in headers]
    used: set[int] = set()
    mapping: dict[str, str] = {}
    specs = FIELDS[kind]
    # Exact synonyms first, in the order fields list them (so "deal name" beats "name").
    for spec in specs:
        for synonym in spec.synonyms:
            target = norm(synonym)
            hit = next((i for i, h in enumerate(normed) if h == target and i not in used), None)
            if hit is not None:
                mapping[spec.name] = headers[hit]
                used.add(hit)
                break
    # Then headers that contain a synonym as whole words ("Deal Stage Name", "Amount (EUR)").
    for spec in specs:
        if spec.name in mapping:
            continue
        for synonym in spec.synonyms:
            pattern = re.compile(rf"\b{re.escape(norm(synonym))}\b")
            hit = next(
                (i for i, h in enumerate(normed) if i not in used and pattern.search(h)), None
            )
            if hit is not None and _specific(synonym):
                mapping[spec.name] = headers[hit]
                used.add(hit)
                break
    return mapping


_GENERIC = {"opportunity", "person", "account", "client", "customer", "activity", "created"}


def _specific(synonym: str) -> bool:
    """Whether a synonym is specific enough to find inside a longer header."""
    return len(synonym) >= 5 and synonym not in _GENERIC


# Values -----------------------------------------------------------------------------------

# Imported dates must lie in these years: a sales record outside them is a typo, and dates
# near year 1 or 9999 overflow when moved between time zones.
MIN_YEAR = 1900
MAX_YEAR = 2200
_DATE_SPLIT = re.compile(r"^(\d{1,4})[-/.](\d{1,2})[-/.](\d{1,4})$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([ap]\.?m\.?)?$", re.I)


def _date_parts(text: str) -> tuple[int, int, int] | None:
    m = _DATE_SPLIT.match(text)
    if not m:
        return None
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


def _split_datetime(text: str) -> tuple[str, str]:
    text = text.strip()
    if "T" in text and _DATE_SPLIT.match(text.split("T", 1)[0]):
        day, rest = text.split("T", 1)
        rest = re.sub(r"(Z|[+-]\d{2}:?\d{2})$", "", rest)
        return day, rest
    parts = text.split(None, 1)
    return parts[0] if parts else "", parts[1].strip() if len(parts) > 1 else ""


def parse_date(text: str, order: DateOrder | None) -> date:
    """A date in ISO form or in the given order; raises ``ValueError`` with a specific reason."""
    day_text, _ = _split_datetime(text)
    parts = _date_parts(day_text)
    if parts is None:
        raise ValueError(f"“{text}” is not a date")
    a, b, c = parts
    pieces = re.split(r"[-/.]", day_text)
    short_year = len(pieces[2]) <= 2
    if len(pieces[0]) == 4:
        y, m, d = a, b, c
        short_year = False
    elif order is DateOrder.DMY:
        d, m, y = a, b, c
    elif order is DateOrder.MDY:
        m, d, y = a, b, c
    else:
        raise ValueError(f"“{text}” is ambiguous: choose day/month or month/day order")
    if short_year:
        y += 2000 if y < 70 else 1900
    try:
        day = date(y, m, d)
    except ValueError:
        raise ValueError(f"“{text}” is not a valid date") from None
    if not MIN_YEAR <= y <= MAX_YEAR:
        raise ValueError(
            f"“{text}” is out of range: dates must lie between {MIN_YEAR} and {MAX_YEAR}"
        )
    return day


def parse_datetime(text: str, order: DateOrder | None) -> tuple[date, time | None]:
    """A date with an optional time of day (local); raises ``ValueError`` with a reason."""
    day = parse_date(text, order)
    _, rest = _split_datetime(text)
    if not rest:
        return day, None
    m = _TIME.match(rest)
    if not m:
        raise ValueError(f"“{rest}” in “{text}” is not a time of day")
    hour, minute, second = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    suffix = (m.group(4) or "").lower().replace(".", "")
    if suffix == "pm" and hour < 12:
        hour += 12
    elif suffix == "am" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"“{rest}” in “{text}” is not a time of day")
    return day, time(hour, minute, second)


def detect_date_order(values: Iterable[str]) -> DateOrder | None:
    """The order the non-ISO dates of a column must be in; ``None`` when they fit both.

    ISO dates (four-digit year first) are always read as year-month-day.
    """
    day_first = month_first = True
    saw_other = False
    for value in values:
        day_text, _ = _split_datetime(value)
        parts = _date_parts(day_text)
        if parts is None or len(day_text) >= 4 and re.match(r"^\d{4}", day_text):
            continue
        saw_other = True
        a, b, _c = parts
        if a > 12:
            month_first = False
        if b > 12:
            day_first = False
        if a > 31 or b > 31:
            day_first = month_first = False
    if not saw_other:
        return DateOrder.YMD
    if day_first and not month_first:
        return DateOrder.DMY
    if month_first and not day_first:
        return DateOrder.MDY
    return None


MAX_MONEY_MINOR = 10**15
_SCIENTIFIC = re.compile(r"([+-]?)(\d+(?:[.,]\d+)?|[.,]\d+)[eE]([+-]?\d{1,4})")
# The number inside an amount: digits with separators (dot, comma, spaces, the Swiss ');
# around it only a sign, parentheses and a currency symbol or code may stand.
_AMOUNT = re.compile(
    r"(?P<pre>[^\d]*?)(?P<num>\d[\d.,'\s\u00a0\u202f]*\d|\d)(?P<post>[^\d]*)", re.S
)
_AFFIX = re.compile(r"(?:[-+()\s\u00a0\u202f]|[A-Za-z]{1,3}|[^\w\s])*")
_WESTERN = re.compile(r"\d{1,3}(?:S\d{3})+")
_INDIAN = re.compile(r"\d{1,2}(?:S\d{2})*S\d{3}")


def _grouped(whole: str, sep: str) -> bool:
    """Whether ``whole`` groups thousands with ``sep`` (1,234,567 or Indian 12,34,567)."""
    pattern = whole.replace(sep, "S")
    return bool(_WESTERN.fullmatch(pattern) or _INDIAN.fullmatch(pattern))


def _cents(value: Decimal, text: str) -> int:
    cents = int((value * 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if abs(cents) > MAX_MONEY_MINOR:
        raise ValueError(f"“{text}” is too large an amount")
    return cents


def parse_money(text: str) -> int:
    """Money in minor units: "$1,234.50", "1.234,50 €", "EUR 12 000", "(250)", "1.5E+06".

    With both separators the last one is the decimal mark and the other must group thousands;
    a lone separator followed by exactly three digits is a thousands separator; otherwise it
    is the decimal mark; a separator used more than once must group thousands. Anything else
    ("1.2.3.4", "12abc34") is refused rather than guessed.
    """
    raw = text.strip()
    if not raw:
        return 0
    sci = _SCIENTIFIC.fullmatch(raw)
    if sci:
        sign, mantissa, exponent = sci.groups()
        if abs(int(exponent)) > 20:
            raise ValueError(f"“{text}” is out of range for an amount")
        value = Decimal(mantissa.replace(",", ".")).scaleb(int(exponent))
        return _cents(-value if sign == "-" else value, text)
    m = _AMOUNT.fullmatch(raw)
    if (
        not m
        or not _AFFIX.fullmatch(m.group("pre"))
        or not _AFFIX.fullmatch(m.group("post"))
        or re.search(r"[A-Za-z]{4,}", raw)
    ):
        raise ValueError(f"“{text}” is not an amount")
    pre, post = m.group("pre"), m.group("post")
    negative = "-" in pre or post.strip().endswith("-") or ("(" in pre and ")" in post)
    spaced = re.sub(r"[\s\u00a0\u202f']", " ", m.group("num"))
    digits = spaced.replace(" ", "")
    last_dot, last_comma = digits.rfind("."), digits.rfind(",")
    decimal: str | None
    if last_dot >= 0 and last_comma >= 0:
        decimal = "." if last_dot > last_comma else ","
    elif last_dot >= 0 or last_comma >= 0:
        sep = "." if last_dot >= 0 else ","
        tail = digits.rsplit(sep, 1)[1]
        decimal = None if digits.count(sep) > 1 or len(tail) == 3 else sep
    else:
        decimal = None
    if decimal is None:
        whole, frac = digits, ""
    else:
        whole, _, frac = digits.rpartition(decimal)
        if decimal in whole:
            raise ValueError(f"“{text}” is not an amount: “{decimal}” appears more than once")
    if " " in spaced:
        whole_spaced = spaced.rpartition(decimal)[0] if decimal else spaced
        if not _grouped(whole_spaced, " "):
            raise ValueError(f"“{text}” is not an amount: its spaces do not group thousands")
    thousands = "," if decimal == "." else "." if decimal == "," else ("," if "," in whole else ".")
    if thousands in whole:
        if not _grouped(whole, thousands):
            raise ValueError(f"“{text}” is not an amount: its separators do not group thousands")
        whole = whole.replace(thousands, "")
    if not whole.isdigit() or frac and not frac.isdigit():
        raise ValueError(f"“{text}” is not an amount")
    cents = _cents(Decimal(f"{whole}.{frac or 0}"), text)
    return -cents if negative else cents


def parse_minutes(text: str) -> int:
    """A duration: "45", "45 min", "1:30", "1h 30m", "1.5 h" → minutes."""
    t = text.strip().lower()
    if not t:
        return 0
    m = re.fullmatch(r"(\d{1,3}):(\d{2})(?::\d{2})?", t)
    if m:
        return int(m.group(1)) * 60 + int(m.group(2))
    m = re.fullmatch(
        r"(?:(\d+(?:[.,]\d+)?)\s*h(?:ours?|rs?)?)?\s*(?:(\d+)\s*m(?:in(?:utes?|s)?)?)?", t
    )
    if m and (m.group(1) or m.group(2)):
        hours = float((m.group(1) or "0").replace(",", "."))
        return round(hours * 60) + int(m.group(2) or 0)
    if re.fullmatch(r"\d{1,5}", t):
        return int(t)
    raise ValueError(f"“{text}” is not a duration in minutes")


_CLOSED_WORDS = {"won": "won", "closed won": "won", "lost": "lost", "closed lost": "lost"}


def guess_stage(value: str, stage_names: Sequence[str]) -> str | None:
    """The stage a file's stage value means, by name; ``None`` when none fits."""
    target = norm(value)
    if not target:
        return None
    by_norm = {norm(n): n for n in stage_names}
    if target in by_norm:
        return by_norm[target]
    for prefix in ("closed ", "stage ", "deal "):
        if target.startswith(prefix) and target[len(prefix) :] in by_norm:
            return by_norm[target[len(prefix) :]]
    # "Renewed" → "Renewed/expanded", "Proposal sent" → "Proposal".
    starts = [n for k, n in by_norm.items() if k.split(" ")[0] == target.split(" ")[0]]
    if len(starts) == 1:
        return starts[0]
    return None


def closed_word(value: str) -> str | None:
    """ "won"/"lost" when a stage value plainly says so (used when adding missing stages)."""
    return _CLOSED_WORDS.get(norm(value))


# Mappings ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportMapping:
    """Everything the user decided about a file, reusable next month for the same export."""

    kind: ImportKind
    columns: dict[str, str] = field(default_factory=dict)  # field → header
    process: str = ""  # name of the process engagements/activities go into
    stages: dict[str, str] = field(default_factory=dict)  # file value → stage name
    add_missing_stages: bool = False
    date_order: DateOrder | None = None

    def with_columns(self, columns: dict[str, str]) -> ImportMapping:
        return replace(self, columns=dict(columns))

    def to_json(self) -> str:
        return json.dumps(
            {
                "kind": self.kind.value,
                "columns": self.columns,
                "process": self.process,
                "stages": self.stages,
                "add_missing_stages": self.add_missing_stages,
                "date_order": self.date_order.value if self.date_order else None,
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> ImportMapping:
        data = json.loads(text)
        return cls(
            kind=ImportKind(data["kind"]),
            columns={str(k): str(v) for k, v in dict(data.get("columns", {})).items()},
            process=str(data.get("process", "")),
            stages={str(k): str(v) for k, v in dict(data.get("stages", {})).items()},
            add_missing_stages=bool(data.get("add_missing_stages", False)),
            date_order=DateOrder(data["date_order"]) if data.get("date_order") else None,
        )

    def missing_required(self) -> list[str]:
        return [s.label for s in FIELDS[self.kind] if s.required and s.name not in self.columns]


def parse_assignments(items: Iterable[str], what: str) -> dict[str, str]:
    """``["FIELD=COLUMN", ...]`` → dict; raises ``ValidationError`` naming a malformed item."""
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ValidationError({what: f"“{item}” is not of the form {what.upper()}=VALUE."})
        out[key.strip()] = value.strip()
    return out


@dataclass(frozen=True)
class RowProblem:
    """A row that cannot be imported: its line number in the file (header = 1) and why."""

    row: int
    reason: str

    def __str__(self) -> str:
        return f"Row {self.row}: {self.reason}"


def local_datetime(day: date, at: time | None) -> datetime:
    """A local moment as an aware datetime (noon when the file gives no time of day).

    Raises ``ValueError`` ("out of range") where the local zone pushes it past the years a
    ``datetime`` holds; ``parse_date`` keeps imported dates far from those edges anyway.
    """
    try:
        return datetime.combine(day, at or time(12, 0)).astimezone()
    except (OverflowError, ValueError, OSError):
        raise ValueError(f"the date {day.isoformat()} is out of range") from None
