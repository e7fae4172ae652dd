"""Where start-up time goes: a timeline of the real app opening the large workspace.

    python benchmarks/profile_startup.py [WORKSPACE] [--runs 3] [--platform xcb]

Starts ``_app_probe.py`` (the start-up benchmark's probe: the app as ``run_gui`` starts it,
then the activity list, then the Monitor) in a fresh process, with timestamps at the imports
and steps that matter, and prints, per step, the median of the runs in milliseconds since the
process was launched, beside the bare PySide6 window of ``_bare_window.py`` for scale. The
import hook adds a little to every step; the benchmark itself (``bench_startup.py``) runs without
it. The figures back the "Targets not met" section of RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import compile_sources

HERE = Path(__file__).parent

# (module, callables to time inside it); a module's own import is timed too.
STEPS = {
    "sqlalchemy": [],
    "alembic": [],
    "matplotlib": [],
    "matplotlib.figure": [],
    "sqlalchemy.orm": [],
    "nextlevel_desktop.storage.orm": [],
    "nextlevel_desktop.storage.db": [],
    "nextlevel_desktop.services.container": [],
    "nextlevel_desktop.services.workspace": ["open_workspace"],
    "nextlevel_desktop.services.scorecards": ["ScorecardService.scorecard"],
    "nextlevel_desktop.app": ["_warm_up", "make_application", "AppController.start"],
    "nextlevel_desktop.ui.main_window": [
        "MainWindow.attach",
        "MainWindow._prepare_first_area",
        "MainWindow._show_first_area",
    ],
    "nextlevel_desktop.ui.kit.lazy_tabs": ["LazyTabs._shown", "LazyTabs._polish"],
    "nextlevel_desktop.ui.monitor.area": ["MonitorArea.ensure_built"],
    "nextlevel_desktop.ui.monitor.dashboard": ["Dashboard.__init__", "Dashboard._fill_tiles"],
    "nextlevel_desktop.ui.logger.area": ["ActivitiesArea.__init__"],
    "nextlevel_desktop.ui.logger.activity_list": ["ActivityListPanel.__init__"],
}

CHILD = r"""
import functools, importlib.abc, importlib.util, runpy, sys, threading, time
T0, STEPS = float(sys.argv[1]), eval(sys.argv[2])
sys.argv = sys.argv[3:]
sys.path.insert(0, sys.argv[0].rpartition("/")[0])  # the probe's own imports (stall.py)
def mark(name, since=None, cpu=None):
    now = time.time()
    took = f" {(now - since) * 1000:.1f}" if since else ""
    if cpu is not None:  # this thread's own CPU time in the step, and which thread it was
        from PySide6.QtCore import QThread
        thread = QThread.currentThread().objectName() or threading.current_thread().name
        name = f"{name} [{thread.replace(' ', '_')} {(time.thread_time() - cpu) * 1000:.1f}]"
    print(f"@ {(now - T0) * 1000:.1f}{took} {name}", file=sys.stderr, flush=True)
mark("python started")
def wrap(module, qual):
    owner = module
    *path, name = qual.split(".")
    for part in path:
        owner = getattr(owner, part, None)
    fn = getattr(owner, name, None)
    if fn is None:  # not in this version of the app
        return
    @functools.wraps(fn)
    def timed(*a, **k):
        t, c = time.time(), time.thread_time(); r = fn(*a, **k); mark(qual, t, c); return r
    setattr(owner, name, timed)
