"""A cheap layout for the on-screen charts: margins measured from the texts that will be drawn.

matplotlib's constrained layout asks every tick label, title and legend for its bounding box
(creating and laying out each Text twice per draw) and was the costliest part of a Monitor
refresh. This engine measures only the strings that decide a margin (tick labels, axis labels,
the title) with matplotlib's cached text metrics, reads the legend's offset from its axes, and
places the subplots of a grid so nothing is clipped. It never collapses an axes to zero size:
on a tiny or hidden canvas it keeps a minimum plot area instead of warning.
"""

from __future__ import annotations

import math
from typing import Any

from matplotlib.layout_engine import LayoutEngine

PAD_PT = 6.0  # space between the outermost text and the figure edge, and between subplots
MIN_PLOT_PX = 24.0
Reach = tuple[float, float]  # pixels from an anchor, anchor's distance from the side (fraction)


def text_metrics(renderer: Any, text: str, prop: Any, dpi: float) -> tuple[float, float, float]:
    """Width, height and descent (pixels) of one line of text, through matplotlib's cache."""
    try:
        from matplotlib.text import _get_text_metrics_with_cache

        w, h, d = _get_text_metrics_with_cache(renderer, text, prop, False, dpi)
    except (ImportError, TypeError):  # pragma: no cover - older/newer matplotlib
        w, h, d = renderer.get_text_width_height_descent(text, prop, ismath=False)
    return float(w), float(h), float(d)


def _text_size(renderer: Any, text: str, prop: Any, dpi: float) -> tuple[float, float]:
    """Width and height (pixels) of one line of text, through matplotlib's metrics cache."""
    if not text:
        return 0.0, 0.0
    w, h, _d = text_metrics(renderer, text, prop, dpi)
    lines = text.count("\n") + 1
    return float(w), float(h) * lines * 1.2 if lines > 1 else float(h)


def _rotated(w: float, h: float, degrees: float) -> tuple[float, float]:
    r = math.radians(degrees % 180)
    return abs(w * math.cos(r)) + abs(h * math.sin(r)), abs(w * math.sin(r)) + abs(h * math.cos(r))


def _tick_labels(axis: Any) -> list[tuple[str, Any, float, str]]:
    """(text, font, rotation, horizontal alignment) of the major tick labels that will show."""
    if not axis.get_visible():
        return []
    lo, hi = sorted(axis.get_view_interval())
    locs = [v for v in axis.get_majorticklocs() if lo - 1e-9 * abs(hi - lo) <= v <= hi + 1e-9]
    if not locs:
        return []
    ticks = axis.get_major_ticks(len(locs))
    if not ticks[0].label1.get_visible():
        return []
    texts = axis.major.formatter.format_ticks(locs)
    return [
        (s, t.label1.get_fontproperties(), t.label1.get_rotation(), t.label1.get_ha())
        for s, t in zip(texts, ticks, strict=False)
    ]


def axes_margins(
    ax: Any, renderer: Any
) -> tuple[tuple[float, float, float, float], tuple[list[Reach], list[Reach]]]:
    """Pixels needed outside the plot area of ``ax`` (left, bottom, right, top), and what reaches
    past its left and right sides (outer x tick labels, the legend)."""
    dpi = ax.figure.dpi
    pt = dpi / 72
    left = bottom = right = top = 0.0
    # Things reaching past the plot's sides: (pixels, where they start as a fraction of the plot
    # width from that side); what they need depends on the plot width, known only later.
    reach_left: list[Reach] = []
    reach_right: list[Reach] = []
    pad = ax.yaxis.get_major_ticks(1)[0].get_pad() * pt if ax.yaxis.get_visible() else 0.0

    ylabels = _tick_labels(ax.yaxis)
    if ylabels:
        left = max(_rotated(*_text_size(renderer, s, fp, dpi), r)[0] for s, fp, r, _ in ylabels)
        left += pad
    label_at = (left + ax.yaxis.labelpad * pt, 0.0)
    if ax.yaxis.label.get_text():
        left += _text_size(
            renderer, ax.yaxis.label.get_text(), ax.yaxis.label.get_fontproperties(), dpi
        )[1]
        left += ax.yaxis.labelpad * pt

    xlabels = _tick_labels(ax.xaxis)
    if xlabels:
        xpad = ax.xaxis.get_major_ticks(1)[0].get_pad() * pt
        sizes = [(_rotated(*_text_size(renderer, s, fp, dpi), r), ha) for s, fp, r, ha in xlabels]
        bottom = max(h for (_w, h), _ in sizes) + xpad
        # The outermost labels may reach past the plot's sides: (overhang px, tick position).
        lo, hi = sorted(ax.get_xlim())
        span = hi - lo or 1.0
        eps = 1e-9 * span
        locs = [v for v in ax.xaxis.get_majorticklocs() if lo - eps <= v <= hi + eps]
        (w_first, _), ha_first = sizes[0]
        (w_last, _), ha_last = sizes[-1]
        reach = {"center": 0.5, "left": 0.0, "right": 1.0}
        reach_left.append((w_first * reach.get(ha_first, 0.5), (min(locs) - lo) / span))
        reach_right.append((w_last * (1 - reach.get(ha_last, 0.5)), (hi - max(locs)) / span))
    label_at = (label_at[0], bottom + ax.xaxis.labelpad * pt)
    if ax.xaxis.label.get_text():
        bottom += _text_size(
            renderer, ax.xaxis.label.get_text(), ax.xaxis.label.get_fontproperties(), dpi
        )[1]
        bottom += ax.xaxis.labelpad * pt

    title = (
        ax.title if ax.title.get_text() else ax._left_title if ax._left_title.get_text() else None
    )
    if title is not None:
        offset = ax.titleOffsetTrans.get_matrix()[1, 2]
        top = (
            offset
            + _text_size(renderer, title.get_text(), title.get_fontproperties(), dpi)[1] * 1.25
        )

    from .keyrow import key_row_of

    legend = ax.get_legend() or key_row_of(ax)
    if legend is not None and legend.get_visible():
        box = legend.get_window_extent(renderer)
        axbox = ax.bbox
        top = max(top, box.y1 - axbox.y1)
        # Measured against the plot as it is now: its width changes, the legend's does not.
        reach_right.append((box.x1 - axbox.x0, 1.0))
        reach_left.append((axbox.x0 - box.x0, 0.0))  # legends here hang from the left
        bottom = max(bottom, axbox.y0 - box.y0)
    ax._nld_label_at = label_at
    return (left, bottom, right, top), (reach_left, reach_right)


