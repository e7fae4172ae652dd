"""Start the real app on a workspace exactly as ``run_gui`` does (``AppController.start``) and
report, as epoch seconds: the main window's first paint; the activity list and then the monitor
painted with their data; the GUI thread's worst stall between the two (``stall.py``; also until
the activity list was shown, and as the GUI thread's own CPU time); then the peak RSS after every
area has been visited.

"Painted with their data": when the workspace is attached (opened on its thread after the first
paint) the Activities area is shown until every read it asked for has answered (its lists
counted, their first pages read) and the event loop has gone round with nothing pending, so the
rows are painted; then the Monitor, until its reads have answered and its tiles and open chart
are drawn (``stall.monitor_on_screen``).

    python benchmarks/_app_probe.py WORKSPACE DATA_DIR
"""

import resource
import sys
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from stall import StallProbe, monitor_on_screen, settled, spin_until

from nextlevel_desktop.app import AppController, make_application
from nextlevel_desktop.paths import Paths
from nextlevel_desktop.ui.theme import apply_colour_scheme
from nextlevel_desktop.ui.user_settings import UserSettings


class OnPaint(QObject):
    def __init__(self, widget, callback, kind=QEvent.Type.Paint) -> None:
        super().__init__(widget)
        self.callback, self.kind = callback, kind
        widget.installEventFilter(self)
        if kind == QEvent.Type.Paint:
            widget.update()

    def eventFilter(self, obj, event):  # noqa: N802 - Qt override
        if event.type() == self.kind:
            obj.removeEventFilter(self)
            QTimer.singleShot(0, self.callback)
        return False


def _chart_pid() -> int | None:
    """The chart drawing process's id (``None``: a version that draws charts in-process)."""
    try:
        from nextlevel_desktop.render import chart_process
    except ImportError:
        return None
    return chart_process.shared().pid


def _peak_rss_mb(pid: int | None) -> float:
    """The peak resident memory of process ``pid`` (Linux ``VmHWM``; 0 when not running)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except (OSError, TypeError):
        return 0.0
    kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM"))
    return kb / 1024


def main() -> None:
    workspace, data_dir = Path(sys.argv[1]), Path(sys.argv[2])
    app = make_application()
    settings = UserSettings(data_dir / "settings.ini")
    apply_colour_scheme(settings.colour_scheme)
    controller = AppController(Paths(data_dir, data_dir / "logs"), settings)
    window = controller.start(workspace)
    keep = []
    probe = StallProbe()

    def painted() -> None:
        print(f"painted {time.time():.6f}", flush=True)
        print(f"cpu_painted_s {time.process_time():.3f}", flush=True)
        probe.start()

    def attached() -> None:
        QTimer.singleShot(0, shown)

    def shown() -> None:
        window.area_actions[1].trigger()  # Ctrl+2, as the user chooses an area
        # (built in steps: its modules a turn each, built hidden, shown on the next turn)
        at = spin_until(settled(window, lambda: window.stack.currentWidget() is window._built[1]))
        print(f"activities {time.time() - (time.perf_counter() - at):.6f}", flush=True)
        print(f"cpu_activities_s {time.process_time():.3f}", flush=True)  # all threads
        print(f"stall_activities_ms {probe.worst_ms:.1f}", flush=True)
        print(f"stall_cpu_activities_ms {probe.worst_cpu_ms:.1f}", flush=True)
        window.area_actions[2].trigger()  # Ctrl+3
        done_at = spin_until(settled(window, monitor_on_screen(window)))
        stall = probe.stop()
        done_at = max(done_at, probe.busy_until)
        print(f"data {time.time() - (time.perf_counter() - done_at):.6f}", flush=True)
        print(f"stall_ms {stall:.1f}", flush=True)
        print(f"stall_cpu_ms {probe.worst_cpu_ms:.1f}", flush=True)
        worst_at = time.time() - (time.perf_counter() - probe.worst_cpu_at)
        print(f"worst_cpu_turn_ended {worst_at:.6f}", flush=True)
        for ended, cpu_ms, wall_ms in probe.long_turns:  # for profile_startup.py's timeline
            at = time.time() - (time.perf_counter() - ended)
            line = f"# long GUI turn ended {at:.6f} cpu {cpu_ms:.1f} wall {wall_ms:.1f}"
            print(line, file=sys.stderr, flush=True)
        for i in range(len(window.areas)):
            window.show_area(i)
            spin_until(settled(window))  # its data read and painted
            window.grab()
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"rss_mb {rss:.1f}", flush=True)
        print(f"rss_charts_mb {_peak_rss_mb(_chart_pid()):.1f}", flush=True)
        app.quit()

    keep.append(OnPaint(window, painted))

    def on_expose() -> None:  # the window mapped and viewable (xcb: the server's Expose)
        print(f"exposed {time.time():.6f}", flush=True)

    keep.append(OnPaint(window.windowHandle(), on_expose, QEvent.Type.Expose))
    window.workspaceAttached.connect(attached)
    app.exec()
    controller.close()


if __name__ == "__main__":
    main()
