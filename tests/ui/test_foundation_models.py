"""The foundation's item models pass Qt's model tester and show real workspace data."""

from __future__ import annotations

from logger_testing import settle
from PySide6.QtCore import Qt

from nextlevel_desktop.domain.activities import ActivityColumn, ActivityFilter
from nextlevel_desktop.domain.models import ActivityStatus
from nextlevel_desktop.ui.designer.stage_model import StageTableModel
from nextlevel_desktop.ui.logger.activity_model import PAGE, ActivityTableModel


def test_activity_model_is_lazy_sorted_and_filtered(qtmodeltester, demo_road) -> None:  # type: ignore[no-untyped-def]
    model = ActivityTableModel(demo_road.ops)
    assert model.loading and model.rowCount() == 0  # counting, on the reader thread
    qtmodeltester.check(model)
    settle(demo_road)
    assert not model.loading and model.rowCount() == 3000
    qtmodeltester.check(model)  # counted, its first page on hand
    last = model.index(2999, ActivityColumn.ACCOUNT)
    changed: list[tuple[int, int]] = []
    model.dataChanged.connect(lambda first, end, *_: changed.append((first.row(), end.row())))
    assert model.data(last) is None  # not loaded: an empty cell, its page asked for
    settle(demo_road)
    assert model.data(last)  # a far row loads its own page only
    assert changed == [(2800, 2999)]
    assert len(model._pages) <= 2  # page 0 and the last; nothing in between was loaded
    model.set_filter(ActivityFilter(status=ActivityStatus.PLANNED))
    settle(demo_road)
    qtmodeltester.check(model)
    planned = model.rowCount()
    assert 0 < planned < 3000
    ids = model.ids(list(range(planned)))  # waits for the pages not yet loaded, and keeps them
    assert len(ids) == len(set(ids)) == planned
    assert all(
        model.data(model.index(r, ActivityColumn.STATUS)) == "Planned" for r in range(planned)
    )
    model.sort(ActivityColumn.DATE, Qt.SortOrder.AscendingOrder)
    settle(demo_road)
    model.data(model.index(0, 0))
    settle(demo_road)
    dates = [model.data(model.index(r, ActivityColumn.DATE)) for r in range(min(planned, PAGE))]
    assert dates == sorted(dates)


def test_activity_text_search(demo_road) -> None:  # type: ignore[no-untyped-def]
    model = ActivityTableModel(demo_road.ops)
    settle(demo_road)
    account = model.row(0).account_name
    model.set_filter(ActivityFilter(text=account))
    settle(demo_road)
    assert 0 < model.rowCount() < 3000
    model.ids(list(range(model.rowCount())))
    assert all(model.row(r).account_name == account for r in range(model.rowCount()))


def test_stage_model(qtmodeltester, services) -> None:
    model = StageTableModel()
    process = services.processes.processes()[0]
    model.set_rows(process.active_stages)
    qtmodeltester.check(model)
    assert model.rowCount() == 7
    assert model.data(model.index(0, 0)) == "Suspect"
    assert model.row_of(process.active_stages[-1].id) == 6