class MarginLayout(LayoutEngine):
    """Place a figure's subplot grid with margins measured from its texts (see module doc)."""

    _adjust_compatible = False
    _colorbar_gridspec = False

    def execute(self, fig: Any) -> None:
        renderer = fig._get_renderer()
        width, height = fig.bbox.width, fig.bbox.height
        pad = PAD_PT * fig.dpi / 72
        placed = [(ax, ax.get_subplotspec()) for ax in fig.axes]
        placed = [(ax, spec) for ax, spec in placed if spec is not None]
        if not placed:
            return
        nrows, ncols = placed[0][1].get_gridspec().get_geometry()
        lefts, rights = [0.0] * ncols, [0.0] * ncols
        bottoms, tops = [0.0] * nrows, [0.0] * nrows
        measured = [(ax, spec, *axes_margins(ax, renderer)) for ax, spec in placed]
        for _ax, spec, (lm, b, r, t), _over in measured:
            c0, c1 = spec.colspan.start, spec.colspan.stop - 1
            r0, r1 = spec.rowspan.start, spec.rowspan.stop - 1
            lefts[c0] = max(lefts[c0], lm)
            rights[c1] = max(rights[c1], r)
            tops[r0] = max(tops[r0], t)
            bottoms[r1] = max(bottoms[r1], b)
        cell_w = (width - sum(lefts) - sum(rights) - pad * (ncols + 1)) / ncols
        # Outer x tick labels wider than the room beside their tick get it from the margin.
        for _ax, spec, _margins, (reach_left, reach_right) in measured:
            c0, c1 = spec.colspan.start, spec.colspan.stop - 1
            w = cell_w * (c1 - c0 + 1)
            for px, frac in reach_left:
                lefts[c0] = max(lefts[c0], px - frac * w + 2)
            for px, frac in reach_right:
                rights[c1] = max(rights[c1], px - frac * w + 2)
        cell_w = (width - sum(lefts) - sum(rights) - pad * (ncols + 1)) / ncols
        cell_h = (height - sum(tops) - sum(bottoms) - pad * (nrows + 1)) / nrows
        cell_w, cell_h = max(cell_w, MIN_PLOT_PX), max(cell_h, MIN_PLOT_PX)
        xs, x = [], pad
        for c in range(ncols):
            x += lefts[c]
            xs.append(x)
            x += cell_w + rights[c] + pad
        ys, y = [], height - pad
        for r in range(nrows):
            y -= tops[r] + cell_h
            ys.append(y)
            y -= bottoms[r] + pad
        for ax, spec in placed:
            c0, c1 = spec.colspan.start, spec.colspan.stop - 1
            r0, r1 = spec.rowspan.start, spec.rowspan.stop - 1
            x0 = xs[c0]
            x1 = xs[c1] + cell_w
            y0 = ys[r1]
            y1 = ys[r0] + cell_h
            ax._set_position(
                [x0 / width, y0 / height, (x1 - x0) / width, (y1 - y0) / height], "both"
            )
            # Axis labels placed here: otherwise each draw measures every tick label to place them.
            ylabel_px, xlabel_px = ax._nld_label_at
            ax.yaxis.set_label_coords(-ylabel_px / (x1 - x0), 0.5)
            ax.xaxis.set_label_coords(0.5, -xlabel_px / (y1 - y0))
