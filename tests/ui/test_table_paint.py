"""What a repaint of the activity list costs the GUI thread (issue 14: log ≤ 30 ms, the Log
list's one repaint was ~18 of the save's ~27 ms of GUI time), and the interpreter surviving
PySide 6.12's uncounted ``None`` on Python 3.11."""

from __future__ import annotations

import threading

from logger_testing import OFFSCREEN_NOISE, run_script, settle
from PySide6.QtWidgets import QApplication

from nextlevel_desktop.ui.logger import activity_model
from nextlevel_desktop.ui.logger.activity_list import activity_table
from nextlevel_desktop.ui.logger.activity_model import ActivityTableModel
from nextlevel_desktop.ui.theme import AppStyle

pytestmark = OFFSCREEN_NOISE


class CountingStyle(AppStyle):
    """The app's style, counting the calls into its Python ``drawPrimitive``."""

    calls = 0

    def drawPrimitive(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        CountingStyle.calls += 1
        super().drawPrimitive(*args, **kwargs)


def test_the_activity_table_paints_its_cells_without_the_python_style(qtbot, demo_road) -> None:  # type: ignore[no-untyped-def]
    app = QApplication.instance()
    app.setStyle(CountingStyle())
    try:
        model = ActivityTableModel(demo_road.ops)
        table = activity_table(model)
        qtbot.addWidget(table)
        table.resize(1280, 700)
        table.show()
        settle(demo_road)
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
    model = ActivityTableModel(demo_road.ops)
    table = activity_table(model)
    qtbot.addWidget(table)
    table.resize(1280, 700)
    table.show()
    settle(demo_road)
    table.viewport().repaint()
    model.reload()
    settle(demo_road)
    table.viewport().repaint()
    # Formatted with the page on the reader thread (twice: read, read again), never in data().
    assert formatted and not any(formatted)
    assert model.index(0, 0).data() == moment_text(model.row(0).occurred_at)


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
