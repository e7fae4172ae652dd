"""The on-screen charts' layout: a row of plots placed with margins measured from their texts.

Why not constrained layout: the open chart is drawn again on every change of person or period,
and the Monitor must show such a change within 250 ms, the chart included. The draw runs in the
chart drawing process (it no longer holds up the GUI thread), but the user waits for it, so its
CPU time is part of the change. Measured there (round 8, the Activity chart of seven people in
turn on one reused figure, two interleaved rounds, CPU per draw): median 123 ms with this layout,
168 ms with constrained layout (cProfile over seven draws: 2.11 against 2.70 s); the Pipeline
chart 89 against 140 ms. Constrained layout asks every plot for its tight bounding box in
several passes, laying out each tick label each time: per draw 26–98 ms against this layout's
8–43 ms (the six chart tabs at 1280×420 and 1920×600, round 6). With the draws on the chart
thread (round 6, 1,000,000 activities, `run.py --only bench_monitor`, interleaved, 3 runs each,
a loaded machine), a person change took 344–399 ms with this layout and 515–904 ms with
constrained layout. Exports (drawn once) keep constrained layout.

Public API only: each plot's tick labels, texts and legend are asked for ``get_window_extent``;
the margins are the largest reach past any plot's sides; the plots are placed with
``Axes.set_position``. Texts keep their sizes when a plot moves (only their places follow it), so
rounds from bare plots settle what depends on the plot's width (the outer x tick labels and
whether they slant), and a reused figure is laid out exactly as a fresh one. A plot never
collapses below a minimum size.
"""

from __future__ import annotations

from typing import Any

from matplotlib.layout_engine import LayoutEngine
from matplotlib.legend import Legend
from matplotlib.text import Text

from .chart_style import slant_x_labels

PAD_PT = 6.0  # between the outermost text and the figure's edge, and between plots
MIN_PLOT_PX = 24.0


def _reach(ax: Any, renderer: Any, legends: dict[int, Any]) -> tuple[float, float, float, float]:
    """Pixels the plot's texts and legend reach past its left, bottom, right and top sides.

    A legend hangs from the plot's top left corner at a fixed offset, so its extent is measured
    once per layout (in ``legends``, from that corner) and only moved with the corner after."""
    box = ax.bbox
    texts: list[Any] = [*_drawn_labels(ax.xaxis), *_drawn_labels(ax.yaxis)]
    texts += [a for a in ax.get_children() if isinstance(a, Text | Legend)]
    left = bottom = right = top = 0.0
    for artist in texts:
        if not artist.get_visible() or (isinstance(artist, Text) and not artist.get_text()):
            continue
        if isinstance(artist, Legend):
            if id(artist) not in legends:
                e = artist.get_window_extent(renderer)
                legends[id(artist)] = (e.x0 - box.x0, e.y0 - box.y1, e.y1 - box.y1)
            x0, y0, y1 = legends[id(artist)]
            left = max(left, -x0)
            bottom = max(bottom, box.y0 - (box.y1 + y0))
            top = max(top, y1)
            continue  # hung from the plot's left: narrowing the plot would not bring it in
        extent = artist.get_window_extent(renderer)
        left = max(left, box.x0 - extent.x0)
        bottom = max(bottom, box.y0 - extent.y0)
        top = max(top, extent.y1 - box.y1)
        right = max(right, extent.x1 - box.x1)
    return left, bottom, right, top


def _drawn_labels(axis: Any) -> list[Any]:
    """The tick labels matplotlib will draw: those of the ticks inside the plot's limits (a
    locator also gives the next round number past them, whose label is never drawn and must
    not take room)."""
    axis.get_majorticklabels()  # places every tick and sets its label
    lo, hi = sorted(axis.get_view_interval())
    slack = (hi - lo) * 1e-9
    ticks = axis.get_major_ticks(len(axis.get_majorticklocs()))
    return [t.label1 for t in ticks if lo - slack <= t.get_loc() <= hi + slack]


class RowLayout(LayoutEngine):
    """Place a figure's row of plots so none of their texts is clipped (see module doc)."""

    _adjust_compatible = False
    _colorbar_gridspec = False

    def execute(self, fig: Any) -> None:
        axes = [ax for ax in fig.axes if ax.get_subplotspec() is not None]
        if not axes:
            return
        renderer = fig.canvas.get_renderer()
        width, height = fig.bbox.width, fig.bbox.height
        pad = PAD_PT * fig.dpi / 72
        n = len(axes)
        left = bottom = right = top = 0.0  # the first round starts from bare plots: the result
        legends: dict[int, Any] = {}
        for round_ in range(3):  # never depends on where an earlier draw left them
            if round_:
                reach = [_reach(ax, renderer, legends) for ax in axes]
                left, bottom, right, top = (max(r[i] for r in reach) for i in range(4))
            for ax in axes:  # a y label is placed beside its tick labels at draw time
                if ax.yaxis.label.get_text():
                    left = max(left, _ylabel_room(ax, renderer))
            cell_w = max((width - pad * (n + 1) - n * (left + right)) / n, MIN_PLOT_PX)
            cell_h = max(height - 2 * pad - bottom - top, MIN_PLOT_PX)
            if round_ < 2:  # tick labels slanted for the plot's real width (taller if so)
                for ax in axes:
                    slant_x_labels(ax, cell_w * 72 / fig.dpi)
            for i, ax in enumerate(axes):
                x0 = pad + left + i * (cell_w + left + right + pad)
                y0 = pad + bottom
                ax.set_position((x0 / width, y0 / height, cell_w / width, cell_h / height))


def _ylabel_room(ax: Any, renderer: Any) -> float:
    """Pixels left of the plot for its y tick labels and y label (placed beside them)."""
    widths = [t.get_window_extent(renderer).width for t in ax.get_yticklabels() if t.get_text()]
    label = ax.yaxis.label.get_window_extent(renderer).width
    tick_pad = ax.yaxis.get_major_ticks()[0].get_pad() if widths else 0.0
    return max(widths, default=0.0) + (tick_pad + ax.yaxis.labelpad) * ax.figure.dpi / 72 + label
