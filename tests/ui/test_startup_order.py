"""What a large workspace's start-up waits for: only the area on screen is built, and the
Monitor's charts are drawn without the GUI thread ever importing matplotlib."""

from __future__ import annotations

from pathlib import Path

from logger_testing import run_script

from nextlevel_desktop.storage.db import Database

SCRIPT = r"""
import sys, threading
from pathlib import Path
gui = threading.get_ident()
on_gui = []  # matplotlib modules the GUI thread itself imported

def audit(event, args):
    if event == "import" and args[0].split(".")[0] == "matplotlib":
        if threading.get_ident() == gui:
            on_gui.append(args[0])

sys.addaudithook(audit)
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from nextlevel_desktop.app import AppController
from nextlevel_desktop.paths import Paths
from nextlevel_desktop.ui.user_settings import UserSettings

app = QApplication([])
workspace, folder = Path(sys.argv[1]), Path(sys.argv[2])
settings = UserSettings(folder / "settings.ini")
settings.set_value("window/area", 2)  # the Monitor was on screen when the app was closed
controller = AppController(Paths(folder, folder / "logs"), settings)
window = controller.start(workspace)
seen = []

def check():
    built = [a is not None for a in window._built]
    dash = window.monitor.dashboard if built and built[2] else None
    if dash is not None and dash.grids and not seen:
        seen.append(("tiles", built))
    panel = dash.panels.get("activity") if dash is not None else None
    if seen and panel is not None and panel.draw_count:
        image = panel.view.image
        seen.append(("chart", image.width() > 400 and bool(panel.hits)))
        print(seen, "matplotlib" in sys.modules, on_gui)
        app.quit()
        return
    QTimer.singleShot(5, check)

QTimer.singleShot(0, check)
QTimer.singleShot(60000, app.quit)
app.exec()
controller.close()
"""


def test_only_the_shown_area_is_built_and_the_app_process_never_imports_matplotlib(
    demo_db: Database, tmp_path: Path
) -> None:
    path = demo_db.path
    demo_db.close()
    out = run_script(SCRIPT, path, tmp_path)
    # The chart came (drawn by matplotlib in the chart drawing process), the tiles before it;
    # the app's own process never imported matplotlib, nor did its GUI thread import anything.
    assert out.strip() == "[('tiles', [False, False, True]), ('chart', True)] False []"


