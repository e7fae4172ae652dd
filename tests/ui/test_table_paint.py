"""What a repaint of the activity list costs the GUI thread (issue 14: log ≤ 30 ms, the Log
list's one repaint was ~18 of the save's ~27 ms of GUI time), and the interpreter surviving
PySide 6.12's uncounted ``None`` on Python 3.11."""

from __future__ import annotations

import threading

from logger_testing import OFFSCREEN_NOISE, run_script, settle
from PySide6.QtWidgets import QApplication, QStyledItemDelegate

from nextlevel_desktop.domain.activities import ActivityColumn, ActivityFilter
from nextlevel_desktop.domain.models import ActivityStatus
from nextlevel_desktop.ui.kit.cell_text import KeptTextDelegate
from nextlevel_desktop.ui.kit.tables import select_table_row
from nextlevel_desktop.ui.logger import activity_model
from nextlevel_desktop.ui.logger.activity_list import activity_table
from nextlevel_desktop.ui.logger.activity_model import ActivityTableModel
from nextlevel_desktop.ui.theme import AppStyle, apply_colour_scheme

pytestmark = OFFSCREEN_NOISE


class CountingStyle(AppStyle):
    """The app's style, counting the calls into its Python ``drawPrimitive``."""

    calls = 0

    def drawPrimitive(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        CountingStyle.calls += 1
        super().drawPrimitive(*args, **kwargs)


def shown_table(qtbot, road):  # type: ignore[no-untyped-def]
    """The activity table over ``road``'s workspace, shown at 1280×700 with its first page."""
    model = ActivityTableModel(road.ops)
    table = activity_table(model)
    qtbot.addWidget(table)
    table.resize(1280, 700)
    table.show()
    settle(road)
    return model, table


def test_the_activity_table_paints_its_cells_without_the_python_style(qtbot, demo_road) -> None:  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    app.setStyle(CountingStyle())
    try:
        model, table = shown_table(qtbot, demo_road)
        qtbot.waitExposed(table)
        assert model.rowCount() > 25
        CountingStyle.calls = 0
        table.viewport().repaint()
        # Two calls per cell before (its row and item panels): 400 a screen, each a Python
        # round trip, each dropping a reference to None on PySide 6.12 / Python 3.11.
        assert CountingStyle.calls == 0
        header = table.horizontalHeader()
        CountingStyle.calls = 0
        header.viewport().repaint()
        assert CountingStyle.calls > 0  # the header keeps the app's style: its sort arrows
    finally:
        app.setStyle(AppStyle())


def test_a_repaint_formats_no_cell_text_on_the_gui_thread(qtbot, demo_road, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    formatted: list[bool] = []
    moment_text = activity_model.moment_text

    def counted(moment):  # type: ignore[no-untyped-def]
        formatted.append(threading.current_thread() is threading.main_thread())
        return moment_text(moment)

    monkeypatch.setattr(activity_model, "moment_text", counted)
    model, table = shown_table(qtbot, demo_road)
    table.viewport().repaint()
    model.reload()
    settle(demo_road)
    table.viewport().repaint()
    # Formatted with the page on the reader thread (twice: read, read again), never in data().
    assert formatted and not any(formatted)
    assert model.index(0, 0).data() == moment_text(model.row(0).occurred_at)


def test_kept_text_cells_look_exactly_as_the_style_draws_them(qtbot, demo_road) -> None:  # type: ignore[no-untyped-def]
    model = ActivityTableModel(demo_road.ops)
    table = activity_table(model)
    qtbot.addWidget(table)
    table.resize(900, 500)  # narrow enough that some texts are elided
    table.show()
    kept = table.itemDelegate()
    assert isinstance(kept, KeptTextDelegate)
    try:
        # Done work (drawn from kept text), then every status (planned work first: the style's)
        for flt, drawn in ((ActivityFilter(status=ActivityStatus.DONE), 30), (ActivityFilter(), 0)):
            model.set_filter(flt)
            settle(demo_road)
            qtbot.waitExposed(table)
            select_table_row(table, 1)
            table.setFocus()
            for scheme in ("light", "dark"):
                apply_colour_scheme(scheme)
                table.setItemDelegate(kept)
                ours = table.viewport().grab().toImage()
                assert len(kept._kept) >= drawn  # cells drawn from kept text, not by the style
                table.setItemDelegate(QStyledItemDelegate(table))
                assert ours == table.viewport().grab().toImage(), scheme
    finally:
        apply_colour_scheme("light")


def test_plain_cells_repaint_without_asking_for_roles(qtbot, demo_road, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    asked: list[int] = []
    data = ActivityTableModel.data

    def counted(self, index, role=0):  # type: ignore[no-untyped-def]
        asked.append(role)
        return data(self, index, role)

    monkeypatch.setattr(ActivityTableModel, "data", counted)  # before the model is made
    model = ActivityTableModel(demo_road.ops, flt=ActivityFilter(status=ActivityStatus.DONE))
    table = activity_table(model)
    qtbot.addWidget(table)
    table.resize(1280, 700)
    table.show()
    settle(demo_road)
    qtbot.waitExposed(table)
    table.viewport().repaint()
    asked.clear()
    table.horizontalHeader().resizeSection(ActivityColumn.OUTCOME, 400)  # no elided outcomes
    table.viewport().repaint()
    # Seven roles of each of ~200 cells before (1,400 calls from C++ into Python a repaint).
    assert len(asked) <= 7 * 40  # only the elided cells (long names) are still the style's


NONE_DRAIN = """
from nextlevel_desktop.app import make_application
from PySide6.QtWidgets import QWidget
app = make_application()
widget = QWidget()
for _ in range(200_000):  # each took a reference from None (~5,000 here)
    widget.update()
print("alive")
"""


def test_the_app_outlives_more_void_qt_calls_than_none_has_references() -> None:
    # Before: "Fatal Python error: none_dealloc" (the script aborts: CalledProcessError).
    assert run_script(NONE_DRAIN).strip() == "alive"


def test_the_monitors_tables_paint_their_cells_without_the_python_style(qtbot) -> None:  # type: ignore[no-untyped-def]
    # Opening the at-risk list (a hundred rows) spent 30-85 ms in the style's Python: its
    # table (and every drill-down's) draws its cells with the C++ style, its header with the
    # app's (the sort arrows).
    from PySide6.QtWidgets import QProxyStyle, QTableView

    from nextlevel_desktop.ui.monitor.drilldown import configure_table
    from nextlevel_desktop.ui.monitor.tables import ValuesModel

    QApplication.instance().setStyle(AppStyle())  # as the app has it
    view = QTableView()
    qtbot.addWidget(view)
    model = ValuesModel(["Name", "Days"])
    view.setModel(model)
    assert isinstance(view.style(), AppStyle)  # its drawPrimitive is Python
    configure_table(view)
    assert not isinstance(view.style(), QProxyStyle)
    assert view.style().name() == QApplication.style().baseStyle().name()
    assert isinstance(view.horizontalHeader().style(), AppStyle)
    # Its columns are fitted to the rows when they come (once, not at every layout).
    narrow = view.columnWidth(0)
    model.set_rows([["A rather long engagement name, Acme Holdings", 3]])
    assert view.columnWidth(0) > narrow + 100
