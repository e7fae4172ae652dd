"""Start-up where the user's window lives: a real X server (Xvfb + the xcb platform), timed
from outside — process launched → its main window is mapped and viewable (polled with
``xdotool search --onlyvisible`` every 5 ms) — for the app and for a bare PySide6 window
started the same way. Also reports when the app's window shows the workspace's name in its
title (the workspace is open and attached).

    python benchmarks/bench_xmapped.py [--runs 5] [--workspace PATH]

Needs Xvfb and xdotool (Debian: xvfb, xdotool). Starts and stops its own Xvfb.
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

from common import HERE, PYTHON, Result

BARE = """
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication([])
w = QMainWindow(); w.setWindowTitle("Bare baseline window"); w.setCentralWidget(QLabel("Hello"))
w.resize(1280, 800); w.show(); app.exec()
"""


def _visible(display: str, name: str) -> bool:
    out = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", name],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        text=True,
    )
    return out.returncode == 0 and bool(out.stdout.strip())


def _time_until(cmd: list[str], display: str, names: list[str], timeout: float = 60) -> list[float]:
    """Seconds from launch until a visible window matches each of ``names`` in turn."""
    env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    found: list[float] = []
    try:
        for name in names:
            while not _visible(display, name):
                if time.perf_counter() - started > timeout or proc.poll() is not None:
                    raise RuntimeError(
                        f"no visible window named {name!r} on {display} (exit {proc.poll()}): "
                        f"{' '.join(cmd)}"
                    )
                time.sleep(0.005)
            found.append(time.perf_counter() - started)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
    return found


def run(workspace: Path | None, runs: int = 5) -> list[Result]:
    # Xvfb picks a free display itself and writes its number to stdout (-displayfd).
    xvfb = subprocess.Popen(
        ["Xvfb", "-displayfd", "1", "-noreset", "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert xvfb.stdout is not None
    display = f":{xvfb.stdout.readline().strip()}"
    data_dir = Path(tempfile.mkdtemp(prefix="nld-xbench-"))
    try:
        for _ in range(200):  # until the server answers
            probe = subprocess.run(
                ["xdotool", "getdisplaygeometry"],
                env={**os.environ, "DISPLAY": display},
                capture_output=True,
            )
            if probe.returncode == 0:
                break
            time.sleep(0.05)
        ws = workspace or data_dir / "Bench.nldw"
        app = [
            PYTHON,
            "-m",
            "nextlevel_desktop",
            "--data-dir",
            str(data_dir),
            "--workspace",
            str(ws),
        ]
        bare = [PYTHON, "-c", BARE]
        _time_until(app, display, ["Next Level", ws.stem])  # warm-up: demo data, daily backup
        mapped, opened, base = [], [], []
        for _ in range(runs):
            base.append(_time_until(bare, display, ["Bare baseline"])[0] * 1000)
            m, o = _time_until(app, display, ["Next Level", ws.stem])
            mapped.append(m * 1000)
            opened.append(o * 1000)
    finally:
        xvfb.terminate()
        xvfb.wait()
        shutil.rmtree(data_dir, ignore_errors=True)
    b = statistics.median(base)
    m, o = statistics.median(mapped), statistics.median(opened)
    return [
        Result("start-up (X)", "main window mapped", m, "ms", runs, "≤ 2.5× baseline",
               m <= 2.5 * b, b, "bare PySide6 window mapped"),
        Result("start-up (X)", "workspace open (title shows it)", o, "ms", runs, "—", None,
               b, "bare PySide6 window mapped"),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--workspace", type=Path, default=None)
    args = parser.parse_args()
    for r in run(args.workspace, args.runs):
        ratio = f"{r.ratio:.2f}×" if r.ratio is not None else "—"
        print(f"{r.area} | {r.what} | {r.median:,.0f} {r.unit} | base {r.baseline:,.0f} | {ratio}")
    sys.exit(0)


if __name__ == "__main__":
    sys.path.insert(0, str(HERE))
    main()
