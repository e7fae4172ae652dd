"""Start-up after the first paint: no GUI-thread turn waits for another thread's import, walks
the objects other threads' imports made, or reads what the opener has just read."""

from __future__ import annotations

from pathlib import Path

from logger_testing import run_script, settle

from nextlevel_desktop.storage.db import Database

GC_SCRIPT = r"""
import gc, importlib.abc, importlib.util, sys, threading
from pathlib import Path
HELD = "nextlevel_desktop.services.container"  # imported by the opener before it opens
entered, release = threading.Event(), threading.Event()
GUI = threading.get_ident()
walks = []  # collections on the GUI thread

class Hold(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name != HELD:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(name)
        load = spec.loader.exec_module
        def exec_module(module):
            entered.set()
            release.wait(30)
            load(module)
        spec.loader.exec_module = exec_module
        return spec

sys.meta_path.insert(0, Hold())
gc.callbacks.append(lambda phase, info: phase == "start" and threading.get_ident() == GUI
                    and walks.append(info["generation"]))
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from nextlevel_desktop.app import AppController
from nextlevel_desktop.paths import Paths
from nextlevel_desktop.ui.kit.busy import GuiCollector
from nextlevel_desktop.ui.user_settings import UserSettings

app = QApplication([])
workspace, folder = Path(sys.argv[1]), Path(sys.argv[2])
settings = UserSettings(folder / "settings.ini")
controller = AppController(Paths(folder, folder / "logs"), settings)
window = controller.start(workspace)
seen = []

def check():
    if not entered.is_set():
        QTimer.singleShot(5, check)
        return
    seen.append(collected())
    release.set()

def collected():
    before = len(walks)
    # Every generation due, whatever the counts (never below 0): the collector's turn collects.
    # (With thresholds of 1 it depended on the counts, which other threads change between any
    # two lines here: a gc.freeze() elsewhere zeroes the youngest generation's (the chart
    # thread's, after its warm-up, until round 8), frees lower it. Under load that fell just
    # before the check after the open, nothing was due, and the test failed with
    # [False, False].)
    gc.set_threshold(-1, -1, -1)
    GuiCollector.collect()  # (its 500 ms timer's slot)
    gc.set_threshold(700, 10, 10)
    return walks[before:]

def attached():
    seen.append(collected())  # once the workspace is open: collected again
    print([bool(walked) for walked in seen])
    app.quit()

QTimer.singleShot(0, check)
window.workspaceAttached.connect(attached)
QTimer.singleShot(60000, app.quit)
app.exec()
controller.close()
"""


def test_no_collection_on_the_gui_thread_walks_the_storage_stack_being_imported(
    demo_db: Database, tmp_path: Path
) -> None:
    # The first collection while the opener imported SQLAlchemy walked all it had made so far
    # (30 ms of the GUI thread's CPU after the first paint); it is frozen when the workspace is
    # open, and the collector waits until then.
    path = demo_db.path
    demo_db.close()
    out = run_script(GC_SCRIPT, path, tmp_path)
    assert out.strip() == "[False, True]"


AHEAD_SCRIPT = r"""
import sys, threading
from pathlib import Path
from sqlalchemy import event
from sqlalchemy.engine import Engine
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from nextlevel_desktop.app import AppController
from nextlevel_desktop.paths import Paths
from nextlevel_desktop.ui.monitor import dashboard
from nextlevel_desktop.ui.user_settings import UserSettings

GUI, building, on_gui = threading.get_ident(), [], []

@event.listens_for(Engine, "before_cursor_execute")
def executed(conn, cursor, statement, *args):
    if building and threading.get_ident() == GUI:
        on_gui.append(statement.split()[0])

init = dashboard.Dashboard.__init__
def timed_init(self, *args, **kwargs):  # the statements the GUI thread runs while building it
    building.append(True)
    try:
        init(self, *args, **kwargs)
    finally:
        building.clear()
dashboard.Dashboard.__init__ = timed_init

app = QApplication([])
workspace, folder = Path(sys.argv[1]), Path(sys.argv[2])
settings = UserSettings(folder / "settings.ini")
settings.set_value("window/area", 2)
controller = AppController(Paths(folder, folder / "logs"), settings)
window = controller.start(workspace)

def attached():
    dash = window.monitor.dashboard
    print(on_gui, [p.name for p in dash.filter_bar.processes.values()], dash.currency)
    app.quit()

window.workspaceAttached.connect(attached)
QTimer.singleShot(60000, app.quit)
app.exec()
controller.close()
"""


