"""Tab pages made on first show, in turns short enough for the window to keep answering."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel, QTabWidget

from nextlevel_desktop.ui.kit.lazy_tabs import LazyTabs


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
