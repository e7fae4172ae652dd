"""The expected close: a forecast the user edits, seen on board cards and in the Pipeline list,
never taken for the closing date; a stay entered at an unknown moment shows as unknown."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from PySide6.QtCore import QDate, QModelIndex, Qt

from nextlevel_desktop.domain.engagements import EngagementColumn
from nextlevel_desktop.domain.models import Engagement, ProcessKind, Stage, StageCategory
from nextlevel_desktop.ui.engagements.board import card_lines, card_tooltip
from nextlevel_desktop.ui.engagements.dialogs import NO_DATE, EngagementDialog
from nextlevel_desktop.ui.engagements.list_model import EngagementTableModel


def test_expected_close_is_edited_and_shown(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    services = main_window.services
    process = services.processes.processes_of_kind(ProcessKind.HUNTING)[0]
    eng = services.engagements.engagements(process.id)[0]
    assert eng.expected_close is None
    dialog = EngagementDialog(main_window, process, eng, None)
    qtbot.addWidget(dialog)
    assert dialog.expected.date() == NO_DATE and dialog.expected.text() == "Not set"
    dialog.expected.setDate(QDate(2027, 2, 26))
    draft = dialog.draft()
    assert draft.expected_close == date(2027, 2, 26) and draft.closed_on is None
    services.engagements.update(eng.id, draft)
    eng = next(e for e in services.engagements.engagements(process.id) if e.id == eng.id)
    assert eng.expected_close == date(2027, 2, 26)

    model = EngagementTableModel()
    stages = {s.id: s for s in process.stages}
    model.set_rows([eng], stages, "EUR", date(2026, 11, 27))
    index = model.index(0, EngagementColumn.EXPECTED_CLOSE)
    assert model.headerData(EngagementColumn.EXPECTED_CLOSE, Qt.Orientation.Horizontal) == (
        "Expected close"
    )
    assert "2027" in model.data(index) and model.rowCount(QModelIndex()) == 1
    stage = stages[eng.stage_id]
    (_account, value), _owner = card_lines(eng, 3, stage, "EUR")
    assert value.endswith(model.data(index))
    assert "Expected close:" in card_tooltip(eng, 3, stage)
    # Cleared again: "Not set" means none.
    dialog = EngagementDialog(main_window, process, eng, None)
    qtbot.addWidget(dialog)
    dialog.expected.setDate(NO_DATE)
    assert dialog.draft().expected_close is None


def test_a_stay_entered_at_an_unknown_moment_shows_as_unknown() -> None:
    stage = Stage(1, 1, "Prospect", 1, StageCategory.OPEN, expected_days=14)
    unknown = Engagement(7, 1, "Imported deal", stage.id, owner_name="Maya Okafor")
    assert card_lines(unknown, 0, stage, "EUR")[1] == ("Maya Okafor", "? d")
    assert "did not give" in card_tooltip(unknown, 0, stage)
    known = Engagement(
        8, 1, "Logged deal", stage.id, stage_entered_at=datetime.now(UTC) - timedelta(days=20)
    )
    model = EngagementTableModel()
    model.set_rows([unknown, known], {1: stage}, "EUR", date.today())
    days = [model.data(model.index(r, EngagementColumn.DAYS)) for r in range(2)]
    assert days == ["", "20 (stalled)"]
