"""The charts' legend: a row of swatches and labels between the title and the plot.

matplotlib's ``Legend`` packs every entry into nested offset boxes and measures them again on
each draw; on the Monitor's charts that was over a third of the render time. A key row draws
each entry straight through the renderer (one path and one text per entry), places the entries
from cached text metrics, and reports its box so the margin layout and constrained layout (used
for exports) keep room for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib.artist import Artist
from matplotlib.colors import to_rgba
from matplotlib.font_manager import FontProperties
from matplotlib.path import Path
from matplotlib.transforms import Bbox, IdentityTransform

from .layout import _text_size, text_metrics

HANDLE_EM = 1.4  # swatch length
TEXT_PAD_EM = 0.8  # swatch to label
COLUMN_EM = 1.2  # between columns
ROW_EM = 0.5  # between rows
EDGE_EM = 0.6  # from the plot's top-left corner


@dataclass(frozen=True)
class KeyEntry:
    """One legend entry: a filled ``patch`` swatch or a ``line`` (with an optional dot)."""

    label: str
    colour: Any
    kind: str = "patch"
    alpha: float | None = None
    linewidth: float = 1.5
    linestyle: str = "-"
    marker: bool = False
    markersize: float = 5.0


def entry_for(handle: Any, label: str) -> KeyEntry | None:
    """The entry for a plotted artist (bars, lines, line collections), as a legend shows it."""
    from matplotlib.collections import LineCollection, PolyCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    if isinstance(handle, Line2D):
        return KeyEntry(
            label,
            handle.get_color(),
            "line",
            handle.get_alpha(),
            handle.get_linewidth(),
            str(handle.get_linestyle()),
            handle.get_marker() not in (None, "", "None", " "),
            handle.get_markersize(),
        )
    if isinstance(handle, LineCollection):
        styles = handle.get_linestyle()
        dashed = bool(styles) and styles[0][1] is not None
        return KeyEntry(
            label,
            tuple(handle.get_colors()[0]),
            "line",
            handle.get_alpha(),
            float(handle.get_linewidths()[0]),
            "--" if dashed else "-",
        )
    if isinstance(handle, PolyCollection) and len(handle.get_facecolor()):
        return KeyEntry(label, tuple(handle.get_facecolor()[0]), "patch", handle.get_alpha())
    if isinstance(handle, Patch):
        return KeyEntry(label, handle.get_facecolor(), "patch", handle.get_alpha())
    return None


class KeyRow(Artist):
    """Legend entries in ``ncol`` columns (filled column by column), above the axes' top-left."""

    def __init__(
        self, ax: Any, entries: Sequence[KeyEntry], colour: Any, ncol: int, fontsize: float = 8
    ) -> None:
        super().__init__()
        self.entries = list(entries)
        self.ncol = max(1, ncol)
        self.rows = -(-len(self.entries) // self.ncol)
        self.text_colour = colour
        self.font = FontProperties(size=fontsize)
        self.set_zorder(5)
        self.axes = ax
        self.set_figure(ax.figure)
        self.set_clip_on(False)

    def _place(self, renderer: Any) -> tuple[list[tuple[float, float, float]], Bbox, float]:
        """Where each entry goes (left, bottom, line height), the row's box, and the labels'
        descent below their baseline, in pixels."""
        dpi = self.figure.dpi
        em = self.font.get_size_in_points() * dpi / 72
        sizes = [_text_size(renderer, e.label, self.font, dpi) for e in self.entries]
        # Every line as tall as "lp" (ascender and descender), as matplotlib's texts are.
        _w, line_h, descent = text_metrics(renderer, "lp", self.font, dpi)
        step = line_h + ROW_EM * em
        box = self.axes.bbox
        left = box.x0 + EDGE_EM * em
        bottom = box.y1 + EDGE_EM * em
        places = []
        x = left
        right = left
        # Columns filled in turn, the first ones one entry longer when they do not divide evenly
        # (as matplotlib's legend does).
        short, long_cols = divmod(len(self.entries), self.ncol)
        first = 0
        for col in range(self.ncol):
            count = short + 1 if col < long_cols else short
            members = range(first, first + count)
            first += count
            if not members:
                break
            width = 0.0
            for row, i in enumerate(members):
                y = bottom + (self.rows - 1 - row) * step
                places.append((x, y, line_h))
                width = max(width, (HANDLE_EM + TEXT_PAD_EM) * em + sizes[i][0])
            right = x + width
            x = right + COLUMN_EM * em
        top = bottom + self.rows * step - ROW_EM * em
        return places, Bbox.from_extents(left, bottom, right, top), descent

    def get_window_extent(self, renderer: Any = None) -> Bbox:
        if renderer is None:
            renderer = self.figure._get_renderer()
        if not self.entries:
            return Bbox.null()
        return self._place(renderer)[1]

    def get_tightbbox(self, renderer: Any = None) -> Bbox:
        return self.get_window_extent(renderer)

    def draw(self, renderer: Any) -> None:
        if not self.get_visible() or not self.entries:
            return
        places, _box, descent = self._place(renderer)
        em = self.font.get_size_in_points() * self.figure.dpi / 72
        pt = self.figure.dpi / 72
        renderer.open_group("keyrow", gid=self.get_gid())
        height = renderer.get_canvas_width_height()[1]
        for entry, (x, y, line_h) in zip(self.entries, places, strict=True):
            mid = y + line_h / 2
            self._swatch(renderer, entry, x, x + HANDLE_EM * em, mid, em, pt)
            gc = renderer.new_gc()
            gc.set_foreground(self.text_colour)
            gc.set_alpha(1.0)
            text_x = x + (HANDLE_EM + TEXT_PAD_EM) * em
            # Renderers take text positions from the top (flipped) or the bottom of the canvas.
            baseline = y + descent
            text_y = height - baseline if renderer.flipy() else baseline
            renderer.draw_text(gc, text_x, text_y, entry.label, self.font, 0.0, ismath=False)
            gc.restore()
        renderer.close_group("keyrow")
        self.stale = False

    @staticmethod
    def _swatch(
        renderer: Any, e: KeyEntry, x0: float, x1: float, mid: float, em: float, pt: float
    ) -> None:
        gc = renderer.new_gc()
        rgba = to_rgba(e.colour, e.alpha)
        gc.set_foreground(rgba, isRGBA=True)
        gc.set_alpha(rgba[3])
        gc.set_antialiased(True)
        if e.kind == "patch":
            h = 0.7 * em / 2
            path = Path([(x0, mid - h), (x1, mid - h), (x1, mid + h), (x0, mid + h), (x0, mid - h)])
            gc.set_linewidth(0)
            renderer.draw_path(gc, path, IdentityTransform(), rgba)
        else:
            gc.set_linewidth(e.linewidth)
            gc.set_capstyle("butt")
            if e.linestyle in ("--", "dashed"):
                gc.set_dashes(0, [3.7 * e.linewidth, 1.6 * e.linewidth])
            elif e.linestyle in (":", "dotted"):
                gc.set_dashes(0, [1.0 * e.linewidth, 1.65 * e.linewidth])
            renderer.draw_path(gc, Path([(x0, mid), (x1, mid)]), IdentityTransform())
            if e.marker:
                r = e.markersize * pt / 2
                dot = Path.circle(((x0 + x1) / 2, mid), r)
                gc.set_dashes(0, None)
                gc.set_linewidth(0)
                renderer.draw_path(gc, dot, IdentityTransform(), rgba)
        gc.restore()


def key_row_of(ax: Any) -> KeyRow | None:
    """The axes' key row, if it has one."""
    return next((a for a in ax.artists if isinstance(a, KeyRow)), None)
