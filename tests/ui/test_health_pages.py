"""The Monitor's Process health and Behaviour tabs through real widgets."""

from __future__ import annotations

from functools import partial

import pytest
from logger_testing import settle
from PySide6.QtCore import Qt

from nextlevel_desktop.domain import behaviour as bh
from nextlevel_desktop.domain import health as hl
from nextlevel_desktop.domain.models import ProcessKind

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def monitor(main_window, qtbot):  # type: ignore[no-untyped-def]
    area = main_window.monitor
    main_window.area_actions[2].trigger()
    qtbot.waitUntil(lambda: area.dashboard is not None)
    bar = area.dashboard.filter_bar
    bar.picker.kind.setCurrentIndex(bar.picker.kind.findData("quarter"))
    settle(area)
    return area


def hunting(area):  # type: ignore[no-untyped-def]
    return next(p for p in area.services.processes.processes() if p.kind is ProcessKind.HUNTING)


def test_health_tab_shows_each_open_stage_and_updates_the_design(monitor, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = monitor.health
    monitor.tabs.setCurrentWidget(page)
    proc = hunting(monitor)
    page.process_box.setCurrentIndex(page.process_box.findText(proc.name))
    settle(monitor)
    assert page.model.rowCount() == len(proc.open_stages)
    scope = monitor.dashboard.scope(proc)
    expected = monitor.services.health.stage_health(scope)
    assert page.rows == expected
    assert page.model.index(0, 1).data() == str(expected[0].entered)
    assert page.leak.text() and page.slow.text()
    assert scope.period.label in page.caption.text()
    updates = hl.measured_design(expected)
    assert page.update_button.isEnabled() == bool(updates)
    assert updates, "the demo quarter has enough entries to measure a design"
    dialog = page.update_design()
    assert dialog is not None and dialog.list.count() == len(updates)
    dialog.list.item(0).setCheckState(Qt.CheckState.Unchecked)  # keep the first as designed
    dialog.accept()
    settle(monitor)
    after = {s.id: s for s in monitor.services.processes.process(proc.id).stages}
    first, rest = updates[0], updates[1:]
    before = {s.id: s for s in proc.stages}
    assert after[first.stage_id] == before[first.stage_id]
    for u in rest:
        if u.expected_days is not None:
            assert after[u.stage_id].expected_days == u.expected_days[1]
        if u.target_conversion is not None:
            assert after[u.stage_id].target_conversion == u.target_conversion[1]
    # One undo step puts the whole design back; the page reads again.
    assert monitor.undo_stack.count() and "measurements" in monitor.undo_stack.undoText()
    monitor.undo_stack.undo()
    settle(monitor)
    assert {s.id: s for s in monitor.services.processes.process(proc.id).stages} == before
    assert page.rows == expected


def test_behaviour_tab_draws_the_chart_and_lists_signals(monitor, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = monitor.behaviour
    monitor.tabs.setCurrentWidget(page)
    proc = hunting(monitor)
    page.process_box.setCurrentIndex(page.process_box.findText(proc.name))
    settle(monitor)
    qtbot.waitUntil(lambda: page.panel.draw_count > 0)
    chart = page.chart
    assert chart is not None and len(chart.points) == 26 and chart.baseline == 12
    assert page.signals.count() == len(bh.signal_runs(chart))
    assert page.signals_title.text()
    # A baseline of 6: the limits come from the first six points only.
    page.baseline_box.setValue(6)
    settle(monitor)
    assert page.chart is not None and page.chart.baseline == 6
    assert page.chart.centre == pytest.approx(sum(p.value for p in chart.points[:6]) / 6)
    page.measure_box.setCurrentIndex(page.measure_box.findData(bh.Measure.CYCLE_DAYS))
    page.bucket_box.setCurrentIndex(1)
    settle(monitor)
    assert page.chart is not None
    assert all(p.start.day == 1 for p in page.chart.points)
    page.panel.table_button.setChecked(True)
    assert page.panel.table_model.rowCount() == len(page.chart.points)


def test_the_health_chart_drawn_again_shows_what_a_fresh_one_shows(monitor) -> None:  # type: ignore[no-untyped-def]
    """The page's figure keeps its two plots from draw to draw (emptied and filled again):
    hunting's chart, then farming's, is farming's fresh chart pixel for pixel."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from nextlevel_desktop.render.charts import LIGHT
    from nextlevel_desktop.render.health import draw_health
    from nextlevel_desktop.render.layout import RowLayout

    plots: list = []  # type: ignore[type-arg]

    def pixels(*draws):  # type: ignore[no-untyped-def]
        fig = Figure(figsize=(12.8, 4.0), dpi=100, layout=RowLayout())
        FigureCanvasAgg(fig)
        for draw in draws:
            draw(fig, LIGHT)
            fig.canvas.draw()
            plots.append(list(fig.axes))
        return fig, np.asarray(fig.canvas.buffer_rgba()).copy()

    draws = [
        partial(
            draw_health, monitor.services.health.stage_health(monitor.dashboard.scope(p)), "C", "D"
        )
        for p in monitor.dashboard.processes()
    ]
    assert len(draws) == 2
    _, again = pixels(*draws)
    assert plots[0] == plots[1] and len(plots[1]) == 2  # the same two plots, drawn again
    _, alone = pixels(draws[1])
    assert np.array_equal(again, alone)
    _, first = pixels(draws[0])
    assert not np.array_equal(first, alone)
