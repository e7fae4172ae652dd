"""The window's areas as a table: each one's sidebar name, where its class lives and which
modules it needs, so the window builds an area from its row (not ``if/elif`` by index) and
imports those modules a turn at a time before the area is shown (:func:`startup_modules`).

Light on purpose: the main window imports this before its first paint.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP

if TYPE_CHECKING:
    from .area import Area


@dataclass(frozen=True)
class AreaSpec:
    """One area of the window: its sidebar name, where its class lives, the modules it imports
    when first shown (``uses``) and those it imports later, for a page not shown at first
    (``later``). All of them are imported on the GUI thread a module a turn, leaves first
    (:mod:`.import_turns`), before they are needed: imported where first used, an area's
    modules were a stall of 100–350 ms."""

    name: str
    module: str
    cls: str
    uses: tuple[str, ...] = ()
    later: tuple[str, ...] = ()

    @property
    def modules(self) -> tuple[str, ...]:
        return tuple(f"{__package__}{m}" for m in (self.module, *self.uses))

    @property
    def later_modules(self) -> tuple[str, ...]:
        return tuple(f"{__package__}{m}" for m in self.later)

    def load(self) -> type[Area]:
        kind: type[Area] = getattr(import_module(self.modules[0]), self.cls)
        return kind


# The File menu's longer dialogs, imported last at start-up (File > Import… imported its
# wizard at the click: 65–150 ms of CPU).
DIALOG_MODULES = (".dialogs.import_wizard",)

AREA_SPECS = (
    AreaSpec(str(QT_TRANSLATE_NOOP("MainWindow", "Designer")), ".designer.area", "DesignerArea"),
    AreaSpec(str(QT_TRANSLATE_NOOP("MainWindow", "Activities")), ".logger.area", "ActivitiesArea"),
    AreaSpec(
        str(QT_TRANSLATE_NOOP("MainWindow", "Monitor")),
        ".monitor.area",
        "MonitorArea",
        uses=(".monitor.dashboard",),
        later=(".review.page",),
    ),
)


def startup_modules(index: int) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The interface's modules, in the order the GUI thread imports them at start-up (one a
    turn): those the area shown first (``index``) needs, before it is built; then, once the
    first screen is shown, the likeliest next area's (Activities: where work is logged; else
    the Designer) and all the others (the remaining area, pages not shown at first, the
    longer dialogs)."""
    first = index if 0 <= index < len(AREA_SPECS) else 0
    nearest, *others = sorted(
        (i for i in range(len(AREA_SPECS)) if i != first), key=lambda i: i != 1
    )
    rest = [*AREA_SPECS[first].later_modules, *AREA_SPECS[nearest].later_modules]
    for i in others:
        rest += [*AREA_SPECS[i].modules, *AREA_SPECS[i].later_modules]
    rest += [f"{__package__}{m}" for m in DIALOG_MODULES]
    return AREA_SPECS[first].modules, AREA_SPECS[nearest].modules, tuple(rest)
