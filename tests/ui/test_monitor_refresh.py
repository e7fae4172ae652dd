"""Monitor refreshes reuse each chart's figure: they must show exactly what a fresh figure shows,
follow every write and undo, and keep hover and click working on the reused plots."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import numpy as np
import pytest
from logger_testing import settle
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from nextlevel_desktop.domain.activities import ActivityDraft
from nextlevel_desktop.domain.models import ProcessKind
from nextlevel_desktop.render.charts import ChartTheme
from nextlevel_desktop.render.layout import RowLayout
from nextlevel_desktop.render.raster import ChartRaster
from nextlevel_desktop.ui.kit.ops import run_op
from nextlevel_desktop.ui.monitor.canvas import widget_theme
from nextlevel_desktop.ui.monitor.dashboard import CHARTS
from nextlevel_desktop.ui.plain_text import tip

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")
DARK = ChartTheme.for_background("#1f2124", "#e6e6e6")


@pytest.fixture
def dash(main_window, qtbot):  # type: ignore[no-untyped-def]
    main_window.show_area(2)
    qtbot.waitUntil(lambda: main_window.monitor.dashboard is not None)
    settle(main_window)
    return main_window.monitor.dashboard


def content(dash, key: str):  # type: ignore[no-untyped-def]
    """Chart ``key``'s content for the scorecards on screen, read as the dashboard reads it."""
    return dash.host.ops.read_now(dash.chart_read(key))


def pixels(*draws, theme: ChartTheme = DARK) -> np.ndarray:  # type: ignore[no-untyped-def,type-arg]
    """Draw each of ``draws`` in turn on one figure (as a panel does) and return the last."""
    fig = Figure(figsize=(12.8, 4.0), dpi=100, layout=RowLayout())
    FigureCanvasAgg(fig)
    for draw in draws:
        fig.set_facecolor(theme.bg)
        draw(fig, theme)
        fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


def test_a_reused_figure_shows_what_a_fresh_one_shows(dash) -> None:  # type: ignore[no-untyped-def]
    """Person A's chart, then person B's on the same figure: pixel for pixel B's fresh chart,
    for every chart, also across an empty plot and a change in the number of plots."""
    bar = dash.filter_bar
    assert bar.person.count() >= 3
    contents = []
    for person in (1, 2):
        bar.person.setCurrentIndex(person)
        settle(dash.host)
        contents.append({key: content(dash, key) for key, _t, _h in CHARTS})
    first, second = contents
    alone = {}  # one process at a time: the same single plot, hunting's then farming's
    for process in dash.processes():
        bar.process.setCurrentIndex(bar.process.findData(process.id))
        settle(dash.host)
        alone[process.kind] = {key: content(dash, key) for key, _t, _h in CHARTS}
    hunting, farming = alone[ProcessKind.HUNTING], alone[ProcessKind.FARMING]
    for key, _title, _hint in CHARTS:
        fresh = pixels(second[key].draw)
        assert np.array_equal(pixels(first[key].draw, second[key].draw), fresh), key
        assert np.array_equal(pixels(hunting[key].draw, second[key].draw), fresh), key
        assert not np.array_equal(pixels(first[key].draw), fresh) or key == "side", key
        fresh = pixels(farming[key].draw)
        assert np.array_equal(pixels(hunting[key].draw, farming[key].draw), fresh), key


def test_reused_plots_carry_nothing_over(dash, qtbot) -> None:  # type: ignore[no-untyped-def]
    """The activity chart for the team, three people and the team again, drawn on one figure
    as the drawing process draws a panel's: the same plots, with as many artists as at first."""
    kept = ChartRaster()
    draws = []
    for person in (0, 1, 2, 0):
        dash.filter_bar.person.setCurrentIndex(person)
        settle(dash.host)
        draws.append(content(dash, "activity").draw)
    kept.render(draws[0], DARK, 1280, 400, 1.0)
    axes = list(kept.figure.axes)
    counts = [(len(ax.collections), len(ax.texts), len(ax.artists)) for ax in axes]
    for draw in draws[1:]:
        kept.render(draw, DARK, 1280, 400, 1.0)
        assert kept.figure.axes == axes  # the same plots, emptied and filled again
    assert [(len(ax.collections), len(ax.texts), len(ax.artists)) for ax in axes] == counts


def _calls_this_month(dash, type_id: int) -> int:  # type: ignore[no-untyped-def]
    """The activity chart's figure for (this month's bar, calls), read from its hover texts."""
    today = dash.today
    for hit in dash.panel("activity").hits:
        (_pid, bucket), hit_type = hit.key
        if hit_type == type_id and bucket.start <= today <= bucket.end:
            return int(hit.tooltip.rsplit(": ", 1)[1].replace(",", ""))
    return 0


