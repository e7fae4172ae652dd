"""Amounts of money and durations in imported cells: "$1,234.50", "1.234,50 €", "1h 30m".

Pure parsing (no database, no Qt): the import, the account dialog and the export (a currency's
decimals) share it, so one amount always reads the same way.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

_HAS_LETTER = re.compile(r"[^\W\d_]").search  # no letter, no multiplier: the fast path

MAX_MONEY_MINOR = 10**15
_SCIENTIFIC = re.compile(r"([+-]?)(\d+(?:[.,]\d+)?|[.,]\d+)[eE]([+-]?\d{1,4})")
# The number inside an amount: digits with separators (dot, comma, spaces, the Swiss ');
# around it only a sign, parentheses and a currency symbol or code may stand.
_AMOUNT = re.compile(
    r"(?P<pre>[^\d]*?)(?P<num>\d[\d.,'\s\u00a0\u202f]*\d|\d)(?P<post>[^\d]*)", re.S
)
# Possessive (*+): a failing match must not retry every split of the letters before it.
_AFFIX = re.compile(r"(?:[-+()\s\u00a0\u202f]|[A-Za-z]|[^\w\s])*+")
MAX_AMOUNT_CHARS = 60
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


# ISO 4217 currencies without a minor unit: their amounts are whole numbers.
ZERO_DECIMAL = frozenset(
    "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split()
)
# Symbols that name one currency (or one among those a workspace may keep: ¥ is JPY or CNY).
_SYMBOLS = {
    **dict.fromkeys("¥￥", ("JPY", "CNY")),
    **{"€": ("EUR",), "£": ("GBP",), "円": ("JPY",), "₩": ("KRW",), "₫": ("VND",)},
    **{"₹": ("INR",), "元": ("CNY",), "\\": ("JPY",)},  # Shift-JIS writes ¥ as a backslash
}
# "1.5k", "2M", "3 bn", "1,2 Mio": a multiplier written after the number.
_MULTIPLIER = re.compile(r"(?<=\d)\s?(k|tsd|mm|mn|mio|m|bn|mrd|b)\.?(?![^\W\d_])", re.I)
_CODE = re.compile(r"(?<![A-Za-z])[A-Z]{3}(?![A-Za-z])")
_THREE_DECIMALS = re.compile(r"\d[.,]\d{3}(?!\d)")
_TWO_SEPARATORS = re.compile(r"\d[.,]\d+[.,]")
_FACTORS = {"k": 3, "tsd": 3, "m": 6, "mm": 6, "mn": 6, "mio": 6, "b": 9, "bn": 9, "mrd": 9}


def amount_currency(text: str, workspace: str = "") -> str:
    """The currency an amount names by code ("1,500 JPY") or symbol ("¥1,500"), or ``""``.

    A symbol shared by several currencies means the workspace's when it is one of them."""
    for code in _CODE.findall(text):
        if code.lower() not in _FACTORS:
            return str(code)
    for symbol, currencies in _SYMBOLS.items():
        if symbol in text:
            return workspace if workspace in currencies else currencies[0]
    return ""


def parse_money(text: str, currency: str = "") -> int:
    """Money in hundredths of the currency: "$1,234.50", "1.234,50 €", "EUR 12 000", "(250)",
    "1.5E+06", "1.5k", "2M", "¥1,500".

    With both separators the last one is the decimal mark and the other must group thousands;
    a lone separator followed by exactly three digits is a thousands separator; otherwise it
    is the decimal mark; a separator used more than once must group thousands. Anything else
    ("1.2.3.4", "12abc34") is refused rather than guessed. With ``currency`` (the
    workspace's), an amount naming another currency is refused, and so is a fraction in a
    currency without a minor unit (JPY: "¥1,500" is 1,500 yen; "¥15.50" is refused).
    """
    raw = text.strip()
    cents = _parse_amount(raw, text)  # first: it refuses overlong text
    named = amount_currency(raw, currency)
    if currency and named and named != currency:
        raise ValueError(
            f"“{text}” is in {named}, but this workspace keeps amounts in {currency}: "
            "convert the amounts first, or import into a workspace in that currency"
        )
    if cents % 100 and (named or currency) in ZERO_DECIMAL:
        raise ValueError(
            f"“{text}” has a fraction, but {named or currency} has no minor unit: "
            "amounts in it are whole numbers"
        )
    return cents


def _parse_amount(raw: str, text: str) -> int:
    if not raw:
        return 0
    if len(raw) > MAX_AMOUNT_CHARS or re.search(r"[A-Za-z]{4,}", raw):
        raise ValueError(f"“{text[:MAX_AMOUNT_CHARS]}” is not an amount")
    scale = 0
    multiplier = list(_MULTIPLIER.finditer(raw)) if _HAS_LETTER(raw) else []
    if len(multiplier) == 1:
        scale = _FACTORS[multiplier[0].group(1).lower()]
        raw = raw[: multiplier[0].start()] + raw[multiplier[0].end() :]
        if _THREE_DECIMALS.search(raw) and not _TWO_SEPARATORS.search(raw):
            raise ValueError(
                f"“{text}” is ambiguous: write the thousands in full or the fraction "
                "with fewer than three digits (“1.25M”, “1,250,000”)"
            )
    sci = _SCIENTIFIC.fullmatch(raw)
    if sci:
        sign, mantissa, exponent = sci.groups()
        if abs(int(exponent)) > 20:
            raise ValueError(f"“{text}” is out of range for an amount")
        value = Decimal(mantissa.replace(",", ".")).scaleb(int(exponent) + scale)
        return _cents(-value if sign == "-" else value, text)
    m = _AMOUNT.fullmatch(raw)
    if not m or not _AFFIX.fullmatch(m.group("pre")) or not _AFFIX.fullmatch(m.group("post")):
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
    cents = _cents(Decimal(f"{whole}.{frac or 0}").scaleb(scale), text)
    return -cents if negative else cents


def parse_minutes(text: str) -> int:
    """A duration: "45", "45 min", "1:30", "1h 30m", "1.5 h" → minutes."""
    t = text.strip().lower()
    if not t:
        return 0
    if len(t) > 30:  # (and the patterns below stay linear)
        raise ValueError(f"“{text[:30]}…” is not a duration in minutes")
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
