"""Plotting functions on a headless Agg figure: they draw, show the target and report bars."""

from __future__ import annotations

import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from nextlevel_desktop.domain.measures import Status, TargetResult
from nextlevel_desktop.domain.targets import Unit
from nextlevel_desktop.render import charts
from nextlevel_desktop.render.charts import ChartTheme
from nextlevel_desktop.render.palette import PALETTE

DARK = ChartTheme.for_background("#1f2124", "#e6e6e6")


def axes():  # type: ignore[no-untyped-def]
    fig = Figure(figsize=(6, 4), layout="constrained")
    FigureCanvasAgg(fig)
    return fig, fig.subplots()


def render(fig: Figure) -> None:
    fig.canvas.draw()  # layout and text must not fail


def colours(ax) -> set[str]:  # type: ignore[no-untyped-def]
    from matplotlib.colors import to_hex

    found = {to_hex(line.get_color()) for line in ax.get_lines()}
    for coll in ax.collections:  # line collections (targets)
        found |= {to_hex(c) for c in coll.get_colors()}
    return found


def test_activity_volume_with_target() -> None:
    fig, ax = axes()
    hits = charts.plot_activity_volume(
        ax,
        ["W1", "W2"],
        {"Call": [3, 0], "Email": [1, 2]},
        [5.0, None],
        DARK,
        "Act",
        keys=["a", "b"],
        type_keys={"Call": 1, "Email": 2},
    )
    render(fig)
    assert len(hits) == 3  # bars with a value
    assert hits[0].key == ("a", 1) and "Call: 3" in hits[0].tooltip
    assert PALETTE.target in colours(ax)
    key = ax.get_legend()
    assert key is not None
    assert [t.get_text() for t in key.get_texts()] == ["Call", "Email", "Activity target"]
    assert [type(h).__name__ for h in key.legend_handles] == ["Rectangle", "Rectangle", "Line2D"]


def test_funnel_time_pipeline_accounts_trend() -> None:
    fig, ax = axes()
    hits = charts.plot_funnel(
        ax, ["A", "B"], [10, 4], [4, 1], [0.4, 0.25], [0.5, None], title="F", keys=[1, 2]
    )
    render(fig)
    assert hits[0].key == 1 and "Conversion: 40 %" in hits[0].tooltip
    assert PALETTE.target in colours(ax)

    fig, ax = axes()
    hits = charts.plot_time_in_stage(ax, ["A", "B"], [20.0, None], [14, 21], [3, 0])
    render(fig)
    assert "Stalled now: 3" in hits[0].tooltip
    assert any("3 stalled" in t.get_text() for t in ax.texts)

    fig, ax = axes()
    hits = charts.plot_pipeline(ax, ["A"], [100_000], [10_000.0], 250_000, currency="EUR")
    render(fig)
    assert len(hits) == 4 and PALETTE.target in colours(ax)  # stage + total, open + weighted

    fig, ax = axes()
    hits = charts.plot_accounts(ax, ["A", "B"], [5, 2], [1, 0], 0.5, 1.0)
    render(fig)
    assert hits[1].key == (0, "at_risk")
    assert any("Review coverage 50 %" in t.get_text() for t in ax.texts)

    fig, ax = axes()
    hits = charts.plot_outcome_trend(ax, ["Jan", "Feb"], [0.5, None], [0.35, 0.35], [1, 0], [1, 0])
    render(fig)
    assert "Win rate: 50 %" in hits[0].tooltip and PALETTE.target in colours(ax)


def test_attainment_mix_and_empty_states() -> None:
    t = TargetResult("win_rate", "Win rate", Unit.PERCENT, 35, 30, 30 / 35, Status.AT_RISK)
    fig, ax = axes()
    hits = charts.plot_attainment(ax, [("Hunting", [t]), ("Farming", [])], DARK, "x", 100, 80)
    render(fig)
    assert len(hits) == 1 and "86 %" in hits[0].tooltip
    fig, ax = axes()
    assert charts.plot_mix(ax, ["Call"], [3], ["#000000"])
    for fn, args in (
        (charts.plot_activity_volume, ([], {}, [])),
        (charts.plot_funnel, ([], [], [], [], [])),
        (charts.plot_attainment, ([],)),
        (charts.plot_mix, ([], [], [])),
    ):
        fig, ax = axes()
        assert fn(ax, *args) == []  # type: ignore[operator]
        render(fig)
        assert any("No" in t.get_text() for t in ax.texts)


