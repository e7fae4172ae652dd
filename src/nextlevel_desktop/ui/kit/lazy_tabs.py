"""Tab pages built the first time they are shown or used, so building a screen costs only the
page on it (start-up built every hidden tab of the Activities area: half its build time).

    class ActivitiesArea(Area):
        log = LazyPage[ActivityListPanel](0)      # self.log builds it on first use

        def __init__(self, host):
            self.pages = LazyTabs(self.tabs)
            self.pages.add(self.tr("&Log"), lambda: ActivityListPanel(self))

A page not built yet has nothing to refresh: it reads what it shows when it is built, so
``Changes`` go only to :meth:`LazyTabs.built` pages.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar, cast, overload

from PySide6.QtCore import QEvent, QObject, QSignalBlocker, QTimer
from PySide6.QtWidgets import QTabWidget, QWidget

W = TypeVar("W", bound=QWidget)


class LazyTabs(QObject):
    """The pages of ``tabs``, each made by its factory when its tab is first shown or asked
    for (:meth:`page`, at once).

    A tab first shown gets its page in three turns of the event loop, after the tab's frame
    is painted: the page made (hidden), then polished (the style's fonts and palette for every
    child: Qt's first use of a widget class costs most here), then put in its tab, laid out
    and painted. In one turn the Log page held the GUI thread for 50–85 ms of CPU at start-up.
    """

    def __init__(self, tabs: QTabWidget) -> None:
        super().__init__(tabs)
        self.tabs = tabs
        self._make: list[Callable[[], QWidget]] = []
        self._pages: list[QWidget | None] = []
        self._holders: list[QWidget] = []  # what each tab shows until its page is made
        self._early: dict[int, QWidget] = {}  # made, not yet in its tab (a tab first shown)
        self.made: list[Callable[[QWidget], None]] = []  # called with each page once built

    def add(self, title: str, make: Callable[[], QWidget]) -> None:
        placeholder = QWidget()
        placeholder.installEventFilter(self)
        self._make.append(make)
        self._pages.append(None)
        self._holders.append(placeholder)
        self.tabs.addTab(placeholder, title)

    def page(self, index: int) -> QWidget:
        """The page at ``index``, made now if it was not yet."""
        page = self._pages[index]
        if page is None:
            page = self._insert(index)
            self._announce(page)
        return page

    def _insert(self, index: int) -> QWidget:
        """Make the page at ``index`` (or take the one made early) and put it in its
        placeholder's place."""
        page = self._early.pop(index, None) or self._make[index]()
        self._pages[index] = page
        placeholder = self._holders[index]
        # Inserted before its placeholder, which is then removed: no other page is shown
        # meanwhile, and the current tab stays what it was.
        with QSignalBlocker(self.tabs):
            current = self.tabs.currentIndex() == index
            self.tabs.insertTab(index, page, self.tabs.tabText(index))
            self.tabs.setTabToolTip(index, self.tabs.tabToolTip(index + 1))
            if current:
                self.tabs.setCurrentIndex(index)
            self.tabs.removeTab(index + 1)
        placeholder.deleteLater()
        return page

    def _announce(self, page: QWidget) -> None:
        for made in self.made:
            made(page)

    def built(self, index: int) -> QWidget | None:
        """The page at ``index`` if it is made, else ``None``."""
        return self._pages[index]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Show and watched in self._holders:
            index = self._holders.index(cast(QWidget, watched))
            QTimer.singleShot(0, self, lambda: self._shown(index))
        return False

    def _shown(self, index: int) -> None:
        """The tab was opened: the page is made (hidden) on this turn."""
        if self._pages[index] is None and index not in self._early:
            if self.tabs.currentIndex() == index:
                self._early[index] = self._make[index]()
                QTimer.singleShot(0, self, lambda: self._polish(index))

    def _polish(self, index: int) -> None:
        """Polished on the next turn; put in its tab on the one after, and told to the
        ``made`` callbacks on the turn after that, so no turn holds the window up for two."""
        page = self._early.get(index)
        if page is not None:
            page.ensurePolished()
            QTimer.singleShot(0, self, lambda: self._place(index))

    def _place(self, index: int) -> None:
        if self._pages[index] is None and index in self._early:
            page = self._insert(index)
            QTimer.singleShot(0, page, lambda: self._announce(page))


class HasPages(Protocol):
    pages: LazyTabs


class LazyPage(Generic[W]):
    """A class attribute naming a lazily made page: reading it makes the page if needed."""

    def __init__(self, index: int) -> None:
        self.index = index

    @overload
    def __get__(self, obj: None, owner: Any) -> LazyPage[W]: ...

    @overload
    def __get__(self, obj: HasPages, owner: Any) -> W: ...

    def __get__(self, obj: HasPages | None, owner: Any) -> LazyPage[W] | W:
        if obj is None:
            return self
        return cast(W, obj.pages.page(self.index))
