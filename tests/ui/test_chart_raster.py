"""Charts drawn to pixels off the GUI thread: the size and pixel ratio they are shown at, and
each bar's rectangle in the widget's own pixels."""

from __future__ import annotations

from nextlevel_desktop.render import charts
from nextlevel_desktop.render.raster import ChartRaster

STAGES = ["Suspect", "Prospect", "Qualified"]


def draw(figure, theme):  # type: ignore[no-untyped-def]
    figure.clear()
    return charts.plot_funnel(
        figure.subplots(),
        STAGES,
        [40, 20, 10],
        [20, 10, 4],
        [0.5, 0.5, 0.4],
        [0.5, 0.4, 0.5],
        theme,
    )


def test_a_chart_is_drawn_at_its_pixel_ratio_with_bars_in_logical_pixels() -> None:
    one = ChartRaster().render(draw, charts.LIGHT, 640, 300, 1.0)
    two = ChartRaster().render(draw, charts.LIGHT, 640, 300, 2.0)
    assert (one.width, one.height, len(one.rgba)) == (640, 300, 640 * 300 * 4)
    assert (two.width, two.height) == (1280, 600) and two.ratio == 2.0
    assert len(one.boxes) == len(two.boxes) == 6
    for a, b in zip(one.boxes, two.boxes, strict=True):
        assert (a.tooltip, a.key) == (b.tooltip, b.key)
        assert abs(a.x0 - b.x0) < 2 and abs(a.y1 - b.y1) < 2  # the same place on screen
        assert 0 <= a.x0 < a.x1 <= 640 and 0 <= a.y0 < a.y1 <= 300
    # "Entered" of the first stage is the widest bar, drawn at the top (y grows downwards).
    first = one.boxes[0]
    assert first.x1 - first.x0 == max(b.x1 - b.x0 for b in one.boxes)
    assert first.y0 == min(b.y0 for b in one.boxes)
    assert first.contains((first.x0 + first.x1) / 2, (first.y0 + first.y1) / 2)
    assert not first.contains(first.x1 + 1, first.y0)


def test_a_reused_figure_follows_the_new_size() -> None:
    raster = ChartRaster()
    small = raster.render(draw, charts.LIGHT, 500, 250, 1.0)
    large = raster.render(draw, charts.LIGHT, 1200, 500, 1.0)
    assert (small.width, large.width, large.height) == (500, 1200, 500)
    assert max(b.x1 for b in large.boxes) > max(b.x1 for b in small.boxes) + 300
