"""Plotting functions on a headless Agg figure: they draw, show the target and report bars."""

from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from nextlevel_desktop.domain.measures import Status, TargetResult
from nextlevel_desktop.domain.targets import Unit
from nextlevel_desktop.ui.monitor import charts
from nextlevel_desktop.ui.monitor.charts import ChartTheme
from nextlevel_desktop.ui.theme import PALETTE

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
    for coll in ax.collections:
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
    assert ax.get_legend() is not None


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
