"""Pure helpers of the CSV import: header guessing, dates, stages, the mapping (reading:
``csv_read``; amounts and durations: ``import_money``).

Nothing here touches a database or Qt; the import service and the wizard both build on it, so the
command line and the GUI read a file in exactly the same way.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from .csv_read import DELIMITERS as DELIMITERS
from .csv_read import ENCODINGS as ENCODINGS
from .csv_read import MAX_COLUMNS as MAX_COLUMNS
from .csv_read import MAX_FIELD_CHARS as MAX_FIELD_CHARS
from .csv_read import MAX_HEADER_CHARS as MAX_HEADER_CHARS
from .csv_read import PREVIEW_ROWS as PREVIEW_ROWS
from .csv_read import CsvTable as CsvTable
from .csv_read import decode_bytes as decode_bytes
from .csv_read import encoding_key as encoding_key
from .csv_read import parse_csv as parse_csv
from .csv_read import sniff_delimiter as sniff_delimiter
from .errors import ValidationError
from .import_fields import ENTERED_PREFIX, EXITED_PREFIX
from .import_fields import FIELDS as FIELDS
from .import_fields import RENAMED as RENAMED
from .import_fields import DateOrder as DateOrder
from .import_fields import FieldSpec as FieldSpec
from .import_fields import ImportKind as ImportKind
from .import_fields import field_spec as field_spec
from .import_fields import is_stage_date_field as is_stage_date_field

# Header guessing --------------------------------------------------------------------------


@functools.lru_cache(maxsize=65536)
def norm(text: str) -> str:
    """Lower case, accents removed, punctuation and underscores to single spaces.

    Letters of every script stay ("山田商事", "Ромашка"): only the accents of the combining
    diacritical block go, so a Japanese voiced mark (ガ) is kept and names never collapse."""
    if text.isascii():  # most names: the same result, three times faster
        return " ".join(re.sub(r"[^0-9a-z]+", " ", text.lower()).split())
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not "\u0300" <= c <= "\u036f")
    text = unicodedata.normalize("NFC", text).casefold()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def guess_mapping(kind: ImportKind, headers: Sequence[str]) -> dict[str, str]:
    """Field name → header, from the header names; each header is used for one field at most."""
    normed = [norm(h) for h in headers]
    used: set[int] = set()
    mapping: dict[str, str] = {}
    if kind is ImportKind.ENGAGEMENTS:
        # Per-stage date columns first: their stage names hold words of other fields.
        for i, header in enumerate(headers):
            found = stage_date_header(header)
            if found is not None and found not in mapping:
                mapping[found] = header
                used.add(i)
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


# HubSpot: Date entered "Qualified to buy (Sales Pipeline)"; also "Date exited Proposal".
_STAGE_DATE = re.compile(
    r"^\s*(?:date\s+)?(entered|exited)\s*[:\-]?\s*[\"“']?(.+?)[\"”']?\s*$", re.I
)


def stage_date_header(header: str) -> str | None:
    """``entered:<stage text>`` / ``exited:<stage text>`` for a per-stage date column."""
    m = _STAGE_DATE.match(header)
    if not m or not header.strip().lower().startswith("date"):
        return None
    stage = re.sub(r"\s*\([^)]*\)\s*$", "", m.group(2)).strip(" \"“”'")
    if not stage:
        return None
    prefix = ENTERED_PREFIX if m.group(1).lower() == "entered" else EXITED_PREFIX
    return prefix + stage


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


# Month names as exports write them, in the languages of the CSV exports met most: a word is a
# month when it begins (three letters at least) the name of exactly one month.
_MONTHS = (
    "january januar janvier enero gennaio januari janeiro",
    "february februar fevrier febrero febbraio februari fevereiro",
    "march marz mars marzo maart marco mrt",
    "april avril abril aprile",
    "may mai mayo maggio mei maio",
    "june juni juin junio giugno junho",
    "july juli juillet julio luglio julho",
    "august aout agosto augustus",
    "september septembre septiembre settembre setembro",
    "october oktober octobre octubre ottobre outubro",
    "november novembre noviembre novembro",
    "december dezember decembre diciembre dicembre dezembro",
)
_WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday"
# "Apr 3, 2026", "April 3rd 2026", "Fri, 3 Apr 2026", "3-Apr-26", "3. April 2026", then an
# optional time ("Apr 3, 2026 10:30 AM").
_WORD = r"[^\W\d_]{3,}"
_HAS_LETTER = re.compile(r"[^\W\d_]").search  # no letter, no month name: the fast path
_NAMED_DATE = re.compile(
    rf"(?:(?P<wd>{_WORD})\.?,?\s+)?"
    rf"(?:(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\.?[\s/-]*(?P<m1>{_WORD})\.?[\s/,-]*(?P<y1>\d{{4}}|\d{{2}})"
    rf"|(?P<m2>{_WORD})\.?[\s/-]*(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?[\s/-]+(?P<y2>\d{{4}}))"
    r"(?=$|[\sT])(?P<rest>.*)",
    re.I | re.S,
)


def month_number(word: str) -> int | None:
    """1–12 for a month's name or abbreviation ("Apr", "März", "févr."); ``None`` otherwise."""
    word = norm(word)
    if len(word) < 3:
        return None
    hits = {i for i, names in enumerate(_MONTHS, 1) for n in names.split() if n.startswith(word)}
    return hits.pop() if len(hits) == 1 else None


