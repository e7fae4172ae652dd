"""Bars drawn as one collection per series, with a hit shape per bar for hover and click.

matplotlib is imported inside the functions: the Monitor's numbers use this package's
formatting before any chart is drawn, and must not wait for matplotlib.

``Axes.bar`` makes a Rectangle artist per bar; each is laid out, transformed and drawn on its
own, which made bars the costliest part of building and rendering a Monitor chart. Here a series
is one ``PolyCollection`` (one draw call), and each bar is a :class:`BarShape`: a plain object
that answers the two questions the chart panel asks of a hovered or clicked artist, ``contains``
and ``get_window_extent``, from the bar's corners in data coordinates.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.transforms import Bbox


class BarShape:
    """One bar of a collection: where it is, for hit testing (stands in for a Rectangle)."""

    def __init__(self, ax: Any, collection: Any, x0: float, y0: float, x1: float, y1: float):
        self.axes = ax
        self.collection = collection
        self.x0, self.y0, self.x1, self.y1 = x0, y0, x1, y1

    def get_window_extent(self, renderer: Any = None) -> Bbox:
        """The bar's box in display pixels, as the axes are placed now."""
        from matplotlib.transforms import Bbox

        (ax0, ay0), (ax1, ay1) = self.axes.transData.transform(
            [(self.x0, self.y0), (self.x1, self.y1)]
        )
        return Bbox.from_extents(min(ax0, ax1), min(ay0, ay1), max(ax0, ax1), max(ay0, ay1))

    def contains(self, event: Any) -> tuple[bool, dict[str, Any]]:
        """Whether a mouse event is over the bar (an empty bar is never hit)."""
        if event.x is None or event.y is None or self.x0 == self.x1 or self.y0 == self.y1:
            return False, {}
        if event.inaxes is not None and event.inaxes is not self.axes:
            return False, {}
        box = self.get_window_extent()
        return bool(box.x0 <= event.x <= box.x1 and box.y0 <= event.y <= box.y1), {}

    def get_facecolor(self) -> Any:
        return self.collection.get_facecolor()


def autoscale_later(ax: Any) -> None:
    """Fit the view to the data at the next draw, as ``ax.bar`` does (autoscaling now, after
    each series, costs more than the series itself)."""
    request = getattr(ax, "_request_autoscale_view", None)
    if request is not None:
        request()
    else:  # pragma: no cover - a matplotlib without the lazy request
        ax.autoscale_view()


def bars(
    ax: Any,
    positions: Sequence[float],
    lengths: Sequence[float],
    width: float,
    colour: str | Sequence[str],
    *,
    base: Sequence[float] | None = None,
    horizontal: bool = False,
    label: str | None = None,
    alpha: float | None = None,
) -> list[BarShape]:
    """Draw bars (vertical, or horizontal with ``horizontal``) as one collection.

    Like ``ax.bar``/``ax.barh``: centred on ``positions``, ``width`` wide, from ``base`` (0 by
    default) for ``lengths``; the data limits grow to hold them and the baseline sticks to the
    axis. ``colour`` is one colour or one per bar; ``label`` names the series in the legend.
    """
    from matplotlib.collections import PolyCollection

    base = list(base) if base is not None else [0.0] * len(positions)
    verts = []
    corners = []
    for p, n, b in zip(positions, lengths, base, strict=True):
        lo, hi = p - width / 2, p + width / 2
        x0, x1, y0, y1 = (b, b + n, lo, hi) if horizontal else (lo, hi, b, b + n)
        verts.append([(x0, y0), (x0, y1), (x1, y1), (x1, y0)])
        corners.append((x0, y0, x1, y1))
    collection = PolyCollection(
        verts,
        facecolors=colour,
        edgecolors="none",
        linewidths=0,
        alpha=alpha,
        label=label if label else "_nolegend_",
    )
    sticky = collection.sticky_edges.x if horizontal else collection.sticky_edges.y
    sticky.extend(set(base))
    ax.add_collection(collection, autolim=bool(verts))
    if verts:
        autoscale_later(ax)
    return [BarShape(ax, collection, *c) for c in corners]
