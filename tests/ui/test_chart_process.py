"""The chart drawing process: what it draws, what it reports, and that it comes back."""

from __future__ import annotations

import os
import subprocess
import sys
from functools import partial

import pytest
from chart_probe import failing, killing, noting_process

from nextlevel_desktop.render import chart_process
from nextlevel_desktop.render.chart_process import ChartProcess, ChartProcessError
from nextlevel_desktop.render.chart_style import LIGHT, plots
from nextlevel_desktop.render.health import draw_health


def _empty(fig, theme):  # type: ignore[no-untyped-def]
    return plots(fig, 1) and []


@pytest.fixture
def drawing():  # type: ignore[no-untyped-def]
    process = ChartProcess()
    yield process
    process.close()


def test_a_chart_is_drawn_in_another_process_at_the_size_asked(drawing) -> None:  # type: ignore[no-untyped-def]
    drawn = drawing.render(1, partial(noting_process, _empty), LIGHT, 300, 200, 2.0)
    assert (drawn.width, drawn.height, drawn.ratio) == (600, 400, 2.0)
    assert len(drawn.rgba) == 600 * 400 * 4
    assert [b.tooltip for b in drawn.boxes] == [f"drawn in {drawing.pid}"]
    assert drawing.pid is not None and drawing.pid != os.getpid()


def test_a_bug_in_a_plot_comes_back_as_its_exception_with_the_drawing_traceback(drawing) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ZeroDivisionError, match="a bug in a plot") as caught:
        drawing.render(1, failing, LIGHT, 300, 200, 1.0)
    assert "In the chart drawing process" in caught.value.__notes__[0]
    assert "failing" in caught.value.__notes__[0]
    # and the process goes on drawing
    assert drawing.render(1, _empty, LIGHT, 300, 200, 1.0).width == 300
    assert drawing.starts == 1


def test_a_drawing_that_cannot_be_sent_says_so_and_the_process_goes_on(drawing) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(AttributeError, match="pickle"):
        drawing.render(1, lambda fig, theme: [], LIGHT, 300, 200, 1.0)
    assert drawing.render(1, _empty, LIGHT, 300, 200, 1.0).height == 200


def test_a_drawing_process_that_died_is_started_again(drawing) -> None:  # type: ignore[no-untyped-def]
    first = drawing.render(1, partial(noting_process, _empty), LIGHT, 300, 200, 1.0)
    drawing._process.kill()  # killed from outside (out of memory, a user's kill)
    again = drawing.render(1, partial(noting_process, _empty), LIGHT, 300, 200, 1.0)
    assert again.rgba == first.rgba and drawing.starts == 2
    assert again.boxes[0].tooltip != first.boxes[0].tooltip  # a new process drew it
    with pytest.raises(ChartProcessError, match="stopped twice"):
        drawing.render(2, killing, LIGHT, 300, 200, 1.0)  # it dies at every try
    assert drawing.render(1, _empty, LIGHT, 300, 200, 1.0).width == 300


def test_the_drawing_process_exports_files_and_needs_no_qt(drawing, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from nextlevel_desktop.domain import health as hl

    drawing.export(partial(draw_health, [], "C", "D"), tmp_path / "health.pdf", LIGHT)
    assert (tmp_path / "health.pdf").read_bytes().startswith(b"%PDF")
    assert hl  # the rows' module travels with the drawing
    code = (
        "import sys\n"
        "from nextlevel_desktop.render.chart_process import ChartProcess\n"
        "from nextlevel_desktop.render.chart_style import LIGHT\n"
        "from chart_probe import modules_loaded\n"
        "p = ChartProcess(); p.start(['nextlevel_desktop.ui.monitor.build'])\n"
        "print(p.render(1, modules_loaded, LIGHT, 100, 100, 1.0).boxes[0].tooltip)\n"
        "p.close()\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    ).stdout.split()
    # matplotlib and the chart makers there; no Qt, no storage stack, nothing of the GUI
    assert out == ["matplotlib", "nextlevel_desktop.ui.monitor.build"]


def test_the_frozen_app_starts_its_drawing_process_with_the_hidden_flag(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert chart_process.command() == [sys.executable, "--chart-worker"]
    monkeypatch.setattr(sys, "frozen", False)
    assert chart_process.command()[1:] == ["-m", "nextlevel_desktop", "--chart-worker"]
