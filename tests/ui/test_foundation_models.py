"""The foundation's item models pass Qt's model tester and show real workspace data."""

from __future__ import annotations

from PySide6.QtCore import Qt

from nextlevel_desktop.domain.activities import ActivityColumn, ActivityFilter
from nextlevel_desktop.domain.models import ActivityStatus
from nextlevel_desktop.ui.designer.stage_model import StageTableModel
from nextlevel_desktop.ui.logger.activity_model import PAGE, ActivityTableModel


def test_activity_model_is_lazy_sorted_and_filtered(qtmodeltester, demo_services) -> None:
    model = ActivityTableModel(demo_services.activities)
    qtmodeltester.check(model)
    assert model.rowCount() == 3000
    last = model.index(2999, ActivityColumn.ACCOUNT)
    assert model.data(last)  # a far row loads its own page only
    assert len(model._pages) <= 2  # the tester read page 0; nothing in between was loaded
    model.set_filter(ActivityFilter(status=ActivityStatus.PLANNED))
    qtmodeltester.check(model)
    planned = model.rowCount()
    assert 0 < planned < 3000
    assert all(
        model.data(model.index(r, ActivityColumn.STATUS)) == "Planned" for r in range(planned)
    )
    model.sort(ActivityColumn.DATE, Qt.SortOrder.AscendingOrder)
    dates = [model.data(model.index(r, ActivityColumn.DATE)) for r in range(min(planned, PAGE))]
    assert dates == sorted(dates)


def test_activity_text_search(demo_services) -> None:
    model = ActivityTableModel(demo_services.activities)
    account = model.row(0).account_name
    model.set_filter(ActivityFilter(text=account))
    assert 0 < model.rowCount() < 3000
    assert all(model.row(r).account_name == account for r in range(model.rowCount()))


def test_stage_model(qtmodeltester, services) -> None:
    model = StageTableModel()
    process = services.processes.processes()[0]
    model.set_stages(process.active_stages)
    qtmodeltester.check(model)
    assert model.rowCount() == 7
    assert model.data(model.index(0, 0)) == "Suspect"
    assert model.row_of(process.active_stages[-1].id) == 6
