"""What a chart costs to draw on the chart thread and to paint on the GUI thread: the same
pixels for less work (counted, not timed)."""

from __future__ import annotations

import numpy as np
import pytest
from logger_testing import settle
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PySide6.QtGui import QImage

from nextlevel_desktop.render import charts, raster
from nextlevel_desktop.render.chart_style import bars, legend, plots
from nextlevel_desktop.render.format import integer_ticks
from nextlevel_desktop.render.layout import RowLayout

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
SERIES = {f"Type {i}": [10 * i + j for j in range(6)] for i in range(1, 8)}
LABELS = [f"W{j}" for j in range(6)]


def figure() -> Figure:
    fig = Figure(figsize=(11.1, 2.7), dpi=100, layout=RowLayout())
    FigureCanvasAgg(fig)
    return fig


def pixels(fig: Figure) -> np.ndarray:  # type: ignore[type-arg]
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


def count_calls(monkeypatch: pytest.MonkeyPatch, owner: object, name: str) -> list[int]:
    """Count the calls of ``owner.name`` (which still runs)."""
    calls: list[int] = []
    real = getattr(owner, name)

    def counted(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


@pytest.mark.parametrize("horizontal", [False, True])
def test_bars_draw_what_ax_bar_draws(horizontal: bool) -> None:
    """The same rectangles, legend entries and autoscaled limits as ``ax.bar``/``ax.barh``."""
    drawn = []
    for ours in (False, True):
        fig = figure()
        ax = fig.subplots()
        bottom = [0.0] * 6
        for i, (name, values) in enumerate(SERIES.items()):
            colour, alpha = f"C{i}", 0.35 if i % 2 else None
            if ours:
                bars(ax, range(6), values, 0.68, bottom, color=colour, label=name, alpha=alpha,
                     horizontal=horizontal)  # fmt: skip
            elif horizontal:
                ax.barh(range(6), values, 0.68, bottom, color=colour, label=name, alpha=alpha)
            else:
                ax.bar(range(6), values, 0.68, bottom, color=colour, label=name, alpha=alpha)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        legend(ax, charts.LIGHT)
        drawn.append((pixels(fig), ax.get_xlim(), ax.get_ylim()))
    (old, *old_limits), (new, *new_limits) = drawn
    assert new_limits == old_limits
    assert np.array_equal(new, old)


def test_bars_grow_the_data_limits_once_per_series(monkeypatch: pytest.MonkeyPatch) -> None:
    """``ax.bar`` grew them once per bar (a transform and a bounding box each: most of a bar
    chart's plotting time)."""
    grown = count_calls(monkeypatch, Axes, "update_datalim")
    ax = figure().subplots()
    charts.plot_activity_volume(ax, LABELS, SERIES, [None] * 6)
    assert 0 < len(grown) <= len(SERIES)


def test_a_chart_drawn_again_in_the_same_colours_keeps_its_tick_styling(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Styling the ticks walks every tick: a reused plot keeps it unless the colours change."""
    fig = figure()

    def draw(theme: charts.ChartTheme) -> None:
        ax = plots(fig, 1)[0]
        charts.plot_activity_volume(ax, LABELS, SERIES, [None] * 6, theme)
        fig.canvas.draw()

    draw(charts.LIGHT)
    styled = count_calls(monkeypatch, Axes, "tick_params")
    draw(charts.LIGHT)
    assert styled == []
    dark = charts.ChartTheme.for_background("#1f2124", "#e6e6e6")
    draw(dark)
    assert len(styled) == 1
    tick = fig.axes[0].yaxis.get_major_ticks()[0]
    assert tick.label1.get_color() == dark.fg and tick.gridline.get_visible()


def test_whole_number_ticks_do_not_crowd_a_short_plot() -> None:
    fig = figure()
    ax = fig.subplots()
    ax.set_ylim(0, 640)
    integer_ticks(ax.yaxis)
    fig.canvas.draw()
    shown = [t for t in ax.get_yticks() if 0 <= t <= 640]
    assert 4 <= len(shown) <= 7  # MaxNLocator's default gave nine on this 2.7-inch figure
    assert all(float(t).is_integer() for t in shown)


def test_the_layout_leaves_no_room_for_ticks_past_the_limits() -> None:
    """A locator also gives the round number past the top (100 for a plot up to 81), whose
    label is never drawn: the plot reaches as high as one whose limit is that last drawn tick."""
    tops = []
    for top in (80, 81):
        fig = figure()
        ax = fig.subplots()
        ax.plot([0, 1], [0, top])
        ax.set_ylim(0, top)
        integer_ticks(ax.yaxis)
        fig.canvas.draw()
        assert max(ax.get_yticks()) > top or top == 80
        tops.append(ax.bbox.y1)
    assert tops[1] >= tops[0] - 0.5


def test_bar_boxes_are_the_bars_window_extents() -> None:
    fig = figure()
    ax1, ax2 = fig.subplots(1, 2)
    hits = charts.plot_activity_volume(ax1, LABELS, SERIES, [50.0] * 6)
    hits += charts.plot_outcome_trend(ax2, LABELS, [0.5] * 6, [0.6] * 6, [1] * 6, [1] * 6)
    fig.canvas.draw()
    height = int(fig.bbox.height)
    for hit, box in zip(hits, raster.boxes(hits, height, 1.0), strict=True):
        e = hit.artist.get_window_extent()
        expected = (e.x0, height - e.y1, e.x1, height - e.y0)
        assert np.allclose((box.x0, box.y0, box.x1, box.y1), expected), hit.tooltip


def test_matplotlib_is_warmed_up_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every chart panel asks for the warm-up; only the first draws (six figures were drawn
    on the chart thread when the Monitor was built)."""
    drawn = count_calls(monkeypatch, raster.ChartRaster, "render")
    raster.warm_up()
    raster.warm_up()
    raster.warm_up()
    assert len(drawn) <= 1 and raster.WARM_UPS


def test_the_chart_image_is_painted_without_converting(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Agg's RGBA was converted pixel by pixel at every paint; the chart is opaque, so the
    image comes from the chart thread in the window's own format."""
    main_window.show_area(2)
    qtbot.waitUntil(lambda: main_window.monitor.dashboard is not None)
    settle(main_window)
    view = main_window.monitor.dashboard.panel("activity").view
    qtbot.waitUntil(lambda: view.image is not None)
    assert view.image.format() == QImage.Format.Format_RGB32
    assert view.image.devicePixelRatio() == view.devicePixelRatioF()
    assert view.image.pixelColor(2, 2).alpha() == 255
