"""The on-screen chart layout: every text inside the figure, nothing overlapping between plots,
the layout following the texts, no collapsed plots on the smallest canvas."""

from __future__ import annotations

import warnings
from functools import partial

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from nextlevel_desktop.render import charts
from nextlevel_desktop.render.charts import ChartTheme
from nextlevel_desktop.render.layout import RowLayout

DARK = ChartTheme.for_background("#1f2124", "#e6e6e6")
STAGES = ["Suspect", "Prospect", "Regular review", "Negotiation", "Account plan"]


def two_funnels(fig: Figure) -> None:
    for ax in fig.subplots(1, 2):
        charts.plot_funnel(
            ax, STAGES, [50, 64, 42, 43, 33], [22, 9, 10, 18, 14], [0.43, 0.14, 0.24, 0.42, 0.42],
            [0.5, 0.5, 0.6, 0.6, 0.7], DARK, "New business",
        )  # fmt: skip


def two_trends(fig: Figure) -> None:
    months = [f"M{i:02d} 26" for i in range(12)]
    for ax in fig.subplots(1, 2):
        charts.plot_outcome_trend(
            ax, months, [0.5] * 12, [0.6] * 12, [5] * 12, [5] * 12, DARK, "Account management",
            "Renewal rate",
        )  # fmt: skip


def activity(fig: Figure) -> None:
    ax = fig.subplots()
    series = {f"Type {i}": [100 * i + j for j in range(6)] for i in range(1, 8)}
    charts.plot_activity_volume(ax, [f"W{j}" for j in range(6)], series, [400] * 6, DARK, "Hunt")


def time_in_stage(fig: Figure) -> None:
    for ax in fig.subplots(1, 2):
        charts.plot_time_in_stage(
            ax, STAGES, [16, 22, 26, 16, 14], [14, 21, 21, 14, 14], [17, 0, 6, 5, 2], DARK, "Hunt"
        )


def drawn(axis) -> list:  # type: ignore[no-untyped-def,type-arg]
    """The tick labels matplotlib draws (those of ticks inside the view)."""
    return [t.label1 for t in axis._update_ticks() if t.label1.get_text()]


def texts(fig: Figure) -> list:  # type: ignore[type-arg]
    renderer = fig.canvas.get_renderer()
    found = []
    for ax in fig.axes:
        found += drawn(ax.xaxis) + drawn(ax.yaxis)
        found += [t for t in (ax.title, ax._left_title, ax.yaxis.label) if t.get_text()]
        found += [t for t in ax.texts if t.get_text()]
        key = ax.get_legend()
        if key is not None:
            found.append(key)
    return [(t, t.get_window_extent(renderer)) for t in found]


@pytest.mark.parametrize("fill", [two_funnels, two_trends, activity, time_in_stage])
@pytest.mark.parametrize("size", [(12.8, 3.6), (19.2, 5.4), (10.0, 2.8)])
def test_nothing_clipped_or_overlapping(fill, size) -> None:  # type: ignore[no-untyped-def]
    fig = Figure(figsize=size, dpi=100, layout=RowLayout())
    FigureCanvasAgg(fig)
    fill(fig)
    fig.canvas.draw()
    box = fig.bbox
    for text, extent in texts(fig):
        assert extent.x0 >= box.x0 - 0.5 and extent.x1 <= box.x1 + 0.5, text
        assert extent.y0 >= box.y0 - 0.5 and extent.y1 <= box.y1 + 0.5, text
    # Side by side: the left plot's texts stay clear of the right plot and its labels.
    if len(fig.axes) == 2:
        left, right = fig.axes
        right_edge = max(e.x1 for t, e in texts(fig) if t.axes is left or t is left.get_legend())
        right_start = min(
            [right.bbox.x0] + [e.x0 for e in (t.get_window_extent() for t in drawn(right.yaxis))]
        )
        assert right_edge < right_start
    # Tick labels of one axis do not overlap each other at these sizes.
    for ax in fig.axes:
        labels = sorted(
            (t.get_window_extent() for t in drawn(ax.xaxis)),
            key=lambda e: e.x0,
        )
        if ax.xaxis.get_ticklabels() and labels and labels[0].height < 30:
            for a, b in zip(labels, labels[1:], strict=False):
                assert a.x1 <= b.x0 + 1 or a.y0 >= b.y1 or a.y1 <= b.y0


@pytest.mark.parametrize("fill", [two_funnels, two_trends, activity, time_in_stage])
def test_the_smallest_canvas_lays_out_without_warning(fill) -> None:  # type: ignore[no-untyped-def]
    """The chart panel's smallest canvas still holds two plots with their texts and legends."""
    from nextlevel_desktop.ui.monitor.canvas import MIN_CANVAS

    width, height = MIN_CANVAS
    fig = Figure(figsize=(width / 100, height / 100), dpi=100, layout=RowLayout())
    FigureCanvasAgg(fig)
    fill(fig)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.canvas.draw()
    assert all(ax.bbox.width > 60 and ax.bbox.height > 60 for ax in fig.axes)


def test_layout_follows_the_text() -> None:
    """Longer stage names widen the left margin; the plot gives the room back for short ones."""
    short, long = (Figure(figsize=(8, 3), dpi=100, layout=RowLayout()) for _ in range(2))
    for fig, names in ((short, ["A", "B"]), (long, ["A very long stage name indeed", "B"])):
        FigureCanvasAgg(fig)
        charts.plot_funnel(fig.subplots(), names, [5, 4], [2, 1], [0.4, 0.25], [0.5, 0.5])
        fig.canvas.draw()
    assert long.axes[0].bbox.x0 > short.axes[0].bbox.x0 + 100
    label = long.axes[0].get_yticklabels()[-1].get_window_extent()
    assert label.x0 >= 0


def test_a_chart_is_drawn_again_for_its_new_size(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Legend columns and slanted labels are chosen for the size a chart is drawn at: once a
    resize settles, the chart is drawn again (on the chart thread) at the new size; meanwhile
    the old image shows, stretched, and answers no hover."""
    from chart_probe import time_in_stage_noting_width

    from nextlevel_desktop.ui.monitor.canvas import REFIT_MS, ChartPanel

    widths: list[float] = []
    draw = partial(time_in_stage_noting_width, STAGES)
    panel = ChartPanel(main_window.ops, "Time")
    qtbot.addWidget(panel)
    panel.resize(600, 400)
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_content(draw, lambda: ([], []))
    qtbot.waitUntil(lambda: panel.draw_count >= 1)
    drawn = panel.draw_count
    assert panel.view.drawn_size() == panel.view.size() and len(panel.hits) == 1
    widths.append(float(panel.hits[0].tooltip))
    panel.resize(1300, 400)
    assert panel.view.drawn_size() != panel.view.size()  # the old image, until the new one
    qtbot.waitUntil(lambda: panel.draw_count == drawn + 1)
    widths.append(float(panel.hits[0].tooltip))
    assert widths[-1] > widths[0] + 500
    assert panel.view.drawn_size() == panel.view.size()
    panel.resize(1300, 600)
    qtbot.waitUntil(lambda: panel.draw_count == drawn + 2)
    assert panel.view.drawn_size() == panel.view.size()
    qtbot.wait(REFIT_MS * 2)
    assert panel.draw_count == drawn + 2  # drawn once per settled size
