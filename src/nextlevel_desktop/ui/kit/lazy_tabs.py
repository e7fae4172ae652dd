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
    """The pages of ``tabs``, each made by its factory when its tab is first shown (on the
    next turn of the event loop, after the tab's frame is painted) or asked for (:meth:`page`,
    at once)."""

    def __init__(self, tabs: QTabWidget) -> None:
        super().__init__(tabs)
        self.tabs = tabs
        self._make: list[Callable[[], QWidget]] = []
        self._pages: list[QWidget | None] = []
        self._holders: list[QWidget] = []  # what each tab shows until its page is made
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
        """Make the page at ``index`` and put it in its placeholder's place."""
        page = self._pages[index] = self._make[index]()
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
        """The tab was opened: the page is made on this turn of the event loop and told to the
        ``made`` callbacks on the next, so neither holds the window up for both."""
        if self._pages[index] is None and self.tabs.currentIndex() == index:
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
