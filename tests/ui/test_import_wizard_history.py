"""The import wizard offers what the command line does: stage-date columns, stage-history
files, a date for rows without an opened date, and the handover choice."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QWizard
from sqlalchemy import select
from test_import_wizard import open_wizard

from nextlevel_desktop.storage.orm import EngagementRow, StageChangeRow

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")

# HubSpot deals export: "Date entered "<stage> (<pipeline>)"" columns; one row has no
# create date.
HUBSPOT = (
    "Record ID,Deal Name,Deal Stage,Amount,Create Date,"
    '"Date entered ""Qualified To Buy (Sales Pipeline)"""\n'
    "W1,Dated,Qualified To Buy,100,2026-03-02,2026-03-02 10:00\n"
    "W2,Undated,Qualified To Buy,100,,\n"
)
# Salesforce Opportunity History (Data Loader: OPPORTUNITYID, STAGENAME, CREATEDDATE).
HISTORY = (
    "OPPORTUNITYID,STAGENAME,CREATEDDATE\n"
    "W2,Prospect,2026-01-10T09:00:00.000Z\n"
    "W2,Qualified To Buy,2026-02-01T09:00:00.000Z\n"
)


def click_next(qtbot, wizard) -> None:  # type: ignore[no-untyped-def]
    button = wizard.button(QWizard.WizardButton.NextButton)
    if wizard.currentPage().isCommitPage():
        button = wizard.button(QWizard.WizardButton.CommitButton)
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def run_wizard(qtbot, main_window, src: Path, kind: str, setup=None):  # type: ignore[no-untyped-def]
    wizard = open_wizard(main_window)
    qtbot.waitExposed(wizard)
    page = wizard.file_page
    page.kind.setCurrentIndex(page.kind.findData(kind))
    page.load(src)
    click_next(qtbot, wizard)
    if setup is not None:
        setup(wizard.columns_page)
    click_next(qtbot, wizard)
    assert wizard.currentPage() is wizard.stages_page
    stages = wizard.stages_page
    combo = stages.combos["Qualified To Buy"]
    combo.setCurrentIndex(combo.findData("Qualified"))
    click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.check_result is not None, timeout=10000)
    return wizard


def test_wizard_imports_stage_dates_then_a_stage_history_file(  # type: ignore[no-untyped-def]
    qtbot, main_window, tmp_path: Path
) -> None:
    src = tmp_path / "deals.csv"
    src.write_text(HUBSPOT, encoding="utf-8")

    def refuse(columns) -> None:  # type: ignore[no-untyped-def]
        assert columns.columns()["entered:Qualified To Buy"].startswith("Date entered")
        assert "entered:Qualified To Buy" in columns.samples
        assert columns.engagement_options.isVisible()

    wizard = run_wizard(qtbot, main_window, src, "engagements", refuse)
    listed = wizard.check_page.problems
    problems = [listed.item(i).text() for i in range(listed.count())]
    assert len(problems) == 1 and problems[0].startswith("Row 3: the opened date is empty")
    wizard.reject()

    def default(columns) -> None:  # type: ignore[no-untyped-def]
        columns.default_opened.setChecked(True)
        columns.default_day.setDate(QDate(2026, 1, 5))

    wizard = run_wizard(qtbot, main_window, src, "engagements", default)
    assert wizard.check_result.valid == 2
    click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.outcome is not None, timeout=10000)
    assert "Stage history: 1 full, 0 partial, 1 none" in wizard.import_page.status.text()
    wizard.accept()

    history = tmp_path / "history.csv"
    history.write_text(HISTORY, encoding="utf-8")
    wizard = run_wizard(qtbot, main_window, history, "stage-history")
    assert wizard.check_result.updates == 1
    click_next(qtbot, wizard)
    qtbot.waitUntil(lambda: wizard.outcome is not None, timeout=10000)
    wizard.accept()
    with main_window.services.db.read() as s:
        w2 = s.scalars(select(EngagementRow).where(EngagementRow.external_id == "W2")).one()
        assert w2.opened_on == date(2026, 1, 5)
        known = s.scalars(
            select(StageChangeRow.entered_known).where(StageChangeRow.engagement_id == w2.id)
        ).all()
        assert known == [True, True]
