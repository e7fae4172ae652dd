"""Text a user typed shows literally everywhere: names that look like HTML or mathtext stay text."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from nextlevel_desktop.domain.errors import ValidationError
from nextlevel_desktop.domain.models import ProcessKind
from nextlevel_desktop.render.charts import LIGHT, plot_time_in_stage
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.ui.designer.process_map import ProcessMap
from nextlevel_desktop.ui.engagements.board import MAX_CARDS, Board, board_columns
from nextlevel_desktop.ui.errors import show_error
from nextlevel_desktop.ui.monitor.tiles import KpiTile, Tile
from nextlevel_desktop.ui.plain_text import plain_label, tip

HOSTILE = ("<b>X</b>", "<img src=x>")


def _rename_first_stage(services: Services, name: str) -> int:
    proc = services.processes.processes_of_kind(ProcessKind.HUNTING)[0]
    stage = proc.active_stages[0]
    services.processes.rename_stage(stage.id, name)
    return stage.id


@pytest.mark.parametrize("name", HOSTILE)
def test_board_header_and_cards_show_a_stage_name_literally(
    qtbot, demo_services: Services, name: str
) -> None:  # type: ignore[no-untyped-def]
    _rename_first_stage(demo_services, name)
    proc = demo_services.processes.processes_of_kind(ProcessKind.HUNTING)[0]
    read = demo_services.engagements.board(proc, date.today(), MAX_CARDS)
    board = Board()
    qtbot.addWidget(board)
    board.show_columns(board_columns(proc, read, date.today(), "EUR"), "EUR")
    header = board.headers[0]
    assert header.textFormat() == Qt.TextFormat.RichText
    assert name not in header.text()
    assert f"<b>{name.replace('<', '&lt;').replace('>', '&gt;')}</b>" in header.text()
    board.show()
    qtbot.waitExposed(board)
    cards = board.columns[0]
    if cards.count():
        assert cards.item(0).toolTip().startswith("<qt>")
        assert "&lt;" in cards.item(0).toolTip() or "<" not in proc.active_stages[0].guidance


@pytest.mark.parametrize("name", HOSTILE)
def test_process_map_tooltip_shows_a_stage_name_literally(
    qtbot, demo_services: Services, name: str
) -> None:  # type: ignore[no-untyped-def]
    sid = _rename_first_stage(demo_services, name)
    view = ProcessMap()
    qtbot.addWidget(view)
    view.set_processes(demo_services.processes.processes())
    view.show()
    qtbot.waitExposed(view)
    view.repaint()  # names are painted with drawText: plain by nature
    text = view.tooltip_for(sid)
    assert name not in text
    assert name.replace("<", "&lt;").replace(">", "&gt;") in text


def test_kpi_tile_labels_are_plain(qtbot) -> None:  # type: ignore[no-untyped-def]
    tile = KpiTile(Tile("<img src=x> calls", "3", tooltip="<b>4</b> target"))
    qtbot.addWidget(tile)
    assert tile.title_label.textFormat() == Qt.TextFormat.PlainText
    assert tile.title_label.text() == "<img src=x> calls"
    assert tile.toolTip() == "<qt>&lt;img src=x&gt; calls<br>&lt;b&gt;4&lt;/b&gt; target</qt>"


def test_helpers() -> None:
    assert plain_label("<b>x</b>").textFormat() == Qt.TextFormat.PlainText
    assert tip("a <i>b</i>\nc") == "<qt>a &lt;i&gt;b&lt;/i&gt;<br>c</qt>"
    assert tip("") == ""


def test_error_message_box_is_plain_text(qtbot) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[Qt.TextFormat, str]] = []

    def close() -> None:
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QMessageBox) and w.isVisible():
                seen.append((w.textFormat(), w.text()))
                w.accept()

    QTimer.singleShot(0, close)
    show_error(None, ValidationError("There is already a stage called “<img src=x>”."))
    # Shown literally: the name is escaped inside the rich text Qt renders.
    assert seen == [
        (Qt.TextFormat.AutoText, "<qt>There is already a stage called “&lt;img src=x&gt;”.</qt>")
    ]


def test_field_errors_quote_names_as_plain_text(qtbot, main_window) -> None:  # type: ignore[no-untyped-def]
    labels = [
        w
        for w in main_window.findChildren(QLabel)
        if w.objectName() in ("inlineError", "designerMessage", "editorStatus")
    ]
    assert labels
    assert all(w.textFormat() == Qt.TextFormat.PlainText for w in labels)


@pytest.mark.parametrize("name", ["$\\frac$", "Save $5 or $10", "a_b^c"])
def test_charts_draw_names_as_text_not_mathtext(tmp_path: Path, name: str) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from nextlevel_desktop.render.format import literal_text

    figure = Figure()
    FigureCanvasAgg(figure)
    with literal_text():
        ax = figure.add_subplot()
        plot_time_in_stage(ax, [name, "Other"], [3.0, 4.0], [5, None], [0, 1], LIGHT, title=name)
    figure.canvas.draw()  # mathtext would fail on "$\frac$"
    labels = [t.get_text() for t in ax.get_yticklabels() + ax.get_xticklabels()]
    assert name in labels
    figure.savefig(tmp_path / "chart.png")
