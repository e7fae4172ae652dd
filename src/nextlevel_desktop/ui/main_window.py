"""The main window: three areas (Designer, Activities, Monitor), menus, status bar.

One window shows one workspace. Opening another workspace builds a new window through the
controller (the composition root), so no state of the old workspace can leak into the new one.

Start-up is two-phase: the window (menus, sidebar, status bar, remembered geometry) is built and
painted first, from light modules only; the storage stack (SQLAlchemy) and the areas load after
that paint and are attached with :meth:`MainWindow.attach`. So this module must not import
services or areas at module level.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QDeadlineTimer, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QUndoStack
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QStackedWidget,
    QWidget,
)

from .. import APP_NAME
from ..domain.changes import Changes
from . import workspace_files
from .area_specs import AREA_SPECS, startup_modules
from .dialogs.file_actions import install_file_actions
from .import_turns import import_in_turns
from .kit.bus import ChangeBus
from .logger.actions import install_logger_actions
from .plain_text import plain_label
from .user_settings import UserSettings

if TYPE_CHECKING:
    from ..services.container import Services
    from ..services.read_ahead import ReadAhead
    from ..services.search import SearchHit
    from .area import Area
    from .designer.area import DesignerArea
    from .kit.ops import Operations
    from .logger.area import ActivitiesArea
    from .monitor.area import MonitorArea
    from .search import SearchDialog


class Controller(Protocol):
    """What the window asks of the composition root."""

    def open_workspace(
        self,
        path: Path,
        demo: bool = False,
        parent: QWidget | None = None,
        new: bool = False,
        currency: str | None = None,
    ) -> bool: ...


class MainWindow(QMainWindow):
    AREAS = tuple(spec.name for spec in AREA_SPECS)
    areaChanged = Signal(int)
    workspaceAttached = Signal()
    # The first area shown after attach has its data on screen: every read and chart it
    # asked for answered, then a few quiet turns (or FIRST_SCREEN_AT_MOST_MS passed). Work
    # nobody sees yet (the large file's damage check, the daily backup, hidden pages'
    # modules) waits for it, so it does not compete with the first screen for the cores.
    firstScreenShown = Signal()
    FIRST_SCREEN_AT_MOST_MS = 15_000

    services: Services
    ops: Operations

    def __init__(
        self,
        services: Services | None,
        settings: UserSettings,
        controller: Controller,
        parent: QWidget | None = None,
    ) -> None:
        """Build the window; with ``services`` it shows that workspace at once, without it
        the window is painted empty and :meth:`attach` shows the workspace when it is open."""
        super().__init__(parent)
        self.settings = settings
        self._search: SearchDialog | None = None  # made on first use, then kept
        self.controller = controller
        self.bus = ChangeBus(self)
        self.undo_stack = QUndoStack(self)
        self._built: list[Area | None] = []
        self._slots: list[QWidget] = []
        self._asked: int | None = None  # an area chosen while the workspace was opening
        self._choosing: int | None = None  # an area chosen, being built in steps
        # The lists read as the workspace opened, for the screens built at start-up: kept
        # until a write changes one of them.
        self.read_ahead: ReadAhead | None = None
        self.setObjectName("MainWindow")
        self.setMinimumSize(QSize(960, 600))
        self.setWindowTitle(APP_NAME)

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        self.sidebar = QListWidget()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setFixedWidth(150)
        self.sidebar.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.stack = QStackedWidget()
        row.addWidget(self.sidebar)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        for i, name in enumerate(self.AREAS):
            item = QListWidgetItem(self.tr(name))
            item.setToolTip(self.tr("{0} (Ctrl+{1})").format(self.tr(name), i + 1))
            item.setSizeHint(QSize(140, 44))
            self.sidebar.addItem(item)
        self.opening = QLabel(self.tr("Opening the workspace…"))
        self.opening.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.opening.setEnabled(False)
        self.stack.addWidget(self.opening)
        self.sidebar.currentRowChanged.connect(self.choose_area)
        self.sidebar.setStyleSheet(
            "QListWidget#sidebar { border: none; padding-top: 8px;"
            " background: palette(alternate-base); font-size: 11pt; }"
            "QListWidget#sidebar::item { padding-left: 14px; }"
            "QListWidget#sidebar::item:selected { background: palette(highlight);"
            " color: palette(highlighted-text); }"
        )

        self._build_menus()
        install_file_actions(self)
        install_logger_actions(self)
        self.path_label = plain_label()
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.statusBar().addPermanentWidget(self.path_label)
        self.bus.changed.connect(self._on_changes)
        self._restore_geometry()
        for action in self.workspace_actions:
            action.setEnabled(False)
        if services is not None:
            self.attach(services)

    def attach(
        self, services: Services, *, in_steps: bool = False, ahead: ReadAhead | None = None
    ) -> None:
        """Show the open workspace behind ``services``.

        Only the area on screen is built now, the others when first shown. ``in_steps``
        (start-up): it is built on the next turn and shown on the one after, no turn long.
        ``ahead``: the lists read as the workspace opened, kept as :attr:`read_ahead` for the
        screens built from them until a write changes one."""
        from .kit.ops import Operations

        self.services = services
        self.ops = Operations(services, self.bus, self.undo_stack, self)
        self.read_ahead = ahead
        path = services.path
        self.setWindowTitle(f"{path.stem} — {APP_NAME}")
        self.setWindowFilePath(str(path))
        self.path_label.setText(str(path))
        self._built = [None] * len(self.AREAS)
        self._slots = [QWidget() for _ in self.AREAS]
        self.stack.removeWidget(self.opening)
        self.opening.deleteLater()
        for slot in self._slots:
            self.stack.addWidget(slot)
        for action in self.workspace_actions:
            action.setEnabled(True)
        if in_steps:
            first, nearest, rest = self.startup_modules()
            self._import_in_turns(list(first), self._prepare_first_area)
            self.firstScreenShown.connect(
                lambda: self._import_in_turns([*nearest, *rest], lambda: None)
            )
        else:
            self._show_first_area()

    def _untouched(self) -> bool:
        """No area was chosen (by a shortcut) since the workspace was attached: none shown,
        none being built in steps (showing the first area would cancel that choice)."""
        return self.stack.currentWidget() in self._slots and self._choosing is None

    def _import_in_turns(self, names: list[str], then: Callable[[], None]) -> None:
        """Import ``names`` here, on the GUI thread, a module a turn (leaves first), then call
        ``then`` (:func:`.import_turns.import_in_turns`)."""
        import_in_turns(self, names, then)

    def _first_index(self) -> int:
        index = self._asked
        if index is None:
            index = self.settings.int_value("window/area", 0)
        return index if 0 <= index < len(self._built) else 0

    def _prepare_first_area(self) -> None:
        """Build the first area (:meth:`Area.prepare`) hidden; show it on the next turn (built
        and painted in one, the Monitor held the GUI thread for 50–65 ms of CPU)."""
        index = self._first_index()
        if self._untouched():
            self.area(index).prepare()
        QTimer.singleShot(0, self, self._show_first_area)

    def _show_first_area(self) -> None:
        index = self._first_index()
        if self._untouched() or self.stack.currentWidget() is self._built[index]:
            self.show_area(index)
        self.workspaceAttached.emit()
        self._watch_first_screen()

    def _watch_first_screen(self) -> None:
        """Emit :attr:`firstScreenShown` once the operation road has stayed idle for three
        checks in a row (30 ms apart: the panels' zero-timer refreshes, the paint after them
        and a chart asked for after that paint all fall inside)."""
        timer = QTimer(self)
        timer.setInterval(30)
        quiet = [0]
        deadline = QDeadlineTimer(self.FIRST_SCREEN_AT_MOST_MS)

        def check() -> None:
            quiet[0] = quiet[0] + 1 if self.ops.idle else 0
            if quiet[0] >= 3 or deadline.hasExpired():
                timer.stop()
                timer.deleteLater()
                self.firstScreenShown.emit()

        timer.timeout.connect(check)
        timer.start()

    def startup_modules(self) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """:func:`~.area_specs.startup_modules` for the area last shown."""
        return startup_modules(self.settings.int_value("window/area", 0))

    @property
    def is_open(self) -> bool:
        """True once a workspace is attached (until then there are no areas)."""
        return bool(self._built)

    def area(self, index: int) -> Area:
        """The area at ``index``, built on first use (a workspace must be open)."""
        if not self._built:
            raise RuntimeError("no workspace is open")
        built = self._built[index]
        if built is None:
            built = AREA_SPECS[index].load()(self)
            self._built[index] = built
            slot = self._slots[index]
            current = self.stack.currentWidget() is slot
            self.stack.insertWidget(index, built)
            self.stack.removeWidget(slot)
            slot.deleteLater()
            if current:
                self.stack.setCurrentWidget(built)
            built.restore_state()
        return built

    @property
    def areas(self) -> list[Area]:
        """All three areas (building any not built yet)."""
        return [self.area(i) for i in range(len(self._built))]

    def built_areas(self) -> list[Area]:
        return [a for a in self._built if a is not None]

    @property
    def designer(self) -> DesignerArea:
        return self.area(0)  # type: ignore[return-value]

    @property
    def activities(self) -> ActivitiesArea:
        return self.area(1)  # type: ignore[return-value]

    @property
    def monitor(self) -> MonitorArea:
        return self.area(2)  # type: ignore[return-value]

    # Menus ---------------------------------------------------------------------------
    def _action(
        self,
        text: str,
        slot: object,
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(self.tr(text), self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("&File"))
        self.new_action = self._action(
            "&New workspace…",
            lambda: workspace_files.new_workspace(self),
            QKeySequence.StandardKey.New,
        )
        self.open_action = self._action(
            "&Open…", lambda: workspace_files.open_workspace(self), QKeySequence.StandardKey.Open
        )
        file_menu.addAction(self.new_action)
        file_menu.addAction(self.open_action)
        self.recent_menu = QMenu(self.tr("Open &Recent"), self)
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        file_menu.addMenu(self.recent_menu)
        file_menu.addSeparator()
        self.save_copy_action = self._action(
            "Save a &copy…", lambda: workspace_files.save_copy(self), "Ctrl+Shift+S"
        )
        file_menu.addAction(self.save_copy_action)
        self.file_menu = file_menu
        file_menu.addSeparator()
        self.quit_action = self._action("&Quit", self.close, QKeySequence.StandardKey.Quit)
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        file_menu.addAction(self.quit_action)

        edit = bar.addMenu(self.tr("&Edit"))
        self.undo_action = self.undo_stack.createUndoAction(self, self.tr("&Undo"))
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.redo_action = self.undo_stack.createRedoAction(self, self.tr("&Redo"))
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        edit.addAction(self.undo_action)
        edit.addAction(self.redo_action)
        edit.addSeparator()
        # Find anything: Ctrl+K, and Ctrl+F (no screen has a find of its own).
        self.find_action = self._action("&Find…", self.find_anything, "Ctrl+K")
        self.find_action.setShortcuts(
            [QKeySequence("Ctrl+K"), QKeySequence(QKeySequence.StandardKey.Find)]
        )
        self.find_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        edit.addAction(self.find_action)
        edit.addSeparator()
        self.preferences_action = self._action("&Preferences…", self.show_preferences, "Ctrl+,")
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        edit.addAction(self.preferences_action)
        self.edit_menu = edit
        # Actions that need an open workspace: enabled by attach().
        self.workspace_actions = [self.save_copy_action, self.preferences_action, self.find_action]

        view = bar.addMenu(self.tr("&View"))
        self.area_actions: list[QAction] = []
        for i, name in enumerate(self.AREAS):
            action = self._action(
                f"&{name}", lambda _=False, i=i: self.choose_area(i), f"Ctrl+{i + 1}"
            )
            action.setCheckable(True)
            view.addAction(action)
            self.area_actions.append(action)
        view.addSeparator()
        self.fullscreen_action = self._action(
            "&Full screen", self._toggle_fullscreen, QKeySequence.StandardKey.FullScreen
        )
        view.addAction(self.fullscreen_action)
        self.view_menu = view

        help_menu = bar.addMenu(self.tr("&Help"))
        help_menu.addAction(
            self._action("&Getting started", self.show_guide, QKeySequence.StandardKey.HelpContents)
        )
        about = self._action(f"&About {APP_NAME}", self.show_about)
        about.setMenuRole(QAction.MenuRole.AboutRole)
        help_menu.addAction(about)
        self.help_menu = help_menu

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        current = self.workspace_path()
        recent = [
            p
            for p in self.settings.recent_workspaces()
            if current is None or p != current.resolve()
        ]
        for i, path in enumerate(recent):
            action = self.recent_menu.addAction(f"&{i + 1} {path.name}   —   {path.parent}")
            action.triggered.connect(
                lambda _=False, p=path: self.controller.open_workspace(p, parent=self)
            )
        if not recent:
            none = self.recent_menu.addAction(self.tr("No other recent workspaces"))
            none.setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction(self.tr("Clear the list"), self.settings.clear_recent)

    # Areas -----------------------------------------------------------------------------
    def choose_area(self, index: int) -> None:
        """The user chose area ``index`` (the sidebar, Ctrl+1…): shown at once if built, else
        in steps, as at start-up: its modules imported a turn each, then built hidden, then
        shown on the next turn (built and shown in one, the Activities area held the GUI thread
        for 40 ms of CPU). A later choice made meanwhile wins."""
        if not self._built or not 0 <= index < len(self._built) or self._built[index]:
            self.show_area(index)
            return
        if self._choosing == index:
            return
        self._choosing = index
        self._mark_area(index)
        missing = [m for m in AREA_SPECS[index].modules if m not in sys.modules]
        self._import_in_turns(missing, lambda: self._build_chosen(index))

    def _build_chosen(self, index: int) -> None:
        if self._choosing == index:
            self.area(index).prepare()
            QTimer.singleShot(0, self, lambda: self._show_chosen(index))

    def _show_chosen(self, index: int) -> None:
        if self._choosing == index:
            self._choosing = None
            self.show_area(index)

    def show_area(self, index: int) -> None:
        """Show area ``index`` now (built now if it is not yet)."""
        self._choosing = None  # a choice still in steps gives way to this one
        if not self._built and 0 <= index < len(AREA_SPECS):
            # Chosen (Ctrl+2…) while the workspace opens: it is the area shown once open.
            self._asked = index
            self._mark_area(index)
            return
        if not 0 <= index < len(self._built):
            return
        self.stack.setCurrentWidget(self.area(index))
        self._mark_area(index)
        self.areaChanged.emit(index)

    def _mark_area(self, index: int) -> None:
        """The sidebar and the View menu show ``index`` as the area chosen."""
        if self.sidebar.currentRow() != index:
            self.sidebar.setCurrentRow(index)
        for i, action in enumerate(self.area_actions):
            action.setChecked(i == index)

    def show_not_opened(self) -> None:
        """The workspace could not be opened (the user was told why): offer the way out."""
        self.opening.setText(
            self.tr("No workspace is open.\n\nUse File > Open… or File > New workspace…")
        )

    def workspace_path(self) -> Path | None:
        """The open workspace's file, or ``None`` while it is still opening."""
        return self.services.path if self._built else None

    def current_area(self) -> Area:
        return self.area(self.stack.currentIndex())

    def publish(self, changes: Changes, initiator: object = None) -> None:
        """Tell every panel what a service changed."""
        self.bus.publish(changes, initiator)

    def _on_changes(self, changes: Changes) -> None:
        if self.read_ahead is not None and self.read_ahead.outdated_by(changes):
            self.read_ahead = None
        if changes.settings:
            self.statusBar().showMessage(self.tr("Preferences saved."), 3000)

    # Dialogs ---------------------------------------------------------------------------
    def find_anything(self) -> None:
        """Find anything by text and go there (the dialog is kept: it remembers the text)."""
        if self.services is None:
            return
        from .search import SearchDialog

        dialog = self._search
        if dialog is None:
            dialog = self._search = SearchDialog(self.ops, self)
            dialog.chosen.connect(self.go_to)
        dialog.query.selectAll()
        dialog.open()
        dialog.query.setFocus()

    def go_to(self, hit: SearchHit) -> None:
        """Show what a search found: its account, engagement, person or activity."""
        from ..services.search import HitKind

        self.show_area(1)
        area = self.activities
        if hit.kind is HitKind.ENGAGEMENT:
            area.open_engagement(hit.id)
        elif hit.kind is HitKind.PERSON:
            area.tabs.setCurrentWidget(area.people)
            area.people.select(hit.id)
        elif hit.kind is HitKind.ACTIVITY:
            from .logger.dialogs import open_activity

            area.tabs.setCurrentWidget(area.log)
            open_activity(area, hit.id, self)
        elif hit.account_id is not None:  # an account, or a contact's account
            area.open_account(hit.account_id)
            if hit.kind is HitKind.CONTACT:
                accounts = area.accounts
                accounts.tabs.setCurrentIndex(accounts.tabs.count() - 1)  # Contacts

    def show_preferences(self) -> None:
        from .dialogs.preferences import PreferencesDialog

        PreferencesDialog(self, self).exec()

    def show_guide(self) -> None:
        from .dialogs.help import GuideDialog

        GuideDialog(self).exec()

    def show_about(self) -> None:
        from .dialogs.help import AboutDialog

        AboutDialog(self.workspace_path() or Path(), self).exec()

    def _toggle_fullscreen(self) -> None:
        self.setWindowState(self.windowState() ^ Qt.WindowState.WindowFullScreen)

    # Layout persistence ----------------------------------------------------------------
    def _restore_geometry(self) -> None:
        geometry = self.settings.bytes_value("window/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1280, 800)
        state = self.settings.bytes_value("window/state")
        if state is not None:
            self.restoreState(state)

    def save_layout(self) -> None:
        self.settings.set_bytes("window/geometry", self.saveGeometry())
        self.settings.set_bytes("window/state", self.saveState())
        if self._built:
            self.settings.set_value("window/area", self.stack.currentIndex())
        for area in self.built_areas():
            area.save_state()
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        super().closeEvent(event)
        if self._built:
            self.ops.close()  # every write asked for is finished before the workspace closes
