"""File > Export offers every format; CSV follows the user's locale unless another is chosen."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from logger_testing import settle
from PySide6.QtCore import QLocale, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog


@pytest.fixture
def german() -> Iterator[None]:
    before = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    yield
    QLocale.setDefault(before)


def answer_save_dialog(path: Path, kind: str, seen: dict[str, object]) -> None:
    """Answer the save dialog once it is up: note its filters, pick ``kind``, save ``path``."""

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QFileDialog):
            QTimer.singleShot(20, answer)
            return
        seen["filters"] = dialog.nameFilters()
        seen["selected"] = dialog.selectedNameFilter()
        dialog.selectNameFilter(next(f for f in dialog.nameFilters() if kind in f))
        dialog.selectFile(str(path))
        dialog.accept()

    QTimer.singleShot(0, answer)


def test_the_export_menu_lists_every_list_and_the_calendar(main_window) -> None:  # type: ignore[no-untyped-def]
    texts = [a.text().replace("&", "") for a in main_window.file_actions.export_menu.actions()]
    assert [t for t in texts if t] == [
        "Activities (as filtered)…",
        "Opportunities or account plans (as in Pipeline)…",
        "Accounts (as searched)…",
        "Contacts of the accounts (as searched)…",
        "Planned activities to your calendar (as filtered)…",
    ]


def test_csv_follows_a_comma_locale(main_window, tmp_path: Path, german) -> None:  # type: ignore[no-untyped-def]
    counts: list[int] = []
    main_window.file_actions.export("engagements", tmp_path / "e.csv", counts.append)
    settle(main_window)
    header, first = (tmp_path / "e.csv").read_text("utf-8-sig").splitlines()[:2]
    assert counts[-1] > 0
    assert header.startswith("id;Name;Process;") and first.split(";")[6].endswith(",00")


def test_the_save_dialog_offers_the_formats_and_writes_the_chosen_one(  # type: ignore[no-untyped-def]
    main_window, tmp_path: Path, german
) -> None:
    seen: dict[str, object] = {}
    counts: list[int] = []
    dest = tmp_path / "contacts"
    answer_save_dialog(dest, "Excel", seen)
    main_window.file_actions.export("contacts", None, counts.append)
    settle(main_window)
    assert seen["filters"] == [
        "CSV, comma separated (*.csv)",
        "CSV, semicolon separated, decimal comma (*.csv)",
        "Excel workbook (*.xlsx)",
        "vCard contacts (*.vcf)",
    ]
    assert seen["selected"] == "CSV, semicolon separated, decimal comma (*.csv)"  # the locale's
    assert counts[-1] > 0 and zipfile.is_zipfile(tmp_path / "contacts.xlsx")
    answer_save_dialog(tmp_path / "cards.vcf", "vCard", seen)
    main_window.file_actions.export("contacts", None, counts.append)
    settle(main_window)
    cards = (tmp_path / "cards.vcf").read_bytes().count(b"BEGIN:VCARD\r\n")
    assert cards == counts[-1] > 0


def test_planned_activities_go_to_a_calendar_file(main_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    seen: dict[str, object] = {}
    answer_save_dialog(tmp_path / "week.ics", "Calendar", seen)
    action = next(
        a for a in main_window.file_actions.export_menu.actions() if "calendar" in a.text().lower()
    )
    action.trigger()
    settle(main_window)
    assert seen["selected"] == "Calendar of the planned activities (*.ics)"
    data = (tmp_path / "week.ics").read_bytes()
    assert data.startswith(b"BEGIN:VCALENDAR\r\n") and data.count(b"BEGIN:VEVENT\r\n") > 0
    assert "planned activities" in main_window.statusBar().currentMessage()
