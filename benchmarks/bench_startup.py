"""Start-up and memory: process start → main window painted, → activity list and monitor data
shown, and peak RSS with every area visited; against a bare PySide6 window started the same way.
The GUI thread's worst stall from the first paint until the data is shown is reported too."""

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
    bare, paint, data, rss, stalls = [], [], [], [], []
    # One data folder for all runs, after a warm-up run: the first open of the day also writes
    # the automatic daily backup (in the background), which later opens that day skip.
    data_dir = Path(tempfile.mkdtemp(prefix="nld-bench-"))
    probe = [str(HERE / "_app_probe.py"), str(workspace), str(data_dir)]
    try:
        run_script(probe)
        for _ in range(runs):
            started, out = run_script([str(HERE / "_bare_window.py")])
            bare.append((_value(out, "painted") - started) * 1000)
            started, out = run_script(probe)
            paint.append((_value(out, "painted") - started) * 1000)
            data.append((_value(out, "data") - started) * 1000)
            rss.append(_value(out, "rss_mb"))
            stalls.append(_value(out, "stall_ms"))
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
            "activity list and monitor data shown",
            d,
            "ms",
            runs,
            "≤ 5× baseline",
            d <= 5 * base,
            base,
            "bare PySide6 window painted",
        ),
        stall_result("start-up", "from the first paint until the data is shown", stalls),
        Result(
            "memory",
            "peak RSS, large workspace open, every area visited",
            statistics.median(rss),
            "MB",
            runs,
            "≤ 400 MB",
            statistics.median(rss) <= 400,
        ),
    ]
