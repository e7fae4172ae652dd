"""The pipeline board as a rep reads and uses it: cards named like everything else, a stalled
card's line short enough for a narrow column, and a right-click menu with the toolbar's
actions for that card."""

from __future__ import annotations

import html
from datetime import UTC, datetime, timedelta

from logger_testing import OFFSCREEN_NOISE, settle
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu

from nextlevel_desktop.domain.models import Engagement, ProcessKind, Stage, StageCategory
from nextlevel_desktop.ui.engagements.board import EngagementRole, card_lines

pytestmark = OFFSCREEN_NOISE


def pipeline(main_window):  # type: ignore[no-untyped-def]
    area = main_window.activities
    main_window.show_area(1)
    area.tabs.setCurrentWidget(area.pipeline)
    panel = area.pipeline
    process = main_window.services.processes.processes_of_kind(ProcessKind.HUNTING)[0]
    panel.select_process(process.id)
    settle(main_window)
    return area, panel


def test_cards_are_named_by_their_engagement(main_window) -> None:  # type: ignore[no-untyped-def]
    """Two cards of one account looked identical, and messages named the engagement."""
    _area, panel = pipeline(main_window)
    items = [c.item(i) for c in panel.board.columns for i in range(c.count())]
    assert items
    for item in items:
        eng = item.data(EngagementRole)[0]
        assert item.text() == eng.name
        assert html.escape(eng.account_name) in item.toolTip()


def test_a_cards_figures_always_show_and_names_elide() -> None:
    stage = Stage(1, 1, "Prospect", 1, StageCategory.OPEN, expected_days=14)
    eng = Engagement(
        7, 1, "Quarry Opportunity 5", stage.id, owner_name="Maya Okafor",
        stage_entered_at=datetime.now(UTC) - timedelta(days=29),
    )  # fmt: skip
    eng = Engagement(
        **{**eng.__dict__, "account_name": "Quarry Media Ltd", "value_minor": 4_000_000}
    )
    assert card_lines(eng, 29, stage, "EUR") == (
        ("Quarry Media Ltd", "EUR 40,000"),
        ("Maya Okafor", "29 d (+15)"),
    )
    assert card_lines(eng, 3, stage, "EUR")[1] == ("Maya Okafor", "3 d")


def test_six_stages_fit_at_1280(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A six-stage process needed sideways scrolling at 1280 px."""
    from nextlevel_desktop.domain.changes import Changes
    from nextlevel_desktop.domain.processes import StageSpec

    services = main_window.services
    hunting = services.processes.processes_of_kind(ProcessKind.HUNTING)[0]
    services.processes.add_stage(hunting.id, StageSpec("Contract", expected_days=10), index=5)
    main_window.publish(Changes(processes=True, stages=True))
    main_window.resize(1280, 800)
    _area, panel = pipeline(main_window)
    qtbot.waitUntil(lambda: len(panel.board.columns) == 6)
    qtbot.wait(50)
    assert panel.board.horizontalScrollBar().maximum() == 0


def test_right_click_on_a_card_offers_its_actions(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    area, panel = pipeline(main_window)
    column = next(c for c in panel.board.columns if c.count())
    item = column.item(0)
    eng = item.data(EngagementRole)[0]
    pos = column.visualItemRect(item).center()
    # The event the platform makes of a right-click (QTest's clicks bypass that step).
    event = QContextMenuEvent(
        QContextMenuEvent.Reason.Mouse, pos, column.viewport().mapToGlobal(pos)
    )
    QApplication.sendEvent(column.viewport(), event)
    qtbot.waitUntil(lambda: panel.card_menu.isVisible(), timeout=3000)
    assert panel.current() is not None and panel.current().id == eng.id
    texts = [a.text().replace("&", "") for a in panel.card_menu.actions() if a.text()]
    for wanted in ("Move to", "Won…", "Lost…", "Edit…", "Log activity…", "Open account"):
        assert any(t.startswith(wanted.rstrip("…")) for t in texts), (wanted, texts)
    panel.card_menu.hide()

    panel.account_action.trigger()
    settle(main_window)
    assert area.tabs.currentWidget() is area.accounts
    assert area.accounts.account is not None and area.accounts.account.id == eng.account_id

    area.tabs.setCurrentWidget(panel)
    panel.select(eng.id)
    panel.log_action.trigger()
    dialog = main_window.quick_log_dialog()
    qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible())
    form = dialog.form
    assert form.account.account is not None and form.account.account.id == eng.account_id
    assert form.engagement.currentData() == eng.id
    assert dialog.focusWidget() is form.type  # the first field left to choose
    dialog.close()
    assert isinstance(panel.card_menu, QMenu)
