"""Counted phrases in the user's language: "1 activity", "2,481 activities".

Qt's own plural forms (``tr`` with ``%n``) come from translation files, and without one an
English build says "1 open opportunities". Each form is passed in already translated (so
lupdate sees both), and the number is written the user's way (QLocale).
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, QLocale, QTime


def number(n: int) -> str:
    """``n`` with the user's digit grouping (2,481 / 2.481 / 2 481). Without a locale (the
    "C" locale of a bare system), grouped as in English rather than not at all."""
    locale = QLocale()
    if locale.language() == QLocale.Language.C:
        return f"{n:,}"
    return locale.toString(n)


def counted(n: int, one: str, many: str, *more: object) -> str:
    """``one`` when ``n`` is 1, else ``many``; each has ``{0}`` for the number, and ``{1}``…
    for ``more``."""
    return (one if n == 1 else many).format(number(n), *more)


def _bare(locale: QLocale) -> bool:
    """No locale set (the "C" locale of a bare system): ISO dates, English month names."""
    return locale.language() == QLocale.Language.C


def day_text(day: date) -> str:
    """A day in a table or list: the user's short date format (ISO 2026-11-29 where no locale
    is set)."""
    locale = QLocale()
    if _bare(locale):
        return day.isoformat()
    return locale.toString(QDate(day.year, day.month, day.day), QLocale.FormatType.ShortFormat)


def short_date(moment: datetime) -> str:
    """The local day of ``moment``, as :func:`day_text` writes it."""
    return day_text(moment.astimezone().date())


def moment_text(moment: datetime) -> str:
    """A local date and time in a table or list: the user's short format (2026-11-29 14:30
    where no locale is set)."""
    local = moment.astimezone()
    locale = QLocale()
    if _bare(locale):
        return local.strftime("%Y-%m-%d %H:%M")
    when = QDateTime(QDate(local.year, local.month, local.day), QTime(local.hour, local.minute))
    return locale.toString(when, QLocale.FormatType.ShortFormat)


def long_day_text(day: date) -> str:
    """A day in a sentence ("Review held 29 Nov 2026"): day, month name and year, the month
    named in the user's language."""
    locale = QLocale()
    if _bare(locale):
        return day.strftime("%d %b %Y")
    return locale.toString(QDate(day.year, day.month, day.day), "d MMM yyyy")
