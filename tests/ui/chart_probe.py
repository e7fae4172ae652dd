"""Drawings for tests that must travel to the chart drawing process (module level, no Qt: the
drawing process imports this module to unpickle them)."""

from __future__ import annotations

import os
from typing import Any

from nextlevel_desktop.render.chart_style import ChartTheme, Hit, plots


def noting_process(draw: Any, fig: Any, theme: ChartTheme) -> list[Hit]:
    """``draw``'s hits and one more, over the first plot, whose tooltip names the process that
    drew: ``drawn in <pid>``."""
    hits: list[Hit] = draw(fig, theme)
    return [Hit(fig.axes[0], f"drawn in {os.getpid()}"), *hits]  # under the bars


def failing(fig: Any, theme: ChartTheme) -> list[Hit]:
    """A plot with a bug."""
    raise ZeroDivisionError("a bug in a plot")


def killing(fig: Any, theme: ChartTheme) -> list[Hit]:
    """A plot that ends the process drawing it (as the kernel's out-of-memory killer would)."""
    os._exit(9)


def time_in_stage_noting_width(stages: list[str], fig: Any, theme: ChartTheme) -> list[Hit]:
    """A time-in-stage chart whose one hit's tooltip is the figure's width in device pixels."""
    from nextlevel_desktop.render import charts

    fig.clear()
    days = [16, 22, 26, 16, 14]
    charts.plot_time_in_stage(fig.subplots(), stages, days, days, [17, 0, 6, 5, 2], theme)
    return [Hit(fig.axes[0], str(fig.get_figwidth() * fig.dpi))]


def modules_loaded(fig: Any, theme: ChartTheme) -> list[Hit]:
    """One hit naming which of matplotlib, PySide6, the chart makers and the UI's widgets the
    drawing process has imported (space-separated)."""
    import sys

    wanted = (
        "matplotlib",
        "PySide6",
        "nextlevel_desktop.ui.monitor.build",
        "nextlevel_desktop.ui.kit",
    )
    return [Hit(plots(fig, 1)[0], " ".join(m for m in wanted if m in sys.modules))]
