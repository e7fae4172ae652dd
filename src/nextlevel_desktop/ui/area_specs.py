"""The window's areas as a table: each one's sidebar name, where its class lives and which
modules it needs, so the window builds an area from its row (not ``if/elif`` by index) and the
opener thread can import those modules before the area is shown.

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
    (``later``). All of them are imported off the GUI thread (:meth:`MainWindow.startup_modules`):
    an import there was a stall of 100–350 ms."""

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


# The File menu's longer dialogs, imported last by the opener (File > Import… imported its
# wizard on the GUI thread at the click: 65–150 ms of CPU).
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
