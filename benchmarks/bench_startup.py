"""Start-up and memory: process start → main window painted, → activity list and monitor data
shown, and peak RSS with every area visited; against a bare PySide6 window started the same way,
and against the floor (``_floor_probe.py``: the bare window, then only the storage stack, the
workspace opened and the activity list's first page). The GUI thread's worst stall from the first
paint until the data is shown is reported too, as wall time and as the GUI thread's own CPU time
(on a shared machine a gap also holds time spent waiting for a core)."""

from __future__ import annotations

import shutil
import statistics
import tempfile
from pathlib import Path

from common import HERE, Result, run_script
from stall import stall_result


def _value(out: str, key: str) -> float:
    for line in out.splitlines():
        if line.startswith(key + " "):
            return float(line.split()[1])
    raise RuntimeError(f"no '{key}' in the probe's output:\n{out}")


def run(workspace: Path, runs: int = 5) -> list[Result]:
    bare, paint, data, rss, stalls, cpu, floor, first = [], [], [], [], [], [], [], []
    # One data folder for all runs, after a warm-up run: the first open of the day also writes
    # the automatic daily backup (in the background), which later opens that day skip.
    data_dir = Path(tempfile.mkdtemp(prefix="nld-bench-"))
    probe = [str(HERE / "_app_probe.py"), str(workspace), str(data_dir)]
    try:
        run_script(probe)
        for _ in range(runs):
            started, out = run_script([str(HERE / "_bare_window.py")])
            bare.append((_value(out, "painted") - started) * 1000)
            started, out = run_script([str(HERE / "_floor_probe.py"), str(workspace)])
            floor.append((_value(out, "data") - started) * 1000)
            started, out = run_script(probe)
            paint.append((_value(out, "painted") - started) * 1000)
            data.append((_value(out, "data") - started) * 1000)
            first.append((_value(out, "activities") - started) * 1000)
            rss.append(_value(out, "rss_mb") + _value(out, "rss_charts_mb"))
            stalls.append(_value(out, "stall_ms"))
            cpu.append(_value(out, "stall_cpu_ms"))
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    base = statistics.median(bare)
    p, d = statistics.median(paint), statistics.median(data)
    return [
        Result(
            "start-up",
            "main window painted",
            p,
            "ms",
            runs,
            "≤ 2.5× baseline",
            p <= 2.5 * base,
            base,
            "bare PySide6 window painted",
        ),
        Result(
            "start-up",
            "activity list shown (the first data on screen)",
            statistics.median(first),
            "ms",
            runs,
            "—",
            None,
            base,
            "bare PySide6 window painted",
        ),
        Result(
            "start-up",
            "activity list and monitor data shown",
            d,
            "ms",
            runs,
            "≤ 5× baseline",
            d <= 5 * base,
            base,
            "bare PySide6 window painted",
        ),
        Result(
            "start-up",
            "floor: a bare window, then the storage stack imported, the workspace opened and "
            "the activity list's first page read and painted (_floor_probe.py)",
            statistics.median(floor),
            "ms",
            runs,
            "—",
            None,
            base,
            "bare PySide6 window painted",
        ),
        stall_result("start-up", "from the first paint until the data is shown", stalls),
        Result(
            "start-up",
            "GUI thread's CPU time in its longest turn, first paint until data shown "
            "(the stall without the machine's load)",
            max(cpu),
            "ms",
            runs,
            "≤ 50 ms",
            max(cpu) <= 50,
        ),
        Result(
            "memory",
            "peak RSS (the app's process + its chart drawing process), large workspace "
            "open, every area visited",
            statistics.median(rss),
            "MB",
            runs,
            "≤ 400 MB",
            statistics.median(rss) <= 400,
        ),
    ]
