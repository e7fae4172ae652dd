"""Monitor refresh on the large workspace, in the real window.

- refresh: change the person in the Monitor → both scorecards read on the reader thread, tiles
  filled, the open chart's data read and drawn, and all of it painted ("data on screen": the
  operation road idle, nothing visible still stale or waiting for matplotlib's idle draw, and
  the event loop gone round with nothing pending; ``stall.measure``). Charts in other tabs are
  marked stale and read and drawn when their tab is opened: opening each of them is timed too;
- the measures alone (both scorecards) against the very same SQL statements replayed through
  raw sqlite3 (captured from the service, so the aggregation is identical: the ratio is what the
  service's Python, SQLAlchemy and formulas add to the database's own work);
- the whole team's plan and hunting stage health (the Plan and Health tabs' reads), as the
  service calls (issue 16: within the Monitor refresh target).
"""

from __future__ import annotations

import gc
import itertools
import sqlite3
import statistics
from pathlib import Path
from typing import TYPE_CHECKING

from common import Result, gui_app, median_ms
from stall import measure, monitor_on_screen, settled, stall_result

if TYPE_CHECKING:
    from nextlevel_desktop.services.container import Services


def run(workspace: Path, runs: int = 5) -> list[Result]:
    app = gui_app()
    from sqlalchemy import event

    from nextlevel_desktop.services.container import Services
    from nextlevel_desktop.services.workspace import open_workspace
    from nextlevel_desktop.ui.main_window import MainWindow
    from nextlevel_desktop.ui.user_settings import UserSettings

    db, _ = open_workspace(workspace)
    services = Services.for_database(db)

    class _Controller:
        def open_workspace(self, *_a: object, **_k: object) -> bool:
            return True

    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="nld-bench-mon-"))
    window = MainWindow(services, UserSettings(folder / "s.ini"), _Controller())
    window.resize(1280, 800)
    window.show()
    window.show_area(2)
    app.processEvents()
    gc.freeze()  # as the app does once the first screen is up (app.py)
    dash = window.monitor.dashboard
    assert dash is not None
    people = dash.filter_bar.person
    choices = itertools.cycle(range(people.count()))
    n = max(runs, 1)

    person_stalls: list[float] = []
    tab_stalls: list[float] = []

    done = settled(window, monitor_on_screen(window))

    def change_person() -> float:
        took, stall = measure(lambda: people.setCurrentIndex(next(choices)), done)
        if dash.refresh_count == 0:
            raise RuntimeError("the monitor did not refresh")
        person_stalls.append(stall)
        return took

    change_person()  # warm-up
    person_stalls.clear()
    refresh = statistics.median([change_person() for _ in range(n)])

    def all_charts() -> float:
        took = change_person()
        person_stalls.pop()
        for i in [*range(1, dash.chart_tabs.count()), 0]:
            tab_took, stall = measure(lambda i=i: dash.chart_tabs.setCurrentIndex(i), done)
            took += tab_took
            tab_stalls.append(stall)
        return took

    every_chart = statistics.median([all_charts() for _ in range(n)])

    # The measures alone, and the same SQL replayed raw.
    scopes = [dash.scope(p) for p in dash.processes()]
    captured: list[tuple[str, object]] = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):  # type: ignore[no-untyped-def]
        captured.append((statement, parameters))

    def measures() -> None:
        for scope in scopes:
            services.scorecards.scorecard(scope)

    event.listen(db.engine, "before_cursor_execute", capture)
    measures()
    event.remove(db.engine, "before_cursor_execute", capture)
    statements = [
        (sql, params)
        for sql, params in captured
        if sql.lstrip().upper().startswith(("SELECT", "WITH"))
    ]
    con = sqlite3.connect(workspace)

    def raw() -> None:
        for sql, params in statements:
            con.execute(sql, params).fetchall()  # type: ignore[arg-type]

    base = median_ms(raw, n)
    ours = median_ms(measures, n)
    team_plan, team_health = team_reads(services, n)
    con.close()
    window.close()
    db.close()
    import shutil

    shutil.rmtree(folder, ignore_errors=True)
    return [
        Result(
            "monitor",
            "change person → all measures of both processes, tiles, open chart",
            refresh,
            "ms",
            n,
            "≤ 250 ms",
            refresh <= 250,
        ),
        Result(
            "monitor",
            "change person, then open every chart tab and the at-risk list",
            every_chart,
            "ms",
            n,
            "—",
            None,
        ),
        stall_result(
            "monitor", "change person (until numbers and open chart shown)", person_stalls
        ),
        stall_result("monitor", "open each chart tab (until drawn)", tab_stalls),
        Result(
            "monitor",
            f"measures alone (both scorecards, {len(statements)} SQL queries)",
            ours,
            "ms",
            n,
            "≤ 2× raw SQL",
            ours <= 2 * base,
            base,
            "the same SQL replayed through raw sqlite3",
        ),
        Result(
            "monitor",
            "team plan (Plan tab, whole team: six months' rates and the pace)",
            team_plan,
            "ms",
            n,
            "≤ 250 ms",
            team_plan <= 250,
        ),
        Result(
            "monitor",
            "team stage health (Health tab, whole team, hunting, this month)",
            team_health,
            "ms",
            n,
            "≤ 250 ms",
            team_health <= 250,
        ),
    ]


def team_reads(services: Services, n: int) -> tuple[float, float]:
    """Median ms of the whole team's plan (next quarter's deals, the Plan tab's read) and of
    its hunting stage health this month (the Health tab's), as the service calls."""
    from datetime import date

    from nextlevel_desktop.domain.models import ProcessKind
    from nextlevel_desktop.domain.periods import Granularity, period_of
    from nextlevel_desktop.services.planning import PlanRequest
    from nextlevel_desktop.services.scorecards import Scope

    today = date.today()
    hunting = next(p for p in services.processes.processes() if p.kind is ProcessKind.HUNTING)
    quarter = period_of(Granularity.QUARTER, today).shifted(1)
    request = PlanRequest(hunting.id, None, quarter, "won_count", 30)
    scope = Scope(hunting, None, period_of(Granularity.MONTH, today), today)
    plan = median_ms(lambda: services.planning.plan(request, today), n)
    health = median_ms(lambda: services.health.stage_health(scope), n)
    return plan, health
