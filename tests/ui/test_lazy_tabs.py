"""A tab first shown gets its page over several turns of the event loop, so that no single
turn holds the GUI thread for the whole of making, polishing, laying out and painting it."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QDateEdit, QLabel, QTabWidget, QWidget

from nextlevel_desktop.ui.kit.lazy_tabs import LazyTabs


class Seen(QObject):
    """Records, one turn after the page is made and one turn after it is polished, whether
    it was on screen yet."""

    def __init__(self) -> None:
        super().__init__()
        self.states: list[tuple[str, bool]] = []

    def later(self, what: str, page: QWidget) -> None:
        QTimer.singleShot(0, lambda: self.states.append((what, page.isVisible())))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Polish and isinstance(watched, QWidget):
            self.later("polished", watched)
        return False


def test_a_tab_first_shown_is_made_polished_and_shown_in_turns_of_their_own(qtbot) -> None:  # type: ignore[no-untyped-def]
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    pages = LazyTabs(tabs)
    seen = Seen()
    made: list[QWidget] = []

    def make() -> QWidget:
        page = QWidget(tabs)
        QDateEdit(page)
        page.installEventFilter(seen)
        seen.later("made", page)
        made.append(page)
        return page

    pages.add("First", lambda: QLabel("first"))
    pages.add("Second", make)
    tabs.show()
    qtbot.waitUntil(lambda: pages.built(0) is not None)
    assert made == []

    tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: pages.built(1) is not None and made[0].isVisible())
    page = made[0]
    assert seen.states[:2] == [("made", False), ("polished", False)]
    assert tabs.currentWidget() is page and tabs.indexOf(page) == 1
    assert tabs.count() == 2 and tabs.tabText(1) == "Second"


def test_a_page_asked_for_while_it_is_being_made_is_the_one_made(qtbot) -> None:  # type: ignore[no-untyped-def]
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    pages = LazyTabs(tabs)
    made: list[QWidget] = []

    def make() -> QWidget:
        made.append(QLabel("second", tabs))
        return made[-1]

    pages.add("First", lambda: QLabel("first"))
    pages.add("Second", make)
    tabs.show()
    tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: made != [])
    turns: list[bool] = []
    assert pages.page(1) is made[0]  # used before it reached its tab: made once, put there now
    assert tabs.currentWidget() is made[0]
    for turn in range(1, 4):  # the turns still queued find it in place
        QTimer.singleShot(0, lambda: turns.append(True))
        qtbot.waitUntil(lambda n=turn: len(turns) == n)  # type: ignore[misc]
    assert made == [made[0]] and tabs.count() == 2 and tabs.currentWidget() is made[0]


def test_an_opened_tab_is_made_on_one_turn_and_announced_on_the_next(qtbot) -> None:  # type: ignore[no-untyped-def]
    """Making a page and the ``made`` callbacks (the Monitor's: processes read, filters
    followed) held the window up for both in one turn when a tab was opened."""
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    order: list[str] = []

    def make() -> QLabel:
        QTimer.singleShot(0, lambda: order.append("the turn after the page was made"))
        return QLabel("second")

    pages = LazyTabs(tabs)
    pages.add("First", lambda: QLabel("first"))
    pages.add("Second", make)
    pages.made.append(lambda page: order.append(f"made {page.text()}"))
    tabs.show()
    qtbot.waitUntil(lambda: pages.built(0) is not None)
    qtbot.waitUntil(lambda: "made first" in order)
    order.clear()
    tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: "made second" in order)
    assert order == ["the turn after the page was made", "made second"]
    assert tabs.currentWidget() is pages.built(1) and tabs.count() == 2
    # Asked for in code, a page is made and announced at once.
    other = LazyTabs(QTabWidget())
    other.add("Only", lambda: QLabel("only"))
    other.made.append(lambda page: order.append(f"made {page.text()} at once"))
    assert other.page(0).text() == "only" and order[-1] == "made only at once"
