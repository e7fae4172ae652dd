"""Start-up of two versions of the app, interleaved on one machine: a bare PySide6 window, then
each version's ``_app_probe.py`` (as ``bench_startup.py`` runs it), in turn, ``--runs`` times;
medians and ratios to the bare window. On a shared machine only interleaved figures compare.

    python benchmarks/compare_startup.py WORKSPACE --old /tmp/old/src [--runs 7]
    xvfb-run -a python benchmarks/compare_startup.py WORKSPACE --old ... --platform xcb

``--old`` is the ``src`` folder of the other version (e.g. ``git archive`` of a commit); the
new one is this checkout's ``src``. Each version gets its own data folder (settings, backups),
warmed up by one run first.
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
KEYS = ("exposed", "painted", "activities", "data")
CPU = ("stall_cpu_activities_ms", "stall_cpu_ms", "stall_ms")


def _run(src: Path, args: list[str], env: dict[str, str]) -> tuple[float, dict[str, float]]:
    started = time.time()
    done = subprocess.run(
        [sys.executable, "-X", "faulthandler", *args],
        capture_output=True,
        text=True,
        env={**env, "PYTHONPATH": f"{src}{os.pathsep}{HERE}"},
        timeout=600,
    )
    if done.returncode:  # (a crash: its stacks, then the run is left out of the figures)
        print(f"{src}: exit {done.returncode}\n{done.stderr[-6000:]}", file=sys.stderr)
        return started, {}
    out = done.stdout
    values = {k: float(v) for k, v in (line.split() for line in out.splitlines() if " " in line)}
    return started, values


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workspace", type=Path)
    parser.add_argument("--old", type=Path, required=True, help="the other version's src folder")
    parser.add_argument("--new", type=Path, default=HERE.parent / "src", help="(this checkout's)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--platform", default="offscreen")
    args = parser.parse_args()
    env = {**os.environ, "QT_QPA_PLATFORM": args.platform}
    versions = {"old": args.old.resolve(), "new": args.new.resolve()}
    for src in versions.values():
        compile_sources(src)
    dirs = {name: Path(tempfile.mkdtemp(prefix=f"nld-cmp-{name}-")) for name in versions}
    figures: dict[str, dict[str, list[float]]] = {name: {} for name in (*versions, "bare")}
    try:
        for name, src in versions.items():  # warm-up: the day's backup, the settings file
            _run(src, [str(HERE / "_app_probe.py"), str(args.workspace), str(dirs[name])], env)
        for run in range(args.runs):
            started, values = _run(versions["new"], [str(HERE / "_bare_window.py")], env)
            figures["bare"].setdefault("painted", []).append((values["painted"] - started) * 1e3)
            # Each version first in every other run: the one after the other often found the
            # machine busier (its own backup files, the page cache, the other's exit).
            for name, src in sorted(versions.items(), reverse=run % 2 == 1):
                probe = [str(HERE / "_app_probe.py"), str(args.workspace), str(dirs[name])]
                started, values = _run(src, probe, env)
                for key in KEYS:
                    if key in values:
                        figures[name].setdefault(key, []).append((values[key] - started) * 1e3)
                for key in CPU:
                    if key in values:
                        figures[name].setdefault(key, []).append(values[key])
    finally:
        for folder in dirs.values():
            shutil.rmtree(folder, ignore_errors=True)
    bare = statistics.median(figures["bare"]["painted"])
    print(f"bare window painted: {bare:.0f} ms (median of {args.runs}, {args.platform})")
    print(f"{'step':<28} {'old ms':>8} {'×':>6} {'new ms':>8} {'×':>6}")
    for key in (*KEYS, *CPU):
        cells = []
        for name in versions:
            values = figures[name].get(key, [])
            if not values:
                cells.append(f"{'—':>8} {'':>6}")
                continue
            median = statistics.median(values) if key not in CPU else max(values)
            ratio = f"{median / bare:5.2f}×" if key in KEYS else ""
            cells.append(f"{median:8.0f} {ratio:>6}")
        label = key if key in KEYS else f"{key} (worst)"
        print(f"{label:<28} {' '.join(cells)}")
    print("\nevery run (ms):")
    for key in (*KEYS, *CPU):
        for name in versions:
            values = figures[name].get(key, [])
            print(f"{key:<24} {name}: {' '.join(f'{v:.0f}' for v in values)}")


if __name__ == "__main__":
    main()