def test_formatting_helpers() -> None:
    assert charts.fmt_pct(None) == "–" and charts.fmt_pct(0.256) == "26 %"
    assert charts.fmt_money(123_456_700, "EUR") == "EUR 1.2M"
    assert charts.fmt_money(2_500_000) == "25k"
    assert charts.fmt_count(3.0) == "3" and charts.fmt_count(2.5) == "2.5"
    assert DARK.bg == "#1f2124" and DARK.grid != ChartTheme().grid


def test_every_bar_is_its_own_hover_and_click_target() -> None:
    """Each bar (a ``Rectangle`` of ``ax.bar``) is found at its place on the canvas and nowhere
    else; stacked bars do not overlap."""
    from matplotlib.backend_bases import MouseEvent

    fig, ax = axes()
    hits = charts.plot_activity_volume(
        ax, ["W1", "W2", "W3"], {"Call": [3, 0, 5], "Email": [1, 2, 0]}, [4.0, 4.0, 4.0],
        keys=["a", "b", "c"], type_keys={"Call": 1, "Email": 2},
    )  # fmt: skip
    render(fig)
    assert [type(c).__name__ for c in ax.containers] == ["BarContainer", "BarContainer"]
    assert [h.key for h in hits] == [("a", 1), ("c", 1), ("a", 2), ("b", 2)]
    for hit in hits:
        box = hit.artist.get_window_extent()
        assert box.width > 10 and box.height > 1
        centre = ((box.x0 + box.x1) / 2, (box.y0 + box.y1) / 2)
        inside = MouseEvent("motion_notify_event", fig.canvas, *centre)
        assert hit.artist.contains(inside)[0]
        others = [h for h in hits if h.artist.contains(inside)[0]]
        assert others == [hit]  # stacked bars do not overlap
    below = MouseEvent("motion_notify_event", fig.canvas, *hits[0].artist.get_window_extent().p0)
    outside = MouseEvent("motion_notify_event", fig.canvas, below.x, below.y - 5)
    assert not any(h.artist.contains(outside)[0] for h in hits)
    # Stacking: the second series starts where the first ends.
    call_a, email_a = hits[0].artist, hits[2].artist
    assert email_a.get_y() == call_a.get_y() + call_a.get_height() == 3


def test_the_legend_takes_its_colours_from_the_series() -> None:
    """The legend swatch of a series is the series' colour (also for legend-only entries), and
    the legend sits above the plot, below the title, inside the figure."""
    fig, ax = axes()
    charts.plot_time_in_stage(
        ax, ["A", "B"], [20.0, 5.0], [14, 21], [3, 0], title="T", colour="#123456"
    )
    render(fig)
    key = ax.get_legend()
    assert key is not None
    swatches = {
        t.get_text(): to_hex(h.get_facecolor())
        for t, h in zip(key.get_texts(), key.legend_handles, strict=True)
        if type(h).__name__ == "Rectangle"
    }
    assert swatches == {"Median days in stage": "#123456", "Median over expected": PALETTE.behind}
    box = key.get_window_extent()
    assert box.y0 >= ax.bbox.y1 and box.y1 <= fig.bbox.y1 and box.x1 <= fig.bbox.x1
    assert ax.title.get_window_extent().y0 >= box.y1 - 1  # the title is not drawn over it


def test_activity_target_is_read_against_the_types_it_counts() -> None:
    """A target of calls is drawn against the calls: targeted types solid at the bottom of the
    stack, the types no target counts faint above them, and the key names what is counted."""
    fig, ax = axes()
    charts.plot_activity_volume(
        ax,
        ["W1", "W2"],
        {"Call": [3, 1], "Email": [1, 2]},
        [4.0, 4.0],
        title="Act",
        target_label="Target: Call (solid)",
        targeted=["Call"],
    )
    render(fig)
    calls, emails = ax.containers
    assert calls.get_label() == "Call" and all(b.get_alpha() is None for b in calls)
    assert all(b.get_alpha() == pytest.approx(0.35) for b in emails)
    _fig2, ax2 = axes()
    charts.plot_activity_volume(ax2, ["W1"], {"Call": [3], "Email": [1]}, [None])
    assert all(b.get_alpha() is None for c in ax2.containers for b in c)
