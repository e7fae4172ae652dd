"""Counted phrases in the user's language: "1 activity", "2,481 activities".

Qt's own plural forms (``tr`` with ``%n``) come from translation files, and without one an
English build says "1 open opportunities". Each form is passed in already translated (so
lupdate sees both), and the number is written the user's way (QLocale).
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, QLocale


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


def short_date(moment: datetime) -> str:
    """The local day of ``moment`` in the user's short date format (ISO, 2026-11-29, where no
    locale is set, as the activity lists write it)."""
    local = moment.astimezone()
    locale = QLocale()
    if locale.language() == QLocale.Language.C:
        return local.date().isoformat()
    return locale.toString(
        QDate(local.year, local.month, local.day), QLocale.FormatType.ShortFormat
    )