def test_the_monitor_built_at_start_up_takes_the_lists_read_as_the_workspace_opened(
    demo_db: Database, tmp_path: Path
) -> None:
    # The opener reads processes, people and settings anyway (to compile the statements):
    # the Dashboard read them again on the GUI thread, 10–30 ms of its longest turn.
    from nextlevel_desktop.services.container import Services

    services = Services.for_database(demo_db)
    names = [p.name for p in services.processes.processes()]
    currency = services.workspace.settings().currency
    path = demo_db.path
    demo_db.close()
    out = run_script(AHEAD_SCRIPT, path, tmp_path)
    assert out.strip() == f"[] {names} {currency}"


LOG_SCRIPT = r"""
import sys, threading
from pathlib import Path
from sqlalchemy import event
from sqlalchemy.engine import Engine
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from nextlevel_desktop.app import AppController
from nextlevel_desktop.paths import Paths
from nextlevel_desktop.ui.logger import activity_list
from nextlevel_desktop.ui.user_settings import UserSettings

GUI, building, on_gui = threading.get_ident(), [], []

@event.listens_for(Engine, "before_cursor_execute")
def executed(conn, cursor, statement, *args):
    if building and threading.get_ident() == GUI:
        on_gui.append(statement.split()[0])

init = activity_list.ActivityListPanel.__init__
def timed_init(self, *args, **kwargs):  # the statements the GUI thread runs while making it
    building.append(True)
    try:
        init(self, *args, **kwargs)
    finally:
        building.clear()
activity_list.ActivityListPanel.__init__ = timed_init

app = QApplication([])
workspace, folder = Path(sys.argv[1]), Path(sys.argv[2])
settings = UserSettings(folder / "settings.ini")
settings.set_value("window/area", 2)  # the Monitor first; the user turns to Activities
controller = AppController(Paths(folder, folder / "logs"), settings)
window = controller.start(workspace)

def attached():
    window.show_area(1)
    QTimer.singleShot(0, check)

def check():
    area = window._built[1]
    if area is None:
        QTimer.singleShot(5, check)
        return
    log = area.log
    print(on_gui, [log.person.itemText(i) for i in range(1, log.person.count())],
          log.type.count() > 1, log.process.count() > 1)
    app.quit()

window.workspaceAttached.connect(attached)
QTimer.singleShot(60000, app.quit)
app.exec()
controller.close()
"""


def test_the_log_page_made_at_start_up_takes_the_lists_read_as_the_workspace_opened(
    demo_db: Database, tmp_path: Path
) -> None:
    # Its pickers read people, processes and activity types on the GUI thread (13–23 ms of
    # the CPU of its turn at start-up), just after the opener had read them.
    from nextlevel_desktop.services.container import Services

    everyone = [p.name for p in Services.for_database(demo_db).people.people(include_inactive=True)]
    path = demo_db.path
    demo_db.close()
    out = run_script(LOG_SCRIPT, path, tmp_path)
    assert out.strip() == f"[] {everyone} True True"


def test_the_lists_read_ahead_are_dropped_when_a_write_changes_one(main_window) -> None:  # type: ignore[no-untyped-def]
    from nextlevel_desktop.domain.changes import Changes
    from nextlevel_desktop.services.read_ahead import ReadAhead

    services = main_window.services
    ahead = ReadAhead(
        services.processes.processes(),
        services.people.people(),
        services.workspace.settings(),
        services.people.people(include_inactive=True),
        services.activities.activity_types(),
    )
    main_window.read_ahead = ahead
    main_window.publish(Changes(activities=True))
    assert main_window.read_ahead is ahead
    assert main_window.activities.read_ahead is ahead
    main_window.publish(Changes(people=True))
    assert main_window.read_ahead is None and main_window.activities.read_ahead is None


def test_the_monitor_built_after_start_up_takes_the_lists_read_ahead(main_window) -> None:  # type: ignore[no-untyped-def]
    # Built later (not the first area), the dashboard read processes, people and settings on
    # the GUI thread again (10–30 ms) although the window still held them.
    from nextlevel_desktop.services.read_ahead import ReadAhead

    services = main_window.services
    assert main_window.monitor.dashboard is None
    first = services.people.people()[:1]  # a list no read returns: only the read-ahead has it
    main_window.read_ahead = ReadAhead(
        services.processes.processes(), first, services.workspace.settings()
    )
    main_window.show_area(2)
    settle(main_window)
    person = main_window.monitor.dashboard.filter_bar.person
    names = [person.itemText(i) for i in range(person.count())]
    assert first[0].name in names
    assert not any(p.name in names for p in services.people.people()[1:])
