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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time

from .errors import ValidationError
from .import_fields import FIELDS as FIELDS
from .import_fields import DateOrder as DateOrder
from .import_fields import FieldSpec as FieldSpec
from .import_fields import ImportKind as ImportKind
from .import_fields import field_spec as field_spec

PREVIEW_ROWS = 8
MAX_FIELD_CHARS = 1_000_000


# Decoding and splitting -------------------------------------------------------------------


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode a file's bytes; returns ``(text, encoding name)``.

    A UTF-8 byte-order mark wins; then strict UTF-8; anything else is Windows-1252 (what Excel
    writes on Western systems), with the few bytes it leaves undefined read as Latin-1.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "UTF-8 with BOM"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace"), "UTF-16"
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "Latin-1"


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


def parse_csv(data: bytes, delimiter: str | None = None) -> CsvTable:
    """Decode and split a CSV file. Raises ``ValidationError`` for a file that is not a table."""
    text, encoding = decode_bytes(data)
    text = text.replace("\x00", "")
    if not text.strip():
        raise ValidationError({"file": "The file is empty: there is nothing to import."})
    delimiter = delimiter or sniff_delimiter(text)
    old_limit = csv.field_size_limit()
    csv.field_size_limit(max(old_limit, MAX_FIELD_CHARS))
    try:
        raw = [r for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise ValidationError({"file": f"The file cannot be read as CSV: {exc}."}) from exc
    finally:
        csv.field_size_limit(old_limit)
    raw = [r for r in raw if any(c.strip() for c in r)]
    if not raw:
        raise ValidationError({"file": "The file is empty: there is nothing to import."})
    headers = _unique_headers(raw[0])
    if not any(headers):
        raise ValidationError({"file": "The first line has no column names."})
    width = len(headers)
    rows = tuple(tuple((r + [""] * width)[:width]) for r in raw[1:])
    return CsvTable(headers, rows, encoding, delimiter)


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
    if len(day_text.split(re.findall(r"[-/.]", day_text)[0])[0]) == 4:
        y, m, d = a, b, c
    elif order is DateOrder.DMY:
        d, m, y = a, b, c
    elif order is DateOrder.MDY:
        m, d, y = a, b, c
    else:
        raise ValueError(f"“{text}” is ambiguous: choose day/month or month/day order")
    if y < 100:
        y += 2000 if y < 70 else 1900
    try:
        return date(y, m, d)
    except ValueError:
        raise ValueError(f"“{text}” is not a valid date") from None


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


_CURRENCY = re.compile(r"[^\d,.\-()]")


def parse_money(text: str) -> int:
    """Money in minor units: "$1,234.50", "1.234,50 €", "EUR 12 000", "(250)" → cents.

    With both separators the last one is the decimal mark; a lone separator followed by exactly
    three digits is a thousands separator; otherwise it is the decimal mark.
    """
    raw = text.strip()
    if not raw:
        return 0
    negative = raw.startswith("-") or raw.endswith("-") or (raw.startswith("(") and ")" in raw)
    digits = _CURRENCY.sub("", raw).replace("(", "").replace(")", "").replace("-", "")
    if not re.search(r"\d", digits) or re.search(r"[a-z]{4,}", raw, re.I):
        raise ValueError(f"“{text}” is not an amount")
    last_dot, last_comma = digits.rfind("."), digits.rfind(",")
    decimal: str | None
    if last_dot >= 0 and last_comma >= 0:
        decimal = "." if last_dot > last_comma else ","
    elif last_dot >= 0 or last_comma >= 0:
        sep = "." if last_dot >= 0 else ","
        tail = digits.rsplit(sep, 1)[1]
        decimal = None if (len(tail) == 3 and digits.count(sep) >= 1 and tail.isdigit()) else sep
        if digits.count(sep) > 1:
            decimal = None
    else:
        decimal = None
    if decimal is None:
        whole, frac = digits.replace(".", "").replace(",", ""), ""
    else:
        thousands = "," if decimal == "." else "."
        whole, _, frac = digits.replace(thousands, "").partition(decimal)
        if decimal in frac or not frac.isdigit() and frac:
            raise ValueError(f"“{text}” is not an amount")
    if not whole:
        whole = "0"
    if not whole.isdigit():
        raise ValueError(f"“{text}” is not an amount")
    frac = (frac + "000")[:3]
    cents = int(whole) * 100 + int(frac[:2]) + (1 if int(frac[2]) >= 5 else 0)
    if cents > 10**15:
        raise ValueError(f"“{text}” is too large an amount")
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
    """A local moment as an aware datetime (noon when the file gives no time of day)."""
    return datetime.combine(day, at or time(12, 0)).astimezone()
