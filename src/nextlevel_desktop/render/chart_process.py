"""The on-screen charts are drawn in a process of their own.

matplotlib lays out and draws every text glyph by glyph in Python: a chart costs 100–300 ms of
CPU, and its import half a second. Drawn on a thread of the app's own process, that Python held
the interpreter lock the GUI thread needs between two events (start-up stalls of 100–170 ms on a
quiet 2-core machine, a Monitor person change waiting for the draw's last text). In a process of
its own it has its own interpreter: the window only waits for the pixels.

:class:`ChartProcess` is the app's side. It starts the drawing process (``--chart-worker`` of
the app's own executable, frozen or not: :func:`command`) when first asked, sends it what to draw
— a picklable ``draw(figure, theme)`` (a module-level function, or a ``functools.partial`` of
one over plain values), the colours and the size — and gets back a
:class:`~nextlevel_desktop.render.raster.Raster`: the pixels and the bars' rectangles. Every
chart keeps its own figure there (:class:`~nextlevel_desktop.render.raster.ChartRaster`, reused
from draw to draw), under the key its panel gave. A bug in a plot comes back as the exception
it raised, with the drawing process's traceback as a note; a drawing process that died is
started again at the next request (that request is tried once more: a chart that kills it twice
in a row is reported). Qt-free: both sides.

:func:`serve` is the drawing process: it reads requests on its standard input and answers on
its standard output (a length, then a pickle), one at a time, until its input closes (the app
exited, however it exited). Anything a library prints goes to its standard error instead.
"""

from __future__ import annotations

import atexit
import os
import pickle
import struct
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:  # (the app starts this process before it has imported any of these)
    from .chart_style import ChartTheme
    from .raster import Draw, Raster

WORKER_FLAG = "--chart-worker"
KEPT_FIGURES = 32  # the drawing process keeps this many charts' figures (least recently drawn go)
_HEADER = struct.Struct("!Q")


class ChartProcessError(RuntimeError):
    """The drawing process could not be started, or stopped twice while drawing one chart."""


def command() -> list[str]:
    """How to start the drawing process: the app's own executable with ``--chart-worker``
    (frozen: the bundle's; else this Python running the package)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, WORKER_FLAG]
    return [sys.executable, "-m", "nextlevel_desktop", WORKER_FLAG]


def _send(stream: IO[bytes], message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(data)) + data)
    stream.flush()


def _receive(stream: IO[bytes]) -> Any:
    """The next message, or ``EOFError`` when the other side has gone."""
    return pickle.loads(_receive_bytes(stream))


def _receive_bytes(stream: IO[bytes]) -> bytes:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        raise EOFError
    (size,) = _HEADER.unpack(header)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return data


class ChartProcess:
    """The app's one drawing process, started on first use; callable from any thread (one
    request at a time: the others wait)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self.starts = 0  # processes started (more than one: one died)

    @property
    def pid(self) -> int | None:
        process = self._process
        return None if process is None else process.pid

    def start(self, modules: Sequence[str] = ()) -> None:
        """Start the process now, unless it is running: it imports matplotlib, draws a first
        chart and imports ``modules`` (those the drawings sent will need) while the app goes on.
        """
        with self._lock:
            self._running(modules)

    def render(
        self, key: int, draw: Draw, theme: ChartTheme, width: int, height: int, ratio: float
    ) -> Raster:
        """Draw chart ``key`` (its figure is kept for its next draw) for a widget of ``width``
        × ``height`` logical pixels at ``ratio`` device pixels per logical pixel."""
        result: Raster = self._ask(("draw", key, (draw, theme, width, height, ratio)))
        return result

    def export(self, draw: Draw, path: Path, theme: ChartTheme) -> None:
        """Write the chart as a PNG, SVG or PDF file (by ``path``'s suffix), laid out for print."""
        self._ask(("export", 0, (draw, path, theme)))

    def close(self) -> None:
        """Stop the process (it ends when its input closes) and wait a moment for it."""
        with self._lock:
            process, self._process = self._process, None
        if process is not None:
            _stop(process)

    def _running(self, modules: Sequence[str] = ()) -> subprocess.Popen[bytes]:
        process = self._process
        if process is not None and process.poll() is None:
            return process
        if process is not None:
            _stop(process)
        flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # Windows: no console window
        try:
            process = subprocess.Popen(
                command(),
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=None if sys.stderr is not None else subprocess.DEVNULL,
                creationflags=flags,
            )
        except OSError as exc:
            raise ChartProcessError(f"The chart drawing process could not start: {exc}") from exc
        self._process = process
        self.starts += 1
        assert process.stdin is not None
        _send(process.stdin, (sys.path, list(modules)))  # it can import what this one can
        return process

    def _ask(self, request: tuple[str, int, tuple[Any, ...]]) -> Any:
        with self._lock:
            for attempt in (1, 2):
                try:
                    process = self._running()
                    assert process.stdin is not None and process.stdout is not None
                    _send(process.stdin, request)
                    ok, answer = _receive(process.stdout)
                    break
                except (OSError, EOFError):  # it died (killed, out of memory, a crash)
                    dead, self._process = self._process, None
                    if dead is not None:
                        _stop(dead)  # (its pipes closed, it reaped)
                    code = None if dead is None else dead.returncode
                    if attempt == 2:
                        raise ChartProcessError(
                            f"The chart drawing process stopped twice (exit code {code})."
                        ) from None
        if not ok:
            raise answer
        return answer


