"""The Pipeline board, its list and the engagement dialog read on the reader thread: the GUI
thread shows the answer when it comes (a long pipeline sorted and grouped off it), and what
was asked for meanwhile (a selection) is applied then."""

from __future__ import annotations

from datetime import date

from logger_testing import OFFSCREEN_NOISE, on_modal, settle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QListWidget

from nextlevel_desktop.domain.engagements import EngagementColumn, EngagementDraft
from nextlevel_desktop.domain.models import ProcessKind
from nextlevel_desktop.ui.engagements.board import EngagementRole
from nextlevel_desktop.ui.engagements.dialogs import EngagementDialog
from nextlevel_desktop.ui.engagements.list_model import sort_key

pytestmark = OFFSCREEN_NOISE


def _pipeline(window, kind: ProcessKind):  # type: ignore[no-untyped-def]
    window.show_area(1)
    area = window.activities
    area.tabs.setCurrentWidget(area.pipeline)
    panel = area.pipeline
    process = window.services.processes.processes_of_kind(kind)[0]
    panel.select_process(process.id)
    settle(window)
    return panel, process


def _card_names(panel) -> set[str]:  # type: ignore[no-untyped-def]
    return {
        column.item(i).data(EngagementRole)[0].name
        for column in panel.board.columns
        for i in range(column.count())
    }


def test_board_and_list_show_the_answer_of_the_reader(qtbot, main_window) -> None:
    services = main_window.services
    panel, process = _pipeline(main_window, ProcessKind.HUNTING)
    eng = panel.board.columns[0].item(0).data(EngagementRole)[0]
    # Written behind the panel's back: a reload asks the reader; nothing changes until then.
    services.engagements.update(
        eng.id,
        EngagementDraft("Read off the GUI thread", eng.value_minor, eng.owner_id, eng.opened_on),
    )
    panel.reload()
    assert "Read off the GUI thread" not in _card_names(panel)
    settle(main_window)
    assert "Read off the GUI thread" in _card_names(panel)

    # The list: sorted as its header says (by the reader), closed ones with "Show closed".
    panel._set_view(1)
    panel.show_closed.setChecked(True)
    header = panel.table.horizontalHeader()
    header.setSortIndicator(1, Qt.SortOrder.AscendingOrder)  # account, A→Z
    settle(main_window)
    every = services.engagements.engagements(process.id, open_only=False)
    stages = {s.id: s for s in process.stages}
    today, account = date.today(), EngagementColumn.ACCOUNT
    expected = sorted(every, key=lambda e: (sort_key(e, account, stages, today), e.id))
    shown = [panel.model.id_at(r) for r in range(panel.model.rowCount())]
    assert shown == [e.id for e in expected] and any(e.outcome for e in every)
    panel.show_closed.setChecked(False)
    panel.reload()
    panel.select(eng.id)  # asked for while the rows are read: applied when they come
    settle(main_window)
    assert panel.current() is not None and panel.current().id == eng.id


def test_engagement_dialog_reads_its_history_off_the_gui_thread(qtbot, main_window) -> None:
    services = main_window.services
    panel, process = _pipeline(main_window, ProcessKind.HUNTING)
    column = next(c for c in panel.board.columns if c.count() and c.stage.position > 0)
    column.setCurrentRow(0)
    eng = panel.current()
    assert eng is not None
    history = services.engagements.history(eng.id)
    assert len(history) >= 1
    seen: list[list[str]] = []

    def read_it(dialog: QDialog) -> None:
        assert isinstance(dialog, EngagementDialog)
        box = dialog.history
        assert isinstance(box, QListWidget)
        seen.append([box.item(i).text() for i in range(box.count())])  # not read yet
        settle(main_window)
        seen.append([box.item(i).text() for i in range(box.count())])
        dialog.reject()

    on_modal(read_it)
    panel.edit_current()
    assert len(seen) == 2
    assert seen[0] == ["Reading…"]
    assert len(seen[1]) == len(history)
    assert history[-1].to_stage in seen[1][-1]
