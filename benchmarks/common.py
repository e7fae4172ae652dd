"""Shared pieces of the benchmarks: timing, results, machine description."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
PYTHON = sys.executable


@dataclass
class Result:
    area: str
    what: str
    median: float  # in ``unit``
    unit: str
    runs: int
    target: str
    ok: bool | None
    baseline: float | None = None
    baseline_what: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.median / self.baseline  # type: ignore[operator]


def compile_sources(src: Path | None = None) -> None:
    """Write the bytecode of the app's modules (``src``: a source folder, else the package
    imported), as an installed app has it: pip compiles a package as it installs it and the
    bundle ships it compiled. Without it, where ``PYTHONDONTWRITEBYTECODE`` is set (as on this
    machine) every start compiles each module changed since its bytecode was last written
    again: 165 of 201 here, 0.3–0.5 s of a start-up's "data shown", on the opener thread."""
    import compileall

    if src is None:
        import nextlevel_desktop

        src = Path(nextlevel_desktop.__file__).parent
    compileall.compile_dir(str(src), quiet=1)


def gui_app() -> Any:
    """The application as ``run_gui`` makes it, with the app's style and the light scheme: a
    benchmark paints what a user sees (the style's Python layer included)."""
    from nextlevel_desktop.app import make_application
    from nextlevel_desktop.ui.theme import apply_colour_scheme

    app = make_application()
    apply_colour_scheme("light")
    return app


def median_ms(fn: Callable[[], object], runs: int = 7, warmup: int = 1) -> float:
    """Median wall time of ``fn`` in milliseconds."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def run_script(args: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    """Run a Python script; return (epoch seconds at launch, its stdout)."""
    full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", **(env or {})}
    started = time.time()
    out = subprocess.run(
        [PYTHON, *args], capture_output=True, text=True, env=full_env, check=True, timeout=300
    )
    return started, out.stdout


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    from PySide6 import __version__ as pyside
    from sqlalchemy import __version__ as sqla

    return (
        f"{cpu}, {os.cpu_count()} cores{mem}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}, PySide6 {pyside}, SQLAlchemy {sqla}, "
        f"SQLite {__import__('sqlite3').sqlite_version}"
    )