class Finder(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name not in STEPS:
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        load = spec.loader.exec_module
        def exec_module(module):
            t, c = time.time(), time.thread_time(); load(module); mark("import " + name, t, c)
            for qual in STEPS[name]:
                wrap(module, qual)
        spec.loader.exec_module = exec_module
        return spec
sys.meta_path.insert(0, Finder())
t = time.time(); import PySide6.QtWidgets; mark("import PySide6.QtWidgets", t)
t = time.time(); import nextlevel_desktop.app; mark("import nextlevel_desktop.app", t)
runpy.run_path(sys.argv[0], run_name="__main__")
"""


def _launch(args: list[str], env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.time()
    done = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, env=env, check=True, timeout=300
    )
    return started, done


def profile(workspace: Path, runs: int, platform: str = "offscreen") -> list[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": platform}
    data_dir = Path(tempfile.mkdtemp(prefix="nld-profile-"))
    probe = [str(HERE / "_app_probe.py"), str(workspace), str(data_dir)]
    _launch(probe, env)  # the day's first open also writes the daily backup (in the background)
    steps: dict[str, list[tuple[float, float | None, float | None]]] = {}
    threads: dict[str, str] = {}
    bare: list[float] = []
    turns: list[str] = []  # each run's long GUI-thread turns
    for run in range(runs):
        started, done = _launch([str(HERE / "_bare_window.py")], env)
        bare.append((float(done.stdout.split()[1]) - started) * 1000)
        started = time.time()
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(started), repr(STEPS), *probe],
            capture_output=True,
            text=True,
            env=env,
            check=True,
            timeout=300,
        )
        seen: dict[str, int] = {}
        long = [line.split()[5:] for line in done.stderr.splitlines() if "long GUI turn" in line]
        turns.append(
            f"run {run + 1}: "
            + ", ".join(
                f"{(float(at) - started) * 1000:.0f} ({float(c):.0f}/{float(w):.0f})"
                for at, _cpu, c, _wall, w in long
            )
        )
        for line in done.stderr.splitlines():
            if not line.startswith("@ "):
                continue
            parts = line.split(" ", 3)
            at = float(parts[1])
            took: float | None = None
            cpu: float | None = None
            if len(parts) == 4 and parts[2].replace(".", "", 1).isdigit():
                took, name = float(parts[2]), parts[3]
            else:
                name = " ".join(parts[2:])
            if name.endswith("]"):  # "step [thread cpu-ms]"
                name, _, tail = name[:-1].rpartition(" [")
                thread, cpu_text = tail.rsplit(" ", 1)
                cpu = float(cpu_text)
            seen[name] = seen.get(name, 0) + 1
            key = name if seen[name] == 1 else f"{name} #{seen[name]}"
            if cpu is not None:
                threads[key] = thread
            steps.setdefault(key, []).append((at, took, cpu))
        for line in done.stdout.splitlines():
            key, value = line.split()
            if key.startswith("stall_"):
                steps.setdefault(f"worst stall after the first paint: {key}", []).append(
                    (0.0, float(value), None)
                )
            names = {
                "exposed": "window exposed (mapped and viewable)",
                "painted": "window painted",
                "activities": "activity list shown",
                "data": "activity list and Monitor shown",
                "worst_cpu_turn_ended": "the GUI thread's longest CPU turn ended",
            }
            if key in names:
                name = names[key]
                steps.setdefault(name, []).append(((float(value) - started) * 1000, None, None))
    shutil.rmtree(data_dir, ignore_errors=True)  # its daily backup: a copy of the workspace
    base = statistics.median(bare)
    rows = [f"bare PySide6 window painted: {base:.0f} ms (median of {runs})", ""]
    rows.append(f"{'at (ms)':>8} {'took':>7} {'cpu':>6} {'× bare':>6}  {'thread':<18} step")
    ordered = sorted(steps.items(), key=lambda kv: statistics.median(v[0] for v in kv[1]))
    shown = statistics.median(v[0] for v in steps["activity list and Monitor shown"])
    for name, values in ordered:
        if len(values) < runs or statistics.median(v[0] for v in values) > shown:
            continue
        at = statistics.median(v[0] for v in values)
        tooks = [v[1] for v in values if v[1] is not None]
        cpus = [v[2] for v in values if v[2] is not None]
        took = f"{statistics.median(tooks):7.0f}" if tooks else " " * 7
        cpu = f"{statistics.median(cpus):6.0f}" if cpus else " " * 6
        thread = threads.get(name, "")
        rows.append(f"{at:8.0f} {took} {cpu} {at / base:6.2f}  {thread:<18} {name}")
    rows += ["", "GUI-thread turns over 25 ms CPU or 50 ms wall, ended at (CPU/wall ms):", *turns]
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("workspace", nargs="?", type=Path, default=HERE / "data" / "large.nlw")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--platform",
        default="offscreen",
        help="Qt platform: offscreen, or xcb with DISPLAY set (e.g. under xvfb-run -a)",
    )
    args = parser.parse_args()
    compile_sources()
    print("\n".join(profile(args.workspace, args.runs, args.platform)))


if __name__ == "__main__":
    main()
