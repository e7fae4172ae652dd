"""How the Monitor writes numbers: counts, percentages, money, and the axis formatters that use
them (matplotlib is imported only when an axis needs a formatter)."""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable, Iterator
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def fmt_count(x: float | None) -> str:
    if x is None:
        return "–"
    return f"{x:,.0f}" if abs(x - round(x)) < 0.05 else f"{x:,.1f}"


def fmt_pct(x: float | None) -> str:
    return "–" if x is None else f"{x * 100:.0f} %"


def fmt_money(minor: float | None, currency: str = "") -> str:
    if minor is None:
        return "–"
    major = minor / 100
    prefix = f"{currency} " if currency else ""
    if abs(major) >= 1_000_000:
        return f"{prefix}{major / 1_000_000:.1f}M"
    if abs(major) >= 10_000:
        return f"{prefix}{major / 1000:.0f}k"
    return f"{prefix}{major:,.0f}"


def integer_ticks(axis: Any) -> None:
    """Whole-number ticks as many and as round as ``AutoLocator`` gives a plot of that size
    (``MaxNLocator``'s default of ten intervals crowded a short plot with tick labels, each of
    them laid out and drawn at every refresh)."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator("auto", steps=[1, 2, 2.5, 5, 10], integer=True))


def money_formatter(currency: str) -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: fmt_money(v, ""))


def pct_formatter() -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: f"{v:.0f} %")


_DRAWING = threading.RLock()


@contextlib.contextmanager
def literal_text() -> Iterator[None]:
    """A context in which matplotlib draws text literally: names users typed ("Save $5 or $10",
    "$\\frac$") would otherwise be read as mathtext, rendered as formulas or fail to draw.

    The setting is global to matplotlib, and charts may be drawn on more than one thread of a
    process (a PDF export's worker in the app's, a test's): one thread at a time draws in this
    context, so one leaving it never restores mathtext under another still drawing."""
    import matplotlib

    with _DRAWING, matplotlib.rc_context({"text.parse_math": False}):
        yield


def drawn_literally(fn: Callable[P, R]) -> Callable[P, R]:
    """Decorate a function that builds figures so all its text is drawn literally."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with literal_text():
            return fn(*args, **kwargs)

    return wrapper
