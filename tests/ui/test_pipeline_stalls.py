"""The Pipeline tab keeps the GUI thread free (issue 14: no stall over 50 ms): the reader
thread reads, sorts and writes out what the view on screen shows, one engagement at a time;
the GUI thread only swaps it in. A list of every engagement of a process (about 70,000 in a
large workspace) is plain values the garbage collector never walks, and showing it leaves the
board alone."""

from __future__ import annotations

import gc
from array import array
from datetime import date

from logger_testing import OFFSCREEN_NOISE, settle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from nextlevel_desktop.domain.engagements import EngagementColumn
from nextlevel_desktop.domain.models import ProcessKind
from nextlevel_desktop.ui.engagements.board import MAX_CARDS, board_columns

pytestmark = OFFSCREEN_NOISE


def _list_of_every_engagement(main_window):  # type: ignore[no-untyped-def]
    main_window.show_area(1)
    area = main_window.activities
    area.tabs.setCurrentWidget(area.pipeline)
    panel = area.pipeline
    process = main_window.services.processes.processes_of_kind(ProcessKind.HUNTING)[0]
    panel.select_process(process.id)
    panel._set_view(1)
    panel.show_closed.setChecked(True)
    settle(main_window)
    return panel, process


def test_the_list_holds_plain_values_and_leaves_the_board_alone(main_window) -> None:  # type: ignore[no-untyped-def]
    panel, process = _list_of_every_engagement(main_window)
    every = main_window.services.engagements.engagements(process.id, open_only=False)
    table = panel.model.table
    assert sorted(table.ids) == sorted(e.id for e in every) and len(table.lines) == len(every)
    # The ids as machine integers in one array, a string per row: nothing the collector
    # walks on the GUI thread (its ``Engagement`` objects were ~70,000 of them).
    assert isinstance(table.ids, array) and isinstance(table.lines, list)
    assert not any(gc.is_tracked(line) for line in table.lines)
    # Every cell still shows, from that line.
    row = panel.model.row_of(every[0].id)
    assert panel.model.data(panel.model.index(row, EngagementColumn.NAME)) == every[0].name

    # The list shown again (closed ones hidden): the board, not on screen, is not rebuilt.
    columns = list(panel.board.columns)
    panel.show_closed.setChecked(False)
    settle(main_window)
    assert panel.model.rowCount() == sum(e.outcome is None for e in every)
    assert panel.board.columns == columns


def test_a_header_click_sorts_on_the_reader_thread(main_window) -> None:  # type: ignore[no-untyped-def]
    """Sorting tens of thousands of rows in the click's handler was a stall of its own."""
    panel, process = _list_of_every_engagement(main_window)
    before = [panel.model.id_at(r) for r in range(panel.model.rowCount())]
    panel.table.horizontalHeader().setSortIndicator(
        EngagementColumn.NAME, Qt.SortOrder.AscendingOrder
    )
    # Asked for, not done in the click: the rows shown are those of before until it answers.
    assert not main_window.ops.idle
    assert [panel.model.id_at(r) for r in range(panel.model.rowCount())] == before
    settle(main_window)
    every = main_window.services.engagements.engagements(process.id, open_only=False)
    expected = sorted(every, key=lambda e: (e.name.casefold(), e.id))
    assert [panel.model.id_at(r) for r in range(panel.model.rowCount())] == [e.id for e in expected]


def test_the_board_keeps_each_columns_oldest_cards(main_window) -> None:  # type: ignore[no-untyped-def]
    """Each column shows its oldest MAX_CARDS cards and counts the rest."""
    services = main_window.services
    process = services.processes.processes_of_kind(ProcessKind.HUNTING)[0]
    today = date.today()
    columns = board_columns(process, services.engagements.board(process, today, 3), today, "EUR")
    open_rows = services.engagements.engagements(process.id)
    for column in columns:
        mine = [e for e in open_rows if e.stage_id == column.stage.id]
        assert column.count == len(mine)
        assert column.value_minor == sum(e.value_minor for e in mine)
        days = [d for d, _e, _tip, _lines in column.cards]
        assert len(days) == min(len(mine), 3) and days == sorted(days, reverse=True)
    assert MAX_CARDS == 100


def test_board_columns_are_painted_without_style_sheets(main_window) -> None:  # type: ignore[no-untyped-def]
    """A style sheet on each column restyled every card list and label in it when the board
    was rebuilt (another process chosen): tens of milliseconds on the GUI thread."""
    main_window.show_area(1)
    area = main_window.activities
    area.tabs.setCurrentWidget(area.pipeline)
    settle(main_window)
    board = area.pipeline.board
    assert board.columns
    styled = [w for w in board.widget().findChildren(QWidget) if w.styleSheet()]
    assert styled == []