def _named_date(text: str) -> tuple[tuple[int, int, int], str] | None:
    """((year, month, day), the rest) of a date written with its month's name."""
    m = _NAMED_DATE.fullmatch(text.strip())
    if not m:
        return None
    weekday = m.group("wd")
    if weekday and not any(w.startswith(norm(weekday)) for w in _WEEKDAYS.split()):
        return None
    month = month_number(m.group("m1") or m.group("m2"))
    if month is None:
        return None
    day, year = (m.group("d1"), m.group("y1")) if m.group("m1") else (m.group("d2"), m.group("y2"))
    y = int(year) + (0 if len(year) == 4 else 2000 if int(year) < 70 else 1900)
    if weekday:
        try:
            named = _WEEKDAYS.split()[date(y, month, int(day)).weekday()]
        except ValueError:
            return (y, month, int(day)), m.group("rest").strip()  # parse_date says why
        if not named.startswith(norm(weekday)):
            day_ = date(y, month, int(day)).isoformat()
            raise ValueError(f"“{text}” is not a date: {day_} is a {named.title()}")
    return (y, month, int(day)), m.group("rest").strip()


def _split_datetime(text: str) -> tuple[str, str]:
    text = text.strip()
    named = _NAMED_DATE.fullmatch(text) if _HAS_LETTER(text) else None
    if named:
        return text[: named.start("rest")].strip(), named.group("rest").strip()
    if "T" in text and _DATE_SPLIT.match(text.split("T", 1)[0]):
        day, rest = text.split("T", 1)
        rest = re.sub(r"(Z|[+-]\d{2}:?\d{2})$", "", rest)
        return day, rest
    parts = text.split(None, 1)
    return parts[0] if parts else "", parts[1].strip() if len(parts) > 1 else ""


def _in_order(
    text: str, day_text: str, parts: tuple[int, int, int], order: DateOrder | None
) -> tuple[int, int, int, bool]:
    """(year, month, day, whether the year has two digits) of a numeric date."""
    a, b, c = parts
    pieces = re.split(r"[-/.]", day_text)
    if len(pieces[0]) == 4:
        return a, b, c, False
    if order is DateOrder.DMY:
        return c, b, a, len(pieces[2]) <= 2
    if order is DateOrder.MDY:
        return c, a, b, len(pieces[2]) <= 2
    raise ValueError(f"“{text}” is ambiguous: choose day/month or month/day order")


def parse_date(text: str, order: DateOrder | None) -> date:
    """A date in ISO form or in the given order; raises ``ValueError`` with a specific reason."""
    if len(text) > 60:
        raise ValueError(f"“{text[:60]}…” is not a date")
    day_text, _ = _split_datetime(text)
    named = _named_date(day_text) if _HAS_LETTER(day_text) else None
    parts = _date_parts(day_text)
    if named is not None:
        (y, m, d), short_year = named[0], False
    elif parts is None:
        raise ValueError(f"“{text}” is not a date")
    else:
        y, m, d, short_year = _in_order(text, day_text, parts, order)
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


@functools.lru_cache(maxsize=65536)  # (a file repeats its dates: parse each once)
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
    # The opened date of rows without one (``None``: such rows are refused).
    opened_default: date | None = None
    # Whether won hunting rows hand their accounts over to farming (``None``: as the
    # workspace's handover setting says).
    handover: bool | None = None
    constants: dict[str, str] = field(default_factory=dict)  # field → the value of every row

    def to_json(self) -> str:
        return json.dumps(
            {
                "kind": self.kind.value,
                "columns": self.columns,
                "process": self.process,
                "stages": self.stages,
                "add_missing_stages": self.add_missing_stages,
                "date_order": self.date_order.value if self.date_order else None,
                "opened_default": self.opened_default.isoformat() if self.opened_default else None,
                "handover": self.handover,
                "constants": self.constants,
            },
            sort_keys=True,
        )

    @classmethod
    def from_json(cls, text: str) -> ImportMapping:
        data = json.loads(text)
        kind = ImportKind(data["kind"])
        renamed = RENAMED.get(kind, {})
        return cls(
            kind=kind,
            columns={
                renamed.get(str(k), str(k)): str(v)
                for k, v in dict(data.get("columns", {})).items()
            },
            process=str(data.get("process", "")),
            stages={str(k): str(v) for k, v in dict(data.get("stages", {})).items()},
            add_missing_stages=bool(data.get("add_missing_stages", False)),
            date_order=DateOrder(data["date_order"]) if data.get("date_order") else None,
            opened_default=(
                date.fromisoformat(data["opened_default"]) if data.get("opened_default") else None
            ),
            handover=None if data.get("handover") is None else bool(data["handover"]),
            constants={str(k): str(v) for k, v in dict(data.get("constants", {})).items()},
        )

    def missing_required(self) -> list[str]:
        given = {*self.columns, *(f for f, v in self.constants.items() if v.strip())}
        return [s.label for s in FIELDS[self.kind] if s.required and s.name not in given]


def with_guesses(
    kind: ImportKind, headers: Sequence[str], columns: dict[str, str], constants: dict[str, str]
) -> dict[str, str]:
    """``columns`` (chosen by the user) completed with guesses for the fields neither they nor
    a constant give, from the headers they leave free."""
    taken = set(columns.values())
    free = [h for h in headers if h not in taken]
    guessed = {
        f: h
        for f, h in guess_mapping(kind, free).items()
        if f not in columns and f not in constants
    }
    return {**guessed, **columns}


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
