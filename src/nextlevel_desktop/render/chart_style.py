"""The charts' common parts: colours that follow the window's scheme, what a bar stands for
(``Hit``), axis styling, x tick labels that slant only when they must, and the legend between
the title and the plot — its columns chosen from the labels' font metrics. Qt-free."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..domain.measures import Status
from .palette import PALETTE


@dataclass(frozen=True)
class ChartTheme:
    """Colours that follow the window's light or dark scheme."""

    fg: str = "#2b2b2b"
    bg: str = "#ffffff"
    grid: str = "#e3e6ea"
    muted: str = "#8a9099"

    @classmethod
    def for_background(cls, bg: str, fg: str) -> ChartTheme:
        dark = _lightness(bg) < 0.5
        return cls(
            fg=fg,
            bg=bg,
            grid="#3a3e44" if dark else "#e3e6ea",
            muted="#9aa0a8" if dark else "#7a8089",
        )


LIGHT = ChartTheme()


def _lightness(colour: str) -> float:
    c = colour.lstrip("#")
    r, g, b = (int(c[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return (max(r, g, b) + min(r, g, b)) / 2


@dataclass
class Hit:
    """A drawn bar or column: what hovering shows and what clicking opens.

    ``artist`` is a matplotlib ``Rectangle`` (or any artist whose window extent is the area
    that answers hovers and clicks): once the figure is drawn, its extent becomes a
    :class:`~nextlevel_desktop.render.raster.Box` in the chart's pixels.
    """

    artist: Any
    tooltip: str
    key: Any = ()  # what the drill-down opens; empty: nothing to open


STATUS_COLOURS = {
    Status.ON_TRACK: PALETTE.on_track,
    Status.AT_RISK: PALETTE.at_risk,
    Status.BEHIND: PALETTE.behind,
}


def style(ax: Any, theme: ChartTheme, title: str = "", grid_axis: str = "y") -> None:
    ax.set_facecolor(theme.bg)
    # Ticks and grid are styled tick by tick: a plot drawn again in the same colours (a reused
    # figure) keeps them, which spares a tenth of a refresh.
    if getattr(ax, "_nld_style", None) != (theme, grid_axis):
        ax._nld_style = (theme, grid_axis)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        for side in ("left", "bottom"):
            ax.spines[side].set_color(theme.grid)
        ax.tick_params(colors=theme.fg, labelsize=8.5, length=0)
        ax.yaxis.label.set_color(theme.fg)
        ax.xaxis.label.set_color(theme.fg)
        ax.grid(False)
        if grid_axis:
            ax.grid(axis=grid_axis, color=theme.grid, linewidth=0.8)
    ax.set_axisbelow(True)
    if title:
        # y=1: the title sits on the plot (no top ticks here), which spares matplotlib measuring
        # the ticks on every draw to place it.
        ax.set_title(
            title, color=theme.fg, fontsize=10.5, loc="left", fontweight="bold", pad=10, y=1.0
        )


def bars(
    ax: Any,
    at: Sequence[float],
    lengths: Sequence[float],
    width: float,
    base: float | Sequence[float] = 0.0,
    *,
    color: str | Sequence[str],
    horizontal: bool = False,
    alpha: float | None = None,
    label: str = "",
    zorder: float | None = None,
    visible: bool = True,
) -> Any:
    """What ``ax.bar`` (``ax.barh`` when ``horizontal``) draws — a ``Rectangle`` per bar in a
    ``BarContainer`` carrying the legend entry — with the data limits grown once for all the
    bars: ``ax.bar`` grows them bar by bar, which took most of a bar chart's plotting time.
    ``visible=False``: hover and click targets only, never drawn."""
    from matplotlib.container import BarContainer
    from matplotlib.patches import Rectangle

    n = len(at)
    bases = [float(base)] * n if isinstance(base, int | float) else list(base)
    colours = [color] * n if isinstance(color, str) else list(color)
    rects, corners = [], []
    for pos, length, start, colour in zip(at, lengths, bases, colours, strict=True):
        x, y, w, h = (
            (start, pos - width / 2, length, width)
            if horizontal
            else (pos - width / 2, start, width, length)
        )
        rect = Rectangle((x, y), w, h, facecolor=colour, label="_nolegend_", visible=visible)
        if alpha is not None:
            rect.set_alpha(alpha)
        if zorder is not None:
            rect.set_zorder(zorder)
        (rect.sticky_edges.x if horizontal else rect.sticky_edges.y).append(start)
        ax.add_artist(rect)
        rects.append(rect)
        corners += [(x, y), (x + w, y + h)]
    if corners:
        ax.update_datalim(corners)
        ax.autoscale(enable=None)  # the view follows at draw time, as after ``ax.bar``
    container = BarContainer(rects, orientation="horizontal" if horizontal else "vertical")
    container.set_label(label or "_nolegend_")
    return ax.add_container(container)


@functools.lru_cache(maxsize=1024)  # the same stage names and months on every refresh
def _text_width(text: str, size: float) -> float:
    """Points a line of text takes, from the font's metrics (no renderer needed)."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    width, _h, _d = text_to_path.get_text_width_height_descent(
        text, FontProperties(size=size), ismath=False
    )
    return float(width)


def _plot_width(ax: Any) -> float:
    """Points across the plot, before the layout has placed it."""
    fig, spec = ax.get_figure(), ax.get_subplotspec()
    if spec is not None:  # laid out later: about its share of the figure (less the y labels)
        return float(fig.get_figwidth() * 72 * 0.85 / spec.get_gridspec().ncols)
    return float(ax.get_position().width * fig.get_figwidth() * 72)  # placed by hand (PDF)


def x_labels(ax: Any, x: Sequence[float], labels: Sequence[str]) -> None:
    """Tick labels under the bars, slanted when one is wider than the room under its bar."""
    ax.set_xticks(x, labels, rotation_mode="anchor")
    slant_x_labels(ax, _plot_width(ax))


def slant_x_labels(ax: Any, width_pt: float) -> None:
    """Slant the x tick labels when one is wider than its share of ``width_pt``, else not (the
    on-screen layout calls this again with the plot's real width)."""
    texts = [t for t in ax.get_xticklabels() if t.get_text()]
    slot = width_pt / max(len(texts), 1) - 6
    slanted = any(_text_width(t.get_text(), t.get_fontsize()) > slot for t in texts)
    for text in texts:
        text.set_rotation(30 if slanted else 0)
        text.set_horizontalalignment("right" if slanted else "center")


def legend_columns(ax: Any, labels: Sequence[str], fontsize: float = 8) -> int:
    """The most legend columns (up to four) whose entries fit across the plot's width, measured
    from the labels' outlines; a legend wider than its plot would squeeze the plot."""
    handle = (1.4 + 0.6 + 1.2) * fontsize  # swatch, gap to its label and to the next column
    widths = [_text_width(text, fontsize) + handle for text in labels]
    room = _plot_width(ax) * 0.9
    for ncol in range(min(len(widths), 4), 1, -1):
        # Filled column by column, the first ones one entry longer when they do not divide
        # evenly (as Legend does).
        short, longer = divmod(len(widths), ncol)
        total, start = 0.0, 0
        for column in range(ncol):
            count = short + 1 if column < longer else short
            total += max(widths[start : start + count], default=0.0)
            start += count
        if total <= room:
            return ncol
    return 1


def legend(ax: Any, theme: ChartTheme, handles: Sequence[Any] = ()) -> None:
    """A legend in rows between the title and the plot, so it never covers data; the title is
    raised above it. ``handles`` replace the plotted artists' own entries; bars come first,
    then the target lines."""
    from matplotlib.container import Container
    from matplotlib.patches import Patch

    if not handles:
        handles = ax.get_legend_handles_labels()[0]
    if not handles:
        return
    handles = sorted(handles, key=lambda h: not isinstance(h, (Container, Patch)))
    ncol = legend_columns(ax, [h.get_label() for h in handles])
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0, 1),
        ncols=ncol,
        frameon=False,
        fontsize=8,
        labelcolor=theme.fg,
        borderaxespad=0.2,
        borderpad=0.2,
        handlelength=1.4,
        handletextpad=0.6,
        columnspacing=1.2,
        labelspacing=0.3,
    )
    rows = -(-len(handles) // ncol)
    title = ax.get_title(loc="left")
    if title:
        ax.set_title(
            title,
            color=theme.fg,
            fontsize=10.5,
            loc="left",
            fontweight="bold",
            pad=8 + 13 * rows,
            y=1.0,
        )


def no_data(ax: Any, theme: ChartTheme, text: str = "No data in this period") -> None:
    ax.text(
        0.5,
        0.5,
        text,
        transform=ax.transAxes,
        ha="center",
        va="center",
        color=theme.muted,
        fontsize=10,
    )
    ax.set_xticks([])
    ax.set_yticks([])


NO_ENTRIES = "No engagements entered a stage in this period"


def drawn(
    ax: Any,
    theme: ChartTheme,
    title: str,
    data: object,
    empty: str = "No data in this period",
    grid_axis: str = "y",
) -> bool:
    """Style ``ax``; without ``data`` (nothing to show) say so on it and answer False."""
    style(ax, theme, title, grid_axis)
    if not data:
        no_data(ax, theme, empty)
    return bool(data)


def plots(fig: Any, n: int) -> list[Any]:
    """``n`` plots side by side: the figure's own when it already has that many from an earlier
    draw (emptied, so nothing of the old data stays), otherwise new ones on a cleared figure.

    Reusing them spares building each Axes again (its spines, axis and tick artists) on every
    refresh, which cost more than plotting the data.
    """
    n = max(n, 1)
    if getattr(fig, "_nld_grid", None) == n and len(fig.axes) == n:
        for ax in fig.axes:
            empty_axes(ax)
        return list(fig.axes)
    fig.clear()
    fig._nld_grid = n
    return list(fig.subplots(1, n, squeeze=False)[0])


def empty_axes(ax: Any) -> None:
    """Back to a blank plot, keeping the Axes and its tick artists: every plotted artist and
    legend removed, titles, labels, tick locators and formatters, limits and autoscaling
    reset; the grid stays as ``chart_style.style`` left it (it sets it again only when the
    colours change). The plotting functions set everything else they use on each call."""
    from matplotlib.ticker import AutoLocator, ScalarFormatter

    for container in list(ax.containers):  # bars: the container removes its patches
        container.remove()
    for artist in [*ax.collections, *ax.lines, *ax.patches, *ax.texts, *ax.artists, *ax.images]:
        artist.remove()
    if ax.legend_ is not None:
        ax.legend_.remove()
    for loc in ("left", "center", "right"):
        ax.set_title("", loc=loc)
    ax.set_xlabel("")
    ax.set_ylabel("")
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_locator(AutoLocator())
        axis.set_major_formatter(ScalarFormatter())
    ax.relim()
    ax.set_autoscale_on(True)
    ax.autoscale_view()
