"""Reading a CSV file's bytes into a table: strict decoding, delimiters, bounded splitting.

A file is a stranger's data, so reading it is bounded and strict: bytes invalid in the encoding,
NUL characters, more than ``MAX_COLUMNS`` columns, a value longer than ``MAX_FIELD_CHARS`` and a
quotation mark never closed are refused with the line to look at, never guessed around.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from .errors import ValidationError

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
    "cp1250": "Windows-1250",
    "cp1251": "Windows-1251",
    "cp932": "Shift-JIS",  # Windows' Shift-JIS, a superset of the standard one
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
        "windows-1250": "cp1250",
        "windows-1251": "cp1251",
        "sjis": "cp932",
        "shift-jis": "cp932",
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

    Without ``encoding``: a UTF-8 or UTF-16 byte-order mark, else UTF-8, else the encoding
    ``charset-normalizer`` finds (Shift-JIS, Windows-1251, UTF-16 without a mark, Windows-1252
    from Excel on Western Windows…), named "(detected)" so the preview and the dry run show
    it. Bytes that are not valid in the encoding, and files no encoding fits, are refused
    with their offset and line, never guessed at: text read wrongly would be stored garbled.
    """
    key = encoding_key(encoding) if encoding else None
    if key is None or key == "utf-8":
        if data.startswith(b"\xef\xbb\xbf"):
            return _decode(data, 3, "utf-8", "UTF-8 with BOM")
        if key is None and data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return _decode(data, 0, "utf-16", "UTF-16")
        if key is None:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                return _detected(data) or _decode(data, 0, "utf-8", "UTF-8")
            return _utf16_without_mark(data) or (text, "UTF-8")
        return _decode(data, 0, "utf-8", "UTF-8")
    return _decode(data, 0, key, ENCODINGS[key])


# Where several single-byte encodings read a file equally well, it is read as Windows-1252.
_WESTERN = "cp1252"
_NAMES = {
    "cp932": "Shift-JIS",
    "shift_jis": "Shift-JIS",
    "utf_16_le": "UTF-16",
    "utf_16_be": "UTF-16",
}


def _utf16_without_mark(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text without a byte-order mark (valid UTF-8, every other byte a NUL)."""
    head = data[:4096]
    for codec, start in (("utf-16-le", 1), ("utf-16-be", 0)):
        if len(head) >= 4 and head[start::2].count(0) >= 0.9 * len(head[start::2]):
            return _decode(data, 0, codec, "UTF-16 (detected)")
    return None


def _detected(data: bytes) -> tuple[str, str] | None:
    """The text and "<encoding> (detected)" per ``charset-normalizer``, or ``None``."""
    from charset_normalizer import from_bytes

    # A file a tenth of whose text would read as mess is no text in any encoding.
    matches = from_bytes(data, threshold=0.1)
    best = matches.best()
    if best is None:
        return None
    codec = best.encoding
    for match in matches:  # among equally good readings, Excel's Western export
        if (match.chaos, match.coherence) == (best.chaos, best.coherence):
            if _WESTERN in match.could_be_from_charset:
                codec = _WESTERN
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    if "\n" not in text and "\r" not in text:
        return None  # no lines: not a table in this encoding either
    label = _NAMES.get(codec) or ENCODINGS.get(codec) or codec.replace("_", "-").upper()
    if label.startswith("CP"):
        label = "Windows-" + label[2:]
    return text, f"{label} (detected)"


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

    def first_value(self, header: str) -> str:
        """The column's first cell that is not blank (read up to it, not the whole column)."""
        i = self.column(header)
        return next((r[i] for r in self.rows if r[i].strip()), "")

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
