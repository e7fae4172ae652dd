"""The interface's modules are imported on the GUI thread a module a turn, leaves first."""

from __future__ import annotations

from logger_testing import run_script

from nextlevel_desktop.ui.import_turns import imports_of

TURNS_SCRIPT = r"""
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from nextlevel_desktop.ui.import_turns import import_in_turns

app = QApplication([])
ours = lambda: {  # modules, not their (empty) packages
    m for m, mod in list(sys.modules.items())
    if m.startswith("nextlevel_desktop.ui.") and not hasattr(mod, "__path__")
}
before = ours()
per_turn = []
last = [set(before)]

def each_turn():
    now = ours()
    per_turn.append(sorted(now - last[0]))
    last[0] = now

def done():
    each_turn()
    timer.stop()
    new = ours() - before
    print(max(len(t) for t in per_turn), len(new), "nextlevel_desktop.ui.logger.area" in new)
    app.quit()

timer = QTimer()
timer.setInterval(0)
timer.timeout.connect(each_turn)
timer.start()
import_in_turns(app, ["nextlevel_desktop.ui.logger.area"], done)
app.exec()
"""


def test_each_turn_imports_one_module_whose_own_modules_came_before() -> None:
    # The Activities area's subtree in one turn held the GUI thread 20–40 ms of CPU.
    most, new, area = run_script(TURNS_SCRIPT).split()
    assert area == "True" and int(new) >= 10  # the whole subtree came in
    assert int(most) == 1  # a module a turn


def test_a_modules_imports_are_read_from_its_code_relative_and_from_package_alike() -> None:
    found = imports_of("nextlevel_desktop.ui.monitor.dashboard")
    assert "nextlevel_desktop.ui.kit.ops" in found  # from ..kit.ops import Host
    assert "nextlevel_desktop.ui.monitor.build" in found  # from . import build
    assert "nextlevel_desktop.domain.models" in found  # from ...domain.models import …
    assert not any(m.startswith("PySide6") for m in found)  # only this app's modules
    assert imports_of("nextlevel_desktop.no_such_module") == []