def test_charts_follow_a_write_and_its_undo(dash, main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    services = main_window.services
    panel = dash.panel("activity")
    dash.chart_tabs.setCurrentWidget(panel)
    dash.filter_bar.person.setCurrentIndex(0)  # the whole team
    settle(dash.host)
    call = next(
        t
        for t in services.activities.activity_types()
        if t.kind is ProcessKind.HUNTING and t.name == "Call"
    )
    before = _calls_this_month(dash, call.id)
    account = services.accounts.page("", 0, 1)[0]
    at = datetime.combine(dash.today, datetime.min.time().replace(hour=10)).astimezone(UTC)
    draft = ActivityDraft(
        call.id, at, person_id=services.people.people()[0].id, account_id=account.id
    )
    run_op(main_window, None, "Log call", lambda s: s.activities.log(draft, now=at))
    settle(main_window)
    assert _calls_this_month(dash, call.id) == before + 1
    main_window.undo_stack.undo()
    settle(main_window)
    assert _calls_this_month(dash, call.id) == before
    main_window.undo_stack.redo()
    settle(main_window)
    assert _calls_this_month(dash, call.id) == before + 1


def test_tiles_are_filled_again_not_rebuilt(dash) -> None:  # type: ignore[no-untyped-def]
    from nextlevel_desktop.ui.monitor import kpis

    grids = dict(dash.grids)
    widgets = {pid: list(grid.tiles) for pid, grid in grids.items()}
    for person in (1, 2):
        dash.filter_bar.person.setCurrentIndex(person)
        settle(dash.host)
        for card in dash.cards:
            grid = dash.grids[card.scope.process.id]
            assert grid is grids[card.scope.process.id]
            before = widgets[card.scope.process.id]
            kept = min(len(before), len(grid.tiles))
            assert grid.tiles[:kept] == before[:kept]  # the same tile widgets, filled again
            widgets[card.scope.process.id] = list(grid.tiles)
            assert all(t.isVisibleTo(dash) for t in grid.tiles)
            assert grid.grid.count() == len(grid.tiles)
            expected = kpis.tiles_for(card, None, dash.currency)
            assert [t.tile for t in grid.tiles] == expected
            for widget, tile in zip(grid.tiles, expected, strict=True):
                assert widget.value_label.text() == tile.actual
                assert widget.status_label.text() == (tile.status.label if tile.status else "")
                assert (not tile.target) == (widget.detail_label.text() == "no target")
                assert widget.toolTip().startswith(tip(tile.title)[: -len("</qt>")])


def test_tiles_follow_a_switch_to_dark_and_back(dash, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Tiles are kept between refreshes, so a colour scheme switch must restyle them at once."""
    from PySide6.QtWidgets import QApplication

    from nextlevel_desktop.ui.theme import apply_colour_scheme

    def tile_background() -> float:
        tile = next(iter(dash.grids.values())).tiles[0]
        image = tile.grab().toImage()
        return image.pixelColor(image.width() - 12, image.height() // 2).lightnessF()

    assert tile_background() > 0.5
    try:
        apply_colour_scheme("dark")
        QApplication.processEvents()
        assert tile_background() < 0.5
        dash.filter_bar.person.setCurrentIndex(1)  # a refresh keeps the dark tiles
        settle(dash.host)
        assert tile_background() < 0.5
    finally:
        apply_colour_scheme("light")
        QApplication.processEvents()
    assert tile_background() > 0.5


def test_the_monitor_numbers_need_no_matplotlib() -> None:
    """Tiles, chart contents and chart helpers import matplotlib only when a chart is drawn, so
    the Monitor's numbers can be painted first."""
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from nextlevel_desktop.render import cards, charts, format\n"
        "from nextlevel_desktop.ui.monitor import build, kpis, tiles\n"
        "sys.exit(1 if 'matplotlib' in sys.modules else 0)\n"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_a_newer_person_supersedes_a_read_in_flight(dash, main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Two people chosen while the reader is busy: the tiles keep the team's figures (with the
    busy bar) until the answer, then show only the last person's."""
    from nextlevel_desktop.services.scorecards import Scope
    from nextlevel_desktop.ui.kit.busy import Busy
    from nextlevel_desktop.ui.monitor import kpis

    bar = dash.filter_bar
    assert bar.person.currentIndex() == 0
    team = [t.tile for g in dash.grids.values() for t in g.tiles]
    gate = threading.Event()
    dash.host.ops.read(dash, "held", lambda _s: gate.wait(20), lambda _r: None)
    bar.person.setCurrentIndex(1)
    bar.person.setCurrentIndex(2)  # asked while the first person's read waits
    qtbot.waitUntil(lambda: dash.tiles_scroll.findChild(Busy).isVisible())
    assert [t.tile for g in dash.grids.values() for t in g.tiles] == team
    gate.set()
    settle(dash.host)
    assert not dash.tiles_scroll.findChild(Busy).isVisible()
    person = bar.person.itemData(2)
    assert [c.scope.person_id for c in dash.cards] == [person] * len(dash.cards)
    for card in dash.cards:
        grid = dash.grids[card.scope.process.id]
        assert bar.person.itemText(2) in grid.heading.text()
        fresh = main_window.services.scorecards.scorecard(
            Scope(card.scope.process, person, bar.picker.period, dash.today)
        )
        assert [t.tile for t in grid.tiles] == kpis.tiles_for(fresh, None, dash.currency)
    other = main_window.services.scorecards.scorecard(
        Scope(dash.cards[0].scope.process, bar.person.itemData(1), bar.picker.period, dash.today)
    )
    assert kpis.tiles_for(other, None, dash.currency) != [
        t.tile for t in dash.grids[dash.cards[0].scope.process.id].tiles
    ]


def test_each_process_scorecard_is_a_read_of_its_own(dash, main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A read asked for by a page on screen meanwhile (at start-up, the activity list the user
    turned to) waits for one scorecard, not for all; a newer choice of fewer processes, made
    while the reads are queued, shows only its own."""
    from nextlevel_desktop.domain.models import ProcessKind

    ops = main_window.ops
    bar = dash.filter_bar
    gate = threading.Event()
    ops.read(dash, "held", lambda _s: gate.wait(20), lambda _r: None)
    dash.refresh()
    asked = sorted(key for owner, key in ops._latest if owner == id(dash) and "cards" in key)
    assert asked == ["cards 0", "cards 1"]  # both processes: one read each
    hunting = next(p for p in dash.processes() if p.kind is ProcessKind.HUNTING)
    bar.process.setCurrentIndex(bar.process.findData(hunting.id))  # one process: "cards 0"
    gate.set()
    settle(main_window)
    assert [c.scope.process.id for c in dash.cards] == [hunting.id]
    assert list(dash.grids) == [hunting.id]


def test_a_hidden_chart_is_drawn_when_shown_not_on_each_write(dash, main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    services = main_window.services
    activity, funnel = dash.panel("activity"), dash.panel("funnel")
    dash.filter_bar.person.setCurrentIndex(0)  # the whole team
    dash.chart_tabs.setCurrentWidget(activity)
    settle(dash.host)
    call = next(
        t
        for t in services.activities.activity_types()
        if t.kind is ProcessKind.HUNTING and t.name == "Call"
    )
    before = _calls_this_month(dash, call.id)
    dash.chart_tabs.setCurrentWidget(funnel)
    settle(dash.host)
    drawn, funnel_drawn = activity.draw_count, funnel.draw_count
    account = services.accounts.page("", 0, 1)[0]
    at = datetime.combine(dash.today, datetime.min.time().replace(hour=11)).astimezone(UTC)
    draft = ActivityDraft(
        call.id, at, person_id=services.people.people()[0].id, account_id=account.id
    )
    for _ in range(2):
        run_op(main_window, None, "Log call", lambda s: s.activities.log(draft, now=at))
        settle(dash.host)
    assert funnel.draw_count == funnel_drawn + 2  # on screen: follows each write
    assert activity.draw_count == drawn and dash.stale_charts["activity"].is_stale
    assert _calls_this_month(dash, call.id) == before  # still the old drawing, not shown
    dash.chart_tabs.setCurrentWidget(activity)
    settle(dash.host)
    assert activity.draw_count == drawn + 1  # once, for both writes
    assert _calls_this_month(dash, call.id) == before + 2


@pytest.mark.parametrize("key", ["activity", "trend"])
def test_a_person_change_draws_the_open_chart_while_the_scorecards_are_read(  # type: ignore[no-untyped-def]
    dash, main_window, key
) -> None:
    """The activity and outcome charts read series of their own, from the scopes: their read is
    asked before the scorecards', so the chart is drawn on the chart thread while the reader
    reads them, not after. One draw per change, for the person chosen."""
    ops = main_window.ops
    panel = dash.panel(key)
    dash.chart_tabs.setCurrentWidget(panel)
    dash.filter_bar.person.setCurrentIndex(0)  # the whole team
    settle(dash.host)
    drawn, team = panel.draw_count, [h.tooltip for h in panel.hits]
    gate = threading.Event()
    ops.read(dash, "held", lambda _s: gate.wait(20), lambda _r: None)  # the reader busy
    try:
        dash.filter_bar.person.setCurrentIndex(2)
        with ops._reader._ready:
            queued = [job.key for job in ops._reader._queue if job is not None]
    finally:
        gate.set()
    mine = [k for owner, k in queued if owner in (id(dash), id(panel)) and k != "held"]
    assert mine[:3] == ["content", "cards 0", "cards 1"]
    settle(dash.host)
    assert panel.draw_count == drawn + 1
    person = dash.filter_bar.person.itemData(2)
    assert [s.person_id for s in dash.scopes] == [person] * len(dash.scopes)
    assert [c.scope.person_id for c in dash.cards] == [person] * len(dash.cards)
    size, ratio = panel.view.size(), panel.view.devicePixelRatioF()
    fresh = ChartRaster().render(
        content(dash, key).draw, widget_theme(panel), size.width(), size.height(), ratio
    )
    assert [h.tooltip for h in panel.hits] == [b.tooltip for b in fresh.boxes] != team
