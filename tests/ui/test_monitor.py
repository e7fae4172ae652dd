"""The Monitor through real widgets: filters, tiles, charts, drill-down, export, tables."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from logger_testing import settle
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from nextlevel_desktop.domain.changes import Changes
from nextlevel_desktop.domain.models import ProcessKind
from nextlevel_desktop.ui.monitor.dashboard import CHARTS
from nextlevel_desktop.ui.plain_text import tip

# The offscreen platform cannot size top-level dialogs and says so; that is not our warning.
pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def monitor(main_window, qtbot):  # type: ignore[no-untyped-def]
    area = main_window.monitor
    assert area.dashboard is None  # nothing (and no matplotlib) until the Monitor is shown
    main_window.area_actions[2].trigger()  # View > Monitor (Ctrl+3)
    assert main_window.area_actions[2].shortcut().toString() == "Ctrl+3"
    assert main_window.stack.currentWidget() is area
    qtbot.waitUntil(lambda: area.dashboard is not None)
    settle(area)  # the numbers, then the open chart, drawn on the chart thread
    assert area.dashboard.panel("activity").draw_count > 0
    return area


def centre(box) -> QPoint:  # type: ignore[no-untyped-def]
    return QPoint(round((box.x0 + box.x1) / 2), round((box.y0 + box.y1) / 2))


def click_bar(qtbot, panel, hit) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(panel.view, Qt.MouseButton.LeftButton, pos=centre(hit))


def test_filters_drive_tiles(monitor, qtbot) -> None:  # type: ignore[no-untyped-def]
    dash = monitor.dashboard
    bar = dash.filter_bar
    assert len(dash.grids) == 2  # both processes by default
    hunting = next(p for p in dash.processes() if p.kind is ProcessKind.HUNTING)
    bar.process.setCurrentIndex(bar.process.findData(hunting.id))
    settle(monitor)
    assert [c.scope.process.id for c in dash.cards] == [hunting.id]
    assert len(dash.grids) == 1
    titles = [t.tile.title for t in dash.grids[hunting.id].tiles]
    assert "Win rate" in titles and "Open pipeline" in titles
    no_target = next(t for t in dash.grids[hunting.id].tiles if t.tile.title == "Open pipeline")
    assert no_target.tile.status is None and no_target.status_text == ""
    assert no_target.detail_label.text() == "no target"
    bar.person.setCurrentIndex(2)
    settle(monitor)
    assert dash.cards[0].scope.person_id == bar.person.currentData()
    assert bar.person.currentText() in dash.grids[hunting.id].heading.text()
    before = bar.picker.period
    qtbot.mouseClick(bar.picker.prev_button, Qt.MouseButton.LeftButton)
    settle(monitor)
    assert bar.picker.period == before.previous() == dash.cards[0].scope.period
    bar.picker.kind.setCurrentIndex(bar.picker.kind.findData("quarter"))
    settle(monitor)
    assert dash.cards[0].scope.period.kind.value == "quarter"
    bar.compare.setChecked(True)
    settle(monitor)
    assert dash.previous[0] is not None
    assert dash.previous[0].scope.period == dash.cards[0].scope.period.previous()
    assert any(t.delta_label.text() for t in dash.grids[hunting.id].tiles)
    bar.picker.kind.setCurrentIndex(bar.picker.kind.findData("custom"))
    bar.picker.start_edit.setDate(bar.picker.start_edit.date().addDays(-10))
    settle(monitor)
    assert dash.cards[0].scope.period.kind.value == "custom"


def test_charts_redraw_only_when_needed(monitor, main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    dash = monitor.dashboard
    panel = dash.panel("activity")
    dash.chart_tabs.setCurrentWidget(panel)
    drawn = panel.draw_count
    assert drawn >= 1 and panel.hits
    funnel = dash.panel("funnel")
    dash.chart_tabs.setCurrentWidget(funnel)
    settle(monitor)
    dash.chart_tabs.setCurrentWidget(panel)
    settle(monitor)
    assert panel.draw_count == drawn  # switching tabs does not redraw
    refreshes = dash.refresh_count
    main_window.publish(Changes(reviews=True))  # not data the dashboard shows
    settle(monitor)
    assert dash.refresh_count == refreshes and panel.draw_count == drawn
    main_window.publish(Changes(activities=True))
    settle(monitor)
    assert dash.refresh_count == refreshes + 1 and panel.draw_count == drawn + 1
    main_window.show_area(0)
    main_window.publish(Changes(activities=True))  # hidden: refresh waits until shown
    settle(monitor)
    assert dash.refresh_count == refreshes + 1
    main_window.show_area(2)
    settle(monitor)
    assert dash.refresh_count == refreshes + 2


def test_click_activity_bar_lists_activities(monitor, qtbot) -> None:  # type: ignore[no-untyped-def]
    from nextlevel_desktop.ui.monitor.drilldown import DrillDownDialog

    dash = monitor.dashboard
    panel = dash.panel("activity")
    dash.chart_tabs.setCurrentWidget(panel)
    hit = next(h for h in panel.hits if h.key)
    count = int(hit.tooltip.rsplit(": ", 1)[1].replace(",", ""))
    click_bar(qtbot, panel, hit)
    dialog = dash.findChildren(DrillDownDialog)[-1]
    assert dialog.isVisible() and "Loading…" in dialog.head.text()  # at once, then the rows
    settle(monitor)
    assert dialog.model.rowCount() == count
    assert f"{count:,} activities" in dialog.head.text().replace("\u202f", ",")
    dialog.close()


def test_click_stage_bar_and_open_engagement(monitor, qtbot, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    from nextlevel_desktop.ui.monitor.drilldown import DrillDownDialog, EngagementDialog

    dash = monitor.dashboard
    panel = dash.panel("pipeline")
    dash.chart_tabs.setCurrentWidget(panel)
    settle(monitor)
    hit = next(
        h
        for h in panel.hits
        if h.key
        and h.key[0] is not None
        and "Open: " in h.tooltip
        and not h.tooltip.endswith("Open: 0")
    )
    click_bar(qtbot, panel, hit)
    dialog = dash.findChildren(DrillDownDialog)[-1]
    settle(monitor)
    assert dialog.model.rowCount() > 0
    qtmodeltester.check(dialog.model)
    qtbot.waitExposed(dialog)
    first = dialog.model.index(0, 0)
    rect = dialog.view.visualRect(first)
    qtbot.mouseClick(dialog.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(dialog.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    settle(monitor)  # the engagement is read on the reader thread, then shown
    details = dialog.findChildren(EngagementDialog)
    assert details and details[-1].windowTitle() == dialog.model.row(0).name
    assert details[-1].history.rowCount() >= 1
    details[-1].close()
    dialog.close()
    for key in ("funnel", "time", "trend"):
        dash.chart_tabs.setCurrentWidget(dash.panel(key))
        settle(monitor)
        clickable = [h for h in dash.panel(key).hits if h.key]
        assert clickable
        opened = dash.drill(key, clickable[0].key)
        assert opened is not None
        settle(monitor)
        assert "Loading" not in opened.head.text()
        opened.close()


def test_show_as_table_and_export(monitor, qtbot, qtmodeltester, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dash = monitor.dashboard
    for key, *_ in CHARTS:
        panel = dash.panel(key)
        dash.chart_tabs.setCurrentWidget(panel)
        settle(monitor)
        qtbot.mouseClick(panel.table_button, Qt.MouseButton.LeftButton)
        assert panel.stack.currentWidget() is panel.table_view, key
        assert panel.table_model.rowCount() > 0, key
        qtmodeltester.check(panel.table_model)
        qtbot.mouseClick(panel.table_button, Qt.MouseButton.LeftButton)
        assert panel.view.isVisible() and panel.view.image is not None
    panel = dash.panel("funnel")
    for ext, magic in ((".png", b"\x89PNG"), (".svg", b"<?xml"), (".pdf", b"%PDF")):
        out = panel.export(tmp_path / f"chart{ext}")
        assert out.read_bytes().startswith(magic)
    assert panel.export(tmp_path / "chart", "SVG drawing (*.svg)").suffix == ".svg"


def test_stalled_list(monitor, qtbot, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    from nextlevel_desktop.ui.monitor.drilldown import EngagementDialog

    dash = monitor.dashboard
    model = dash.risk_model
    assert model.rowCount() == 0  # loaded only when its tab is shown
    dash.chart_tabs.setCurrentIndex(dash.chart_tabs.count() - 1)
    settle(monitor)
    assert model.rowCount() > 0
    assert f"({model.rowCount()})" in dash.chart_tabs.tabText(dash.chart_tabs.count() - 1)
    qtmodeltester.check(model)
    overs = [model.row(r).days_over for r in range(model.rowCount())]
    assert overs == sorted(overs, reverse=True) and overs[0] > 0
    dash.chart_tabs.setCurrentIndex(dash.chart_tabs.count() - 1)
    rect = dash.risk_view.visualRect(model.index(0, 0))
    qtbot.mouseClick(dash.risk_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(dash.risk_view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    settle(monitor)  # the engagement is read on the reader thread, then shown
    assert dash.findChildren(EngagementDialog)


def test_dark_scheme_redraws(monitor, qtbot) -> None:  # type: ignore[no-untyped-def]
    from nextlevel_desktop.ui.theme import apply_colour_scheme

    panel = monitor.dashboard.panel("activity")
    monitor.dashboard.chart_tabs.setCurrentWidget(panel)
    drawn = panel.draw_count
    light_bg = panel.view.image.pixelColor(2, 2)
    try:
        apply_colour_scheme("dark")
        QApplication.processEvents()
        settle(monitor)
        assert panel.draw_count == drawn + 1
        dark_bg = panel.view.image.pixelColor(2, 2)
        assert dark_bg.lightnessF() < 0.5 < light_bg.lightnessF()
    finally:
        apply_colour_scheme("light")


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # the tooltip window, offscreen
def test_hover_shows_exact_values(monitor, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QToolTip

    dash = monitor.dashboard
    panel = dash.panel("funnel")
    dash.chart_tabs.setCurrentWidget(panel)
    settle(monitor)
    hit = next(h for h in panel.hits if h.key)
    qtbot.mouseMove(panel.view, centre(hit))
    qtbot.waitUntil(lambda: QToolTip.isVisible())
    # Shown literally (stage names escaped): the hit's text, line breaks and all.
    assert QToolTip.text() == tip(hit.tooltip) and "Entered:" in hit.tooltip


def test_matplotlib_is_not_imported_at_start_up() -> None:
    import subprocess

    code = (
        "import sys; import nextlevel_desktop.app, nextlevel_desktop.ui.main_window; "
        "sys.exit(1 if 'matplotlib' in sys.modules else 0)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_chart_buttons_wait_for_a_chart(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from nextlevel_desktop.ui.monitor.canvas import ChartPanel

    panel = ChartPanel(main_window.ops, "Empty")
    qtbot.addWidget(panel)
    assert not panel.export_button.isEnabled() and not panel.table_button.isEnabled()
    panel.set_content(lambda _figure, _theme: [], lambda: (["a"], [[1]]))
    assert panel.export_button.isEnabled() and panel.table_button.isEnabled()


def test_charts_are_drawn_off_the_gui_thread_and_their_bars_drill_down(monitor, qtbot) -> None:  # type: ignore[no-untyped-def]
    import os
    from functools import partial

    from chart_probe import noting_process
    from PySide6.QtGui import QColor

    from nextlevel_desktop.render import chart_process
    from nextlevel_desktop.render.palette import PALETTE
    from nextlevel_desktop.ui.monitor.drilldown import DrillDownDialog

    dash = monitor.dashboard
    panel = dash.panel("funnel")
    dash.chart_tabs.setCurrentWidget(panel)
    settle(monitor)
    content = monitor.ops.read_now(dash.chart_read("funnel"))
    panel.set_content(partial(noting_process, content.draw), content.table)
    settle(monitor)
    drawn_in = {h.tooltip for h in panel.hits if h.tooltip.startswith("drawn in")}
    # matplotlib ran in the drawing process, not in this one
    assert drawn_in == {f"drawn in {chart_process.shared().pid}"} != {f"drawn in {os.getpid()}"}
    image, view = panel.view.image, panel.view
    ratio = view.devicePixelRatioF()
    assert (image.width(), image.height()) == (
        round(view.width() * ratio),
        round(view.height() * ratio),
    )
    hit = next(h for h in panel.hits if h.key and "Moved forward" in h.tooltip)
    # The box is where the bar was painted: the bar's colour there (left of the target tick
    # drawn across the bar), not the background's.
    x, y = hit.x0 + (hit.x1 - hit.x0) / 4, (hit.y0 + hit.y1) / 2
    painted = image.pixelColor(round(x * ratio), round(y * ratio))
    assert painted != image.pixelColor(1, 1)
    assert (
        painted.hue() == QColor(PALETTE.hunting).hue()
        or painted.hue() == QColor(PALETTE.farming).hue()
    )
    click_bar(qtbot, panel, hit)
    dialog = dash.findChildren(DrillDownDialog)[-1]
    settle(monitor)
    assert dialog.isVisible() and dialog.model.rowCount() > 0
    dialog.close()
    outside = QPoint(2, 2)  # the figure's margin: no bar, nothing opens
    opened = len(dash.findChildren(DrillDownDialog))
    qtbot.mouseClick(panel.view, Qt.MouseButton.LeftButton, pos=outside)
    assert len(dash.findChildren(DrillDownDialog)) == opened


def test_a_long_list_fits_its_columns_without_reading_every_row(qtbot) -> None:  # type: ignore[no-untyped-def]
    """The at-risk list of a large workspace holds thousands of engagements: fitting the
    columns reads the rows on screen and a few more, not a thousand (seconds on the GUI
    thread)."""
    from PySide6.QtWidgets import QTableView

    from nextlevel_desktop.services.scorecards import EngagementLine
    from nextlevel_desktop.ui.monitor.drilldown import ROWS_MEASURED, configure_table
    from nextlevel_desktop.ui.monitor.tables import EngagementModel

    rows_read: set[int] = set()

    class Counting(EngagementModel):
        def cell(self, row, column):  # type: ignore[no-untyped-def]
            rows_read.add(row.id)
            return super().cell(row, column)

    model = Counting()
    model.set_rows(
        [
            EngagementLine(i, f"Deal {i}", "Acme", "Ann", "Proposal", 100, 40, 20)
            for i in range(3000)
        ]
    )
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    configure_table(view)
    view.resize(800, 400)
    view.show()
    qtbot.waitExposed(view)
    on_screen = view.rowAt(view.viewport().height() - 1) + 1
    assert 0 < on_screen < len(rows_read) <= on_screen + ROWS_MEASURED + 5
    assert view.horizontalHeader().sectionSize(0) > view.fontMetrics().horizontalAdvance("Deal")


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # the tooltip window, offscreen
def test_only_the_open_chart_is_made_the_others_when_first_shown(monitor, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QToolTip

    from nextlevel_desktop.ui.monitor.drilldown import DrillDownDialog

    dash = monitor.dashboard
    assert list(dash.panels) == ["activity"]  # the open tab's chart only (six panels before)
    dash.chart_tabs.setCurrentIndex(1)  # the Funnel tab, as a click on it does
    qtbot.waitUntil(lambda: dash.chart_tabs.currentWidget() is dash.panels.get("funnel"))
    funnel = dash.panels["funnel"]
    qtbot.waitUntil(lambda: funnel.draw_count > 0 and not dash.stale_charts["funnel"].is_stale)
    settle(monitor)
    assert list(dash.panels) == ["activity", "funnel"]
    assert dash.chart_tabs.tabText(1) == "Funnel"
    hit = next(h for h in funnel.hits if h.key)
    qtbot.mouseMove(funnel.view, centre(hit))  # hover: the bar's exact values
    qtbot.waitUntil(lambda: QToolTip.isVisible())
    assert QToolTip.text() == tip(hit.tooltip)
    click_bar(qtbot, funnel, hit)  # drill-down: the engagements behind the bar
    dialog = dash.findChildren(DrillDownDialog)[-1]
    settle(monitor)
    assert dialog.isVisible() and dialog.model.rowCount() > 0
    dialog.close()
    monitor.on_changes(Changes(activities=True))  # a write: both made charts follow it
    settle(monitor)
    qtbot.waitUntil(lambda: not funnel.drawing)
    assert funnel.draw_count == 2 and dash.stale_charts["activity"].is_stale


def test_each_processs_first_tiles_are_made_on_a_turn_of_their_own(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    # Both processes' new tiles in one turn held the GUI thread 25-30 ms at start-up.
    from PySide6.QtCore import QTimer

    area = main_window.monitor
    grids_each_turn: list[int] = []
    each_turn = QTimer()
    each_turn.setInterval(0)
    each_turn.timeout.connect(
        lambda: grids_each_turn.append(len(area.dashboard.grids) if area.dashboard else 0)
    )
    each_turn.start()
    main_window.show_area(2)
    qtbot.waitUntil(lambda: area.dashboard is not None and len(area.dashboard.grids) == 2)
    each_turn.stop()
    assert 1 in grids_each_turn  # the first process's tiles, then on a later turn the second's
    assert all(len(grid.tiles) > 3 for grid in area.dashboard.grids.values())