def _stop(process: subprocess.Popen[bytes]) -> None:
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            try:
                stream.close()
            except OSError:
                pass
    try:
        process.wait(timeout=2)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


_SHARED: list[ChartProcess] = []


def shared() -> ChartProcess:
    """The app's drawing process (one per app process, as there is one ``QApplication``)."""
    if not _SHARED:
        _SHARED.append(ChartProcess())
        atexit.register(_SHARED[0].close)
    return _SHARED[0]


# The drawing process ------------------------------------------------------------------------


def serve(requests: IO[bytes] | None = None, answers: IO[bytes] | None = None) -> int:
    """Answer requests until the input closes; returns the exit code."""
    import gc
    import importlib
    from collections import OrderedDict

    from .raster import ChartRaster, export, warm_up

    if answers is None:  # the protocol keeps the real standard output; prints go to stderr
        answers = os.fdopen(os.dup(1), "wb")
        os.dup2(2, 1) if sys.stderr is not None else None
        sys.stdout = sys.stderr
    if requests is None:
        requests = os.fdopen(os.dup(0), "rb")
    try:
        sys.path[:], modules = _receive(requests)
    except EOFError:
        return 0
    warm_up()
    for name in modules:
        importlib.import_module(name)
    gc.freeze()  # the libraries' long-lived objects: no collection walks them again
    figures: OrderedDict[int, ChartRaster] = OrderedDict()

    def draw(key: int, args: tuple[Any, ...]) -> Raster:
        raster = figures.pop(key, None) or ChartRaster()
        figures[key] = raster
        while len(figures) > KEPT_FIGURES:
            figures.popitem(last=False)
        return raster.render(*args)

    while True:
        try:
            request = _receive_bytes(requests)
        except EOFError:
            return 0
        answer: tuple[bool, Any] = (True, None)
        try:
            kind, key, args = pickle.loads(request)
            if kind == "draw":
                answer = (True, draw(key, args))
            else:
                export(*args)
        except Exception as exc:
            answer = (False, _portable(exc))
        _send(answers, answer)


def _portable(exc: Exception) -> Exception:
    """``exc`` as it can travel back, with this process's traceback as a note."""
    import traceback

    note = "In the chart drawing process:\n" + "".join(traceback.format_exception(exc))
    try:
        copy = pickle.loads(pickle.dumps(exc))
    except Exception:
        copy = RuntimeError(f"{type(exc).__name__}: {exc}")
    copy.add_note(note)
    return copy
