"""The import wizard gives a field one value for every row (the command line's ``--set``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from sqlalchemy import select
from test_import_wizard import open_wizard

from nextlevel_desktop.storage.orm import ActivityRow, ActivityTypeRow
from nextlevel_desktop.ui.dialogs.import_wizard import CONSTANT, ImportWizard

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

# A Freshdesk-style tickets export: no activity type column.
TICKETS = (
    "Ticket ID,Created time,Agent,Company,Subject\n"
    "F-1,2026-03-02 10:00,Ann Lee,Glasshouse Ltd,Login broken\n"
    "F-2,2026-03-03 11:30,Ann Lee,Glasshouse Ltd,Invoice question\n"
)


def next_page(qtbot, wizard: ImportWizard) -> None:  # type: ignore[no-untyped-def]
    button = wizard.button(QWizard.WizardButton.NextButton)
    if wizard.currentPage().isCommitPage():
        button = wizard.button(QWizard.WizardButton.CommitButton)
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_a_constant_type_for_every_row(qtbot, main_window, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "tickets.csv"
    src.write_text(TICKETS, encoding="utf-8")
    wizard = open_wizard(main_window)
    qtbot.waitExposed(wizard)
    page = wizard.file_page
    page.kind.setCurrentIndex(page.kind.findData("activities"))
    page.process.setCurrentIndex(page.process.findText("Account management"))
    page.path.setText(str(src))
    page.load(src)
    next_page(qtbot, wizard)
    columns = wizard.columns_page
    assert "type" not in columns.columns() and not columns.isComplete()
    combo = columns.combos["type"]
    combo.setCurrentIndex(combo.findData(CONSTANT))
    edit = columns.constant_edits["type"]
    assert edit.isVisibleTo(columns) and not columns.samples["type"].isVisibleTo(columns)
    dates = columns.combos["date"]
    dates.setCurrentIndex(dates.findData("Created time"))
    assert not columns.isComplete()  # no value typed yet
    edit.setText("Support ticket")
    assert columns.isComplete()
    assert wizard.mapping().constants == {"type": "Support ticket"}
    next_page(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.check_result is not None, timeout=10000)
    assert wizard.check_result.valid == 2
    next_page(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.outcome is not None, timeout=10000)
    assert wizard.outcome.created == 2
    with main_window.services.db.read() as s:
        names = s.scalars(
            select(ActivityTypeRow.name)
            .join(ActivityRow, ActivityRow.type_id == ActivityTypeRow.id)
            .where(ActivityRow.external_id.in_(["F-1", "F-2"]))
        ).all()
    assert names == ["Support ticket", "Support ticket"]
    wizard.close()
