"""The one rows model and the one id role: the table models answer ``IdRole`` with their row's
id; the Monitor's tables are rows models too. (The lazy account list answers it as well:
tests/ui/test_logger_models.py.)"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from nextlevel_desktop.domain.measures import Status
from nextlevel_desktop.domain.models import Process, ProcessKind
from nextlevel_desktop.domain.periods import quarter_of
from nextlevel_desktop.services.scorecards import Scope
from nextlevel_desktop.ui.accounts.models import AccountEngagementModel
from nextlevel_desktop.ui.engagements.list_model import EngagementTableModel
from nextlevel_desktop.ui.kit.rows_model import IdRole
from nextlevel_desktop.ui.monitor.tables import (
    STATUS_COLOURS,
    EngagementColumn,
    EngagementModel,
    ValuesModel,
)
from nextlevel_desktop.ui.people.panel import PeopleModel


def scope(process: Process) -> Scope:
    today = date.today()
    return Scope(process, None, quarter_of(today), today)


def test_models_answer_the_one_id_role(demo_services) -> None:  # type: ignore[no-untyped-def]
    s = demo_services
    process = s.processes.processes_of_kind(ProcessKind.HUNTING)[0]
    engagements = s.engagements.engagements(process.id, open_only=False)
    pipeline = EngagementTableModel()
    pipeline.set_rows(engagements, {st.id: st for st in process.stages}, "EUR", date.today())
    account = s.accounts.get(engagements[0].account_id)
    of_account = AccountEngagementModel()
    of_account.set_rows(s.engagements.engagements(account_id=account.id, open_only=False))
    people = PeopleModel()
    people.set_rows(s.people.people())
    monitor = EngagementModel()
    monitor.set_rows(s.scorecards.open_engagements(scope(process)))
    expected = {
        pipeline: engagements[0].id,
        of_account: of_account.row(0).id,
        people: people.row(0).id,
        monitor: monitor.row(0).id,
    }
    for model, row_id in expected.items():
        assert model.rowCount() > 0
        assert model.data(model.index(0, 0), IdRole) == row_id, type(model).__name__


def test_values_model_shows_numbers_statuses_and_gaps(qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    model = ValuesModel(["Measure", "Actual", "Status"], [["Calls", 12, Status.BEHIND]])
    qtmodeltester.check(model)
    model.set_rows([["Calls", None, Status.ON_TRACK], ["Win rate", "40 %", None]], ["M", "A", "S"])
    qtmodeltester.check(model)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(3)] == ["M", "A", "S"]
    assert [model.index(0, c).data() for c in range(3)] == ["Calls", "–", Status.ON_TRACK.label]
    status = model.index(0, 2).data(Qt.ItemDataRole.ForegroundRole)
    assert status == QColor(STATUS_COLOURS[Status.ON_TRACK])
    right = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert model.index(1, 1).data(Qt.ItemDataRole.TextAlignmentRole) == right
    assert model.index(1, 0).data(Qt.ItemDataRole.TextAlignmentRole) is None


def test_engagement_model_columns(qtmodeltester, demo_services) -> None:  # type: ignore[no-untyped-def]
    process = demo_services.processes.processes_of_kind(ProcessKind.HUNTING)[0]
    model = EngagementModel("EUR")
    model.set_rows(demo_services.scorecards.open_engagements(scope(process)))
    qtmodeltester.check(model)
    assert model.columnCount() == len(EngagementColumn)
    assert model.headerData(EngagementColumn.OVER, Qt.Orientation.Horizontal) == "Days over"
    value = model.index(0, EngagementColumn.VALUE)
    assert value.data(Qt.ItemDataRole.TextAlignmentRole) is not None
    assert "double-click" in model.index(0, EngagementColumn.NAME).data(Qt.ItemDataRole.ToolTipRole)


def test_a_view_measuring_and_painting_rows_reads_them_only_for_the_roles_answered(qtbot) -> None:  # type: ignore[no-untyped-def]
    """A view asks each cell for some eight roles while it measures its columns and paints;
    the roles a RowsModel does not answer are turned away before its rows are read (a
    2,000-row at-risk list held the GUI thread for 30–60 ms as its tab was shown)."""
    from PySide6.QtWidgets import QTableView

    from nextlevel_desktop.ui.monitor.drilldown import configure_table

    class Counted(list):  # type: ignore[type-arg]
        reads = 0

        def __getitem__(self, i):  # type: ignore[no-untyped-def]
            Counted.reads += 1
            return super().__getitem__(i)

    class Model(ValuesModel):
        calls = 0

        def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
            Model.calls += 1
            return super().data(index, role)

    model = Model(["A", "B", "C"], [(i, f"row {i}", Status.ON_TRACK) for i in range(2000)])
    model.rows = Counted(model.rows)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    configure_table(view)
    view.resize(600, 300)
    view.show()
    qtbot.waitExposed(view)
    view.grab()
    assert Model.calls > 100
    assert Counted.reads < Model.calls / 2
