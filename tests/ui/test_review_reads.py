"""The review's figures come from the Monitor's reads on the reader thread: the page keeps
showing what it has until the answer for the newest choice arrives."""

from __future__ import annotations

import threading

import pytest
from logger_testing import settle

from nextlevel_desktop.services.scorecards import Scope
from nextlevel_desktop.ui.monitor import reads

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


def test_review_figures_follow_the_newest_person(main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    main_window.show_area(2)
    area = main_window.monitor
    qtbot.waitUntil(lambda: area.review is not None)
    area.tabs.setCurrentWidget(area.review)
    settle(main_window)
    page = area.review
    assert page.person.count() >= 3
    page.person.setCurrentIndex(0)
    settle(main_window)
    shown = [page.score_model.row(r) for r in range(page.score_model.rowCount())]
    gate = threading.Event()
    main_window.ops.read(page, "held", lambda _s: gate.wait(20), lambda _r: None)
    page.person.setCurrentIndex(1)
    page.person.setCurrentIndex(2)
    assert [page.score_model.row(r) for r in range(page.score_model.rowCount())] == shown
    gate.set()
    settle(main_window)
    person = page.person.itemData(2)
    assert [c.scope.person_id for c in page.cards] == [person] * len(page.cards)
    scopes = [Scope(c.scope.process, person, page.picker.period, page.today) for c in page.cards]
    expected = reads.scorecards(main_window.services, scopes).cards
    assert page.cards == expected
    assert page.risks == reads.risk_lines(main_window.services, expected)
    assert page.risk_model.rowCount() == len(page.risks)
