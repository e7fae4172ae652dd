"""Workspace settings: the business facts stored inside the workspace file (key/value)."""

from __future__ import annotations

import locale
import re
from dataclasses import dataclass, fields

from .errors import ValidationError

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_CODE = re.compile(r"^[A-Z]{3}$")


def currency_code(text: str) -> str:
    """An ISO 4217 code ("usd" → "USD"); raises ``ValidationError`` for anything else."""
    code = text.strip().upper()
    if not _CODE.match(code):
        raise ValidationError(
            {"currency": f"“{text}” is not a currency code: use three letters such as EUR or USD."}
        )
    return code


def locale_currency() -> str:
    """The currency of the user's locale (``LC_MONETARY``/``LANG``), else EUR."""
    try:
        old = locale.setlocale(locale.LC_MONETARY)
        try:
            locale.setlocale(locale.LC_MONETARY, "")
            code = str(locale.localeconv().get("int_curr_symbol", "")).strip()
        finally:
            locale.setlocale(locale.LC_MONETARY, old)
    except (locale.Error, ValueError):
        return "EUR"
    return code if _CODE.match(code) else "EUR"


@dataclass(frozen=True)
class WorkspaceSettings:
    """Settings that describe the business, so they travel with the workspace file."""

    currency: str = "EUR"
    week_start: int = 0  # 0 = Monday (ISO)
    on_track_pct: int = 100
    at_risk_pct: int = 80
    handover: str = "automatic"  # or "ask"

    def validated(self) -> WorkspaceSettings:
        problems: dict[str, str] = {}
        if not self.currency.strip() or len(self.currency.strip()) > 5:
            problems["currency"] = "Currency must be a short code such as EUR, USD or GBP."
        if not 0 <= self.week_start <= 6:
            problems["week_start"] = "Week start must be a weekday."
        if not 0 < self.at_risk_pct < self.on_track_pct <= 1000:
            problems["at_risk_pct"] = (
                "The ‘at risk’ threshold must be above 0 % and below the ‘on track’ threshold."
            )
        if self.handover not in ("automatic", "ask"):
            problems["handover"] = "Handover must be ‘automatic’ or ‘ask’."
        if problems:
            raise ValidationError(problems)
        return self

    def to_pairs(self) -> dict[str, str]:
        return {f.name: str(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_pairs(cls, pairs: dict[str, str]) -> WorkspaceSettings:
        kwargs: dict[str, object] = {}
        for f in fields(cls):
            if f.name in pairs:
                raw = pairs[f.name]
                try:
                    kwargs[f.name] = int(raw) if f.type in ("int", int) else raw
                except ValueError:
                    continue  # a damaged value falls back to the default
        return cls(**kwargs)  # type: ignore[arg-type]
