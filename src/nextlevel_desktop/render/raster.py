"""Charts drawn to pixels, with what each bar stands for as a rectangle in those pixels.

The on-screen charts are drawn in the chart drawing process (:mod:`.chart_process`): a
:class:`ChartRaster` keeps one figure on the Agg backend (public API only, never pyplot),
draws it at the size and pixel ratio it is shown at, and hands back the RGBA pixels and a
:class:`Box` per bar — the bar's rectangle in the widget's own (logical, top-left) pixels, its
tooltip and its drill-down key — so the GUI thread paints the pixels and answers hovers and
clicks from the boxes alone. Qt-free.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .chart_style import ChartTheme, Hit
from .format import literal_text

DPI = 100.0  # the figure's dots per logical pixel inch (matplotlib's default)
Draw = Callable[[Any, ChartTheme], list[Hit]]


@dataclass(frozen=True)
class Box:
    """A drawn bar: its rectangle in logical pixels (origin top left), what hovering shows and
    what clicking opens (empty: nothing)."""

    x0: float
    y0: float
    x1: float
    y1: float
    tooltip: str
    key: Any = ()

    def contains(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1


@dataclass(frozen=True)
class Raster:
    """A drawn chart: ``rgba`` rows of ``width`` × ``height`` device pixels, shown at ``ratio``
    device pixels per logical pixel, and its bars."""

    rgba: bytes
    width: int
    height: int
    ratio: float
    boxes: list[Box] = field(default_factory=list)


class ChartRaster:
    """One chart's figure, reused from draw to draw (a refresh that reuses the plots costs less
    than building them). Touch it from one thread at a time."""

    def __init__(self) -> None:
        self.figure: Any = None

    def render(
        self, draw: Draw, theme: ChartTheme, width: int, height: int, ratio: float
    ) -> Raster:
        """Draw ``draw`` for a widget of ``width`` × ``height`` logical pixels."""
        fig = self.figure
        if fig is None:
            from matplotlib.backends.backend_agg import FigureCanvasAgg
            from matplotlib.figure import Figure

            from .layout import RowLayout

            fig = self.figure = Figure(layout=RowLayout())
            FigureCanvasAgg(fig)
        fig.set_dpi(DPI * ratio)
        fig.set_size_inches(max(width, 1) / DPI, max(height, 1) / DPI)
        fig.set_facecolor(theme.bg)
        with literal_text():
            hits = draw(fig, theme)
            fig.canvas.draw()
        pixels = fig.canvas.buffer_rgba()
        rows, cols = pixels.shape[0], pixels.shape[1]
        return Raster(pixels.tobytes(), cols, rows, ratio, boxes(hits, rows, ratio))


def boxes(hits: list[Hit], height: int, ratio: float) -> list[Box]:
    """Each hit's rectangle in logical pixels from the top left, for a drawn figure ``height``
    device pixels tall. A bar's corners go through its plot's data transform together with the
    other bars of that plot (one transform per plot, not one window extent per bar)."""
    from matplotlib.patches import Rectangle

    corners: list[Any] = [None] * len(hits)
    by_transform: dict[int, tuple[Any, list[int]]] = {}  # transforms are not hashable
    for i, hit in enumerate(hits):
        artist = hit.artist
        if type(artist) is Rectangle and artist.get_angle() == 0:
            transform = artist.get_data_transform()
            by_transform.setdefault(id(transform), (transform, []))[1].append(i)
        else:
            e = artist.get_window_extent()
            corners[i] = (e.x0, e.y0, e.x1, e.y1)
    for transform, indexes in by_transform.values():
        points = []
        for i in indexes:
            (x0, y0), (x1, y1) = hits[i].artist.get_bbox().get_points()
            points += [(x0, y0), (x1, y1)]
        done = transform.transform(points)
        for n, i in enumerate(indexes):
            (ax, ay), (bx, by) = done[2 * n], done[2 * n + 1]
            corners[i] = (min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
    return [
        Box(x0 / ratio, (height - y1) / ratio, x1 / ratio, (height - y0) / ratio, h.tooltip, h.key)
        for h, (x0, y0, x1, y1) in zip(hits, corners, strict=True)
    ]


def export(draw: Draw, path: Any, theme: ChartTheme) -> None:
    """Write the chart as a file (PNG, SVG or PDF by ``path``'s suffix), laid out for print."""
    from matplotlib.figure import Figure

    figure = Figure(figsize=(9, 5), layout="constrained")
    figure.set_facecolor(theme.bg)
    with literal_text():
        draw(figure, theme)
        figure.savefig(path, dpi=200, facecolor=theme.bg)


WARM_UPS: list[float] = []  # when (``time.monotonic``) this process warmed matplotlib up


def warm_up() -> None:
    """Import matplotlib and draw a plot with text once per process, so the first chart does
    not pay for it (about half a second): the drawing process does it as it starts, before
    its first request; once done, it returns at once."""
    if WARM_UPS:
        return

    def draw(fig: Any, theme: ChartTheme) -> list[Hit]:
        fig.subplots().set_title("0 %", color=theme.fg)
        return []

    ChartRaster().render(draw, ChartTheme(), 64, 48, 1.0)
    WARM_UPS.append(time.monotonic())
