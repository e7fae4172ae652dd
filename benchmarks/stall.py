"""The GUI thread's longest stall during an action (DESIGN §5: never more than 50 ms).

A 1 ms timer ticks whenever the event loop is free; the longest gap between two ticks is the
longest the GUI thread spent on something else (a slot, a paint, a read or write on its own
connection) before it could take the user's next key press. An action's synchronous part counts
too: the probe starts before it, as the app runs it inside an event handler.

"Done" means the result is on screen: the operation road is idle (every read and write asked
for has answered) and the event loop has then gone round a few times, so the panels marked stale
have refreshed on their zero timers and painted.

    probe = StallProbe()
    with probe:
        combo.setCurrentIndex(3)
        spin_until(settled(window))
    probe.worst_ms
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer

TARGET_MS = 50.0
QUIET_TURNS = 5  # turns of the event loop with nothing pending before an action counts as done


class StallProbe(QObject):
    """Records the longest gap between ticks of a 1 ms timer while it runs."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(1)
        self._timer.timeout.connect(self._tick)
        self._last = self._last_cpu = 0.0
        self.worst_ms = 0.0
        # The most CPU time the GUI thread itself spent between two ticks: on a loaded machine
        # a gap also holds time the process waited for a core (or for the GIL), this does not.
        self.worst_cpu_ms = 0.0
        self.busy_until = 0.0  # when the loop was last held up (a gap over 3 ms ended)
        self.worst_cpu_at = 0.0  # when the turn that took ``worst_cpu_ms`` ended
        # (ended, CPU ms, wall ms) of the turns over 25 ms of CPU or 50 ms of wall time
        self.long_turns: list[tuple[float, float, float]] = []

    def start(self) -> None:
        self.worst_ms = self.worst_cpu_ms = 0.0
        self._last = self.busy_until = time.perf_counter()
        self._last_cpu = time.thread_time()
        self._timer.start()

    def _tick(self) -> None:
        now, cpu = time.perf_counter(), time.thread_time()
        gap = (now - self._last) * 1000
        self.worst_ms = max(self.worst_ms, gap)
        if (cpu - self._last_cpu) * 1000 > 25 or gap > TARGET_MS:
            self.long_turns.append((now, (cpu - self._last_cpu) * 1000, gap))
        if (cpu - self._last_cpu) * 1000 > self.worst_cpu_ms:
            self.worst_cpu_ms = (cpu - self._last_cpu) * 1000
            self.worst_cpu_at = now
        if gap > 3:
            self.busy_until = now
        self._last, self._last_cpu = now, cpu

    def stop(self) -> float:
        self._tick()
        self._timer.stop()
        return self.worst_ms

    def __enter__(self) -> StallProbe:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


def settled(window: Any, also: Callable[[], bool] = lambda: True) -> Callable[[], bool]:
    """True when ``window``'s operation road is idle and ``also`` holds."""

    def done() -> bool:
        ops = getattr(window, "ops", None)
        return (ops is None or ops.idle) and also()

    return done


def monitor_on_screen(window: Any) -> Callable[[], bool]:
    """True when nothing visible in the Monitor's dashboard is waiting: its tiles (the
    scorecards read and filled) and the chart in the open tab (read, drawn on the chart thread
    and its image handed to its view); with ``settled`` and the quiet turns, painted."""

    def done() -> bool:
        dash = window.monitor.dashboard
        if dash is None or dash.stale.is_stale:
            return False
        current = dash.chart_tabs.currentWidget()  # a chart's tab first shown: its panel made
        if current is not dash.risk_page and current not in dash.panels.values():
            return False
        for key, panel in dash.panels.items():
            if not panel.isVisible():
                continue
            if dash.stale_charts[key].is_stale or panel.stale.is_stale:
                return False
            if panel.drawing:
                return False
        return not (dash.risk_page.isVisible() and dash.stale_risks.is_stale)

    return done


def spin_until(done: Callable[[], bool], timeout_s: float = 120.0) -> float:
    """Run the event loop until ``done()`` has held for ``QUIET_TURNS`` turns in a row; return
    the ``time.perf_counter()`` at which it first held (in that run)."""
    start = time.perf_counter()
    first: list[float] = []
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(1)

    def check() -> None:
        if done():
            first.append(time.perf_counter())
        else:
            first.clear()
        if len(first) >= QUIET_TURNS or time.perf_counter() - start > timeout_s:
            loop.quit()

    poll.timeout.connect(check)
    poll.start()
    loop.exec()
    poll.stop()
    if len(first) < QUIET_TURNS:
        raise RuntimeError(f"the action did not finish within {timeout_s:.0f} s")
    return first[0]


def measure(action: Callable[[], object], done: Callable[[], bool]) -> tuple[float, float]:
    """(ms until done, worst GUI-thread stall in ms) of one action. Done is when ``done()``
    first held, or later if the loop was still held up after that (a chart drawn on a timer)."""
    probe = StallProbe()
    with probe:
        start = time.perf_counter()
        action()
        done_at = spin_until(done)
    return (max(done_at, probe.busy_until) - start) * 1000, probe.worst_ms


def stall_result(area: str, what: str, stalls: list[float]) -> Any:
    """A results row: the worst stall over every run of the action."""
    from common import Result

    worst = max(stalls)
    return Result(
        area,
        f"worst stall (ms): {what}",
        worst,
        "ms",
        len(stalls),
        f"≤ {TARGET_MS:.0f} ms",
        worst <= TARGET_MS,
    )
