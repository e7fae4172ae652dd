"""Counted phrases: "1 account", never "1 accounts"; numbers grouped the user's way."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QDate, QLocale

from nextlevel_desktop.ui.wording import counted, number

US = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)


def in_locale(locale: QLocale, check) -> None:  # type: ignore[no-untyped-def]
    before = QLocale()
    QLocale.setDefault(locale)
    try:
        check()
    finally:
        QLocale.setDefault(before)


def test_one_and_many() -> None:
    def check() -> None:
        assert counted(1, "{0} activity", "{0} activities") == "1 activity"
        assert counted(0, "{0} activity", "{0} activities") == "0 activities"
        assert counted(2481, "{0} activity", "{0} activities") == "2,481 activities"
        assert counted(1, "{0} in “{1}”", "{0} in “{1}”", "Won") == "1 in “Won”"

    in_locale(US, check)


def test_numbers_follow_the_locale() -> None:
    german = QLocale(QLocale.Language.German, QLocale.Country.Germany)
    in_locale(german, lambda: number(1234567) == "1.234.567" or pytest.fail("German grouping"))
    in_locale(US, lambda: number(1234567) == "1,234,567" or pytest.fail("US grouping"))


def test_the_accounts_tab_counts_one_account(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    area = main_window.activities
    main_window.show_area(1)
    area.tabs.setCurrentWidget(area.accounts)
    panel = area.accounts
    name = main_window.services.accounts.page("", 0, 1)[0].name
    panel.search.setText(name)
    qtbot.waitUntil(lambda: panel.count.text() == "1 account", timeout=3000)


def test_dates_follow_the_locale_and_stay_iso_without_one() -> None:
    from datetime import UTC, date, datetime

    from nextlevel_desktop.ui.wording import day_text, long_day_text, moment_text

    day = date(2026, 11, 29)
    moment = datetime(2026, 11, 29, 14, 30).astimezone(UTC)

    def bare() -> None:
        assert day_text(day) == "2026-11-29"
        assert moment_text(moment) == "2026-11-29 14:30"
        assert long_day_text(day) == "29 Nov 2026"

    def german() -> None:
        assert day_text(day) == QLocale().toString(
            QDate(2026, 11, 29), QLocale.FormatType.ShortFormat
        )
        assert day_text(day) != "2026-11-29" and "29" in day_text(day)
        assert "14:30" in moment_text(moment) and "29" in moment_text(moment)
        assert long_day_text(day).startswith("29 Nov")

    in_locale(QLocale.c(), bare)
    in_locale(QLocale(QLocale.Language.German, QLocale.Country.Germany), german)