def test_areas_are_built_when_first_shown(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = main_window
    shown = window.stack.currentIndex()
    assert [a is not None for a in window._built].count(True) == 1
    other = (shown + 1) % 3
    assert window._built[other] is None
    window.area_actions[other].trigger()  # built in steps: shown a few turns later
    qtbot.waitUntil(lambda: window._built[other] is not None)
    area = window._built[other]
    qtbot.waitUntil(lambda: window.stack.currentWidget() is area)
    assert window.areas[other] is area  # built once
    assert window.stack.count() == 3


def test_no_areas_before_a_workspace_is_open(qtbot, user_settings) -> None:  # type: ignore[no-untyped-def]
    from nextlevel_desktop.ui.main_window import MainWindow

    class _Controller:
        def open_workspace(self, *_a: object, **_k: object) -> bool:
            return False

    window = MainWindow(None, user_settings, _Controller())
    qtbot.addWidget(window)
    assert not window.is_open
    assert window.workspace_path() is None
    window.show_area(1)  # nothing to show yet: no error
    assert window.stack.currentWidget() is window.opening


def test_an_area_chosen_while_the_workspace_opens_is_the_one_shown(
    qtbot, demo_services, user_settings
) -> None:  # type: ignore[no-untyped-def]
    # Ctrl+2 pressed while "Opening the workspace…" showed was dropped: the Designer came.
    from nextlevel_desktop.ui.main_window import MainWindow

    class _Controller:
        def open_workspace(self, *_a: object, **_k: object) -> bool:
            return False

    window = MainWindow(None, user_settings, _Controller())
    qtbot.addWidget(window)
    window.area_actions[1].trigger()
    assert window.stack.currentWidget() is window.opening
    assert window.sidebar.currentRow() == 1 and window.area_actions[1].isChecked()
    window.attach(demo_services)
    assert window.stack.currentWidget() is window.activities
    assert window.sidebar.currentRow() == 1


CLI_SCRIPT = r"""
import sys
from nextlevel_desktop import cli
args = cli.parse(["--data-dir", sys.argv[1]])
print(sorted(m for m in ("sqlalchemy", "matplotlib", "nextlevel_desktop.storage.db",
                         "nextlevel_desktop.commands.report", "nextlevel_desktop.commands.import_")
             if m in sys.modules))
"""


def test_the_command_line_loads_no_storage_stack_before_the_window(tmp_path: Path) -> None:
    # `nextlevel-desktop` parses its arguments before the window is shown: SQLAlchemy there
    # held the first paint back by ~1 s in a real X server, the sub-commands' modules ~0.1 s.
    out = run_script(CLI_SCRIPT, tmp_path, timeout=60)
    assert out.strip() == "[]"


OPEN_SCRIPT = r"""
import sys, threading
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from nextlevel_desktop.app import AppController
from nextlevel_desktop.paths import Paths
from nextlevel_desktop.ui.user_settings import UserSettings

app = QApplication([])
workspace, folder = Path(sys.argv[1]), Path(sys.argv[2])
settings = UserSettings(folder / "settings.ini")
controller = AppController(Paths(folder, folder / "logs"), settings)
gui = threading.get_ident()
opened_on = []
import nextlevel_desktop.services.workspace as ws
original = ws.open_workspace
def spy(*a, **k):
    opened_on.append(threading.get_ident() != gui)
    return original(*a, **k)
ws.open_workspace = spy
window = controller.start(workspace)
ticks = []
def tick():
    ticks.append(1)
    if window.is_open:
        print(opened_on, "storage" if "sqlalchemy" in sys.modules else "-", len(ticks) > 1)
        app.quit()
        return
    QTimer.singleShot(1, tick)
QTimer.singleShot(0, tick)
QTimer.singleShot(30000, app.quit)
app.exec()
controller.close()
"""


def test_the_workspace_opens_off_the_gui_thread(demo_db: Database, tmp_path: Path) -> None:
    path = demo_db.path
    demo_db.close()
    out = run_script(OPEN_SCRIPT, path, tmp_path)
    # Opened on another thread, while the GUI thread's event loop kept turning.
    assert out.strip() == "[True] storage True"


IMPORTS_SCRIPT = r"""
import sys, threading
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from nextlevel_desktop.app import AppController
from nextlevel_desktop.paths import Paths
from nextlevel_desktop.ui.user_settings import UserSettings

gui, painted, ui_elsewhere, lower_on_gui = threading.get_ident(), [], [], []
LOWER = ("nextlevel_desktop.services", "nextlevel_desktop.domain", "nextlevel_desktop.storage")

class Spy:  # asked first for every module imported for the first time, on the importing thread
    def find_spec(self, name, path=None, target=None):
        on_gui = threading.get_ident() == gui
        if name.startswith("nextlevel_desktop.ui") and not on_gui:
            ui_elsewhere.append(name)
        if painted and name.startswith(LOWER) and on_gui:
            lower_on_gui.append(name)
        return None

sys.meta_path.insert(0, Spy())
app = QApplication([])
workspace, folder = Path(sys.argv[1]), Path(sys.argv[2])
controller = AppController(Paths(folder, folder / "logs"), UserSettings(folder / "settings.ini"))
window = controller.start(workspace)
QTimer.singleShot(0, lambda: painted.append(True))

def visit():
    if not window.is_open or controller._opener is not None:  # still opening, or importing
        QTimer.singleShot(5, visit)
        return
    for area in (1, 2, 0):
        window.show_area(area)
    window.monitor.tabs.setCurrentIndex(1)
    for tab in range(window.activities.tabs.count()):
        window.activities.tabs.setCurrentIndex(tab)
    window.file_actions.import_file().close()  # File > Import…
    QTimer.singleShot(100, lambda: (print(sorted(ui_elsewhere), sorted(lower_on_gui)), app.quit()))

QTimer.singleShot(0, visit)
QTimer.singleShot(60000, app.quit)
app.exec()
controller.close()
"""


def test_the_user_interface_is_imported_on_the_gui_thread_only_and_the_layers_below_off_it(
    tmp_path: Path,
) -> None:
    # With PySide 6 on Python 3.11 a Qt class made on another thread (the opener imported
    # the areas' modules) corrupts a table the GUI thread reads without the interpreter lock:
    # the app crashed at start-up about once in 30–50 starts (SIGSEGV in
    # MetaObjectBuilder::update). The opener imports the services and the domain; the GUI
    # thread imports the interface's modules, one a turn.
    out = run_script(IMPORTS_SCRIPT, tmp_path / "demo.nlw", tmp_path)
    assert out.strip() == "[] []"


def test_hidden_tabs_are_made_when_first_shown(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from nextlevel_desktop.ui.logger.due import DuePanel
    from nextlevel_desktop.ui.people.panel import PeoplePanel
    from nextlevel_desktop.ui.review.page import ReviewPage

    window = main_window
    window.show_area(1)
    area = window._built[1]
    qtbot.waitUntil(lambda: area.pages.built(0) is not None)
    # Only the tab on screen has its panel; the others are empty until shown.
    assert [area.pages.built(i) is not None for i in range(5)] == [True] + [False] * 4
    assert area.findChildren(DuePanel) == [] and area.findChildren(PeoplePanel) == []
    assert area.tabs.currentWidget() is area.pages.built(0)

    area.tabs.setCurrentIndex(area.DUE)  # shown: made on the next turn, in its own tab
    qtbot.waitUntil(lambda: area.pages.built(area.DUE) is not None)
    due = area.pages.built(area.DUE)
    assert isinstance(due, DuePanel)
    assert area.tabs.currentWidget() is due and due.isVisible()
    assert area.tabs.count() == 5 and area.tabs.tabText(area.DUE) == "D&ue"
    assert area.pages.built(area.PEOPLE) is None

    people = area.people  # used before it is shown: made at once, in its place, not shown
    assert isinstance(people, PeoplePanel) and area.tabs.indexOf(people) == area.PEOPLE
    assert area.tabs.currentWidget() is due and not people.isVisible()

    window.show_area(2)
    monitor = window._built[2]
    qtbot.waitUntil(lambda: monitor.dashboard is not None)
    assert monitor.findChildren(ReviewPage) == []  # the one-on-one review tab is not shown
    monitor.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: monitor.pages.built(1) is not None)
    assert monitor.tabs.currentWidget() is monitor.review


DEFERRED_SCRIPT = r"""
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
import nextlevel_desktop.app as app_module
import nextlevel_desktop.storage.db as db_module
import nextlevel_desktop.storage.integrity as integrity
from nextlevel_desktop.paths import Paths
from nextlevel_desktop.ui.user_settings import UserSettings

# Every file is checked in the background, as a large one is.
db_module.open_database.__kwdefaults__["background_check_from"] = 0
events = []
check, backup = integrity.quick_check_connection, app_module.start_daily_backup
integrity.quick_check_connection = lambda con: (events.append("check"), check(con))[1]
app_module.start_daily_backup = lambda *a, **k: (events.append("backup"), backup(*a, **k))[1]

app = QApplication([])
workspace, folder = Path(sys.argv[1]), Path(sys.argv[2])
settings = UserSettings(folder / "settings.ini")
settings.set_value("window/area", 2)
controller = app_module.AppController(Paths(folder, folder / "logs"), settings)
window = controller.start(workspace)

def first_screen():
    dash = window.monitor.dashboard
    shown = dash is not None and bool(dash.grids) and not dash.stale.is_stale
    events.append("first screen" if shown and window.ops.idle else "first screen, data missing")

window.firstScreenShown.connect(first_screen)

def done():
    if "check" in events and "backup" in events:
        window.services.db.integrity.wait(30)  # passed
        print(events)
        app.quit()
        return
    QTimer.singleShot(5, done)

QTimer.singleShot(0, done)
QTimer.singleShot(60000, app.quit)
app.exec()
controller.close()
"""


def test_the_damage_check_and_the_backup_wait_for_the_first_screen(
    demo_db: Database, tmp_path: Path
) -> None:
    # A large file's damage check reads all of it (3.5 s for 600 MB) and the daily backup
    # copies it: run while the first screen is read and drawn, they took a core and the disk
    # from it (data shown ≈ 25 % later). They begin once the Monitor's numbers are shown.
    path = demo_db.path
    demo_db.close()
    out = run_script(DEFERRED_SCRIPT, path, tmp_path)
    events = eval(out.strip())  # noqa: S307 - our own script's list of strings
    assert events[0] == "first screen"
    assert set(events[1:]) == {"backup", "check"}  # (the backup checks its copy too)


def test_the_first_area_is_built_hidden_and_shown_on_a_later_turn(  # type: ignore[no-untyped-def]
    qtbot, demo_services, user_settings
) -> None:
    # Built and painted in one turn, the Monitor held the GUI thread for 50–65 ms at start-up.
    from PySide6.QtCore import QTimer

    from nextlevel_desktop.ui.main_window import MainWindow
    from nextlevel_desktop.ui.monitor.area import MonitorArea

    user_settings.set_value("window/area", 2)
    window = MainWindow(None, user_settings, controller=None)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    seen: list[tuple[bool, bool]] = []
    each_turn = QTimer()
    each_turn.setInterval(0)

    def built_yet() -> None:  # (its modules are imported first, one a turn)
        monitor = window._built[2]
        if monitor is not None and not seen:
            assert isinstance(monitor, MonitorArea)
            seen.append((monitor.dashboard is not None, monitor.isVisible()))

    each_turn.timeout.connect(built_yet)
    with qtbot.waitSignal(window.workspaceAttached, timeout=10_000):
        window.attach(demo_services, in_steps=True)
        each_turn.start()
    each_turn.stop()
    assert seen == [(True, False)]  # its dashboard made while it was hidden
    assert window.stack.currentWidget() is window.monitor and window.monitor.isVisible()
    assert window.sidebar.currentRow() == 2 and window.area_actions[2].isChecked()
    window.close()


def test_an_area_chosen_while_the_first_one_is_prepared_is_the_one_shown(  # type: ignore[no-untyped-def]
    qtbot, demo_services, user_settings
) -> None:
    # Ctrl+2 pressed while the Monitor (shown last time) was still being built in steps: the
    # Monitor's own showing cancelled the choice.
    from PySide6.QtCore import QTimer

    from nextlevel_desktop.ui.main_window import MainWindow

    user_settings.set_value("window/area", 2)
    window = MainWindow(None, user_settings, controller=None)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    each_turn = QTimer()
    each_turn.setInterval(0)

    def choose_once_the_monitor_is_built() -> None:  # built hidden, shown on the next turn
        monitor = window._built[2]
        if monitor is not None and not monitor.isVisible():
            each_turn.stop()
            window.area_actions[1].trigger()  # Ctrl+2: the Activities area

    each_turn.timeout.connect(choose_once_the_monitor_is_built)
    window.attach(demo_services, in_steps=True)
    each_turn.start()
    qtbot.waitUntil(lambda: not each_turn.isActive())
    qtbot.waitUntil(lambda: window._built[1] is not None and window.stack.currentIndex() == 1)
    qtbot.wait(200)
    assert window.stack.currentIndex() == 1 and window.sidebar.currentRow() == 1
    window.close()


NO_DRAWING_SCRIPT = r"""
import sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from nextlevel_desktop.app import AppController
from nextlevel_desktop.paths import Paths
from nextlevel_desktop.ui.user_settings import UserSettings

sys.executable = "/nonexistent/python"  # the drawing process cannot be started
app = QApplication([])
workspace, folder = Path(sys.argv[1]), Path(sys.argv[2])
settings = UserSettings(folder / "settings.ini")
settings.set_value("window/area", 2)
controller = AppController(Paths(folder, folder / "logs"), settings)
window = controller.start(workspace)
errors = []
sys.excepthook = lambda *a: errors.append(a[1])

def check():
    built = window._built
    dash = window.monitor.dashboard if built and built[2] else None
    panel = dash.panels.get("activity") if dash is not None else None
    if panel is not None and "could not be drawn" in panel.view.note and dash.grids:
        print(len(dash.grids), panel.view.image is None, errors)
        app.quit()
        return
    QTimer.singleShot(10, check)

QTimer.singleShot(0, check)
QTimer.singleShot(60000, app.quit)
app.exec()
controller.close()
"""


def test_the_workspace_opens_and_says_so_when_charts_cannot_be_drawn(
    demo_db: Database, tmp_path: Path
) -> None:
    # The drawing process was started inside the opener's try: failing to start it failed the
    # whole opening. The workspace opens, the numbers show, each chart says it could not draw.
    path = demo_db.path
    demo_db.close()
    out = run_script(NO_DRAWING_SCRIPT, path, tmp_path)
    assert out.strip() == "2 True []"
