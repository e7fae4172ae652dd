"""The one-on-one review through real widgets: save, reopen, actions, undo, PDF export."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from logger_testing import settle
from PySide6.QtCore import Qt

from nextlevel_desktop.services.reviews import ActionItem, ReviewRecord

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def review(main_window, qtbot):  # type: ignore[no-untyped-def]
    main_window.show_area(2)
    area = main_window.monitor
    qtbot.waitUntil(lambda: area.review is not None)
    area.tabs.setCurrentWidget(area.review)
    settle(main_window)  # the figures read, the activity mix drawn on the chart thread
    return area.review


def test_save_reopen_and_export(review, main_window, qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = review
    for i in range(page.person.count()):  # a rep with activity this month (not the manager)
        page.person.setCurrentIndex(i)
        settle(main_window)  # the figures are read on the reader thread
        if page.cards[0].measures.activity_count:
            break
    name = page.person.currentText()
    assert page.cards and page.score_model.rowCount() > 0
    assert page.mix.hits  # the activity mix chart is drawn
    page.notes.setPlainText("Strong pipeline; follow up on stalled proposals.")
    qtbot.mouseClick(page.agreed.add_button, Qt.MouseButton.LeftButton)
    text, due, _done, _remove = page.agreed.rows[-1]
    qtbot.keyClicks(text, "Book three demos")
    earlier = page.history.count()  # the demo holds last month's review of each rep
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle(main_window)
    assert page.current is not None and page.current.id is not None
    saved = main_window.services.reviews.review(page.current.id)
    assert saved.notes.startswith("Strong pipeline")
    assert [a.text for a in saved.actions] == ["Book three demos"]
    assert page.history.count() == earlier + 1

    # A new review of the same person shows last time's actions to tick off.
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    assert page.current is None and page.notes.toPlainText() == ""
    assert page.prev_actions.count() == 1
    item = page.prev_actions.item(0)
    item.setCheckState(Qt.CheckState.Checked)
    settle(main_window)
    assert main_window.services.reviews.review(saved.id or 0).actions[0].done
    main_window.undo_stack.undo()
    settle(main_window)
    assert not main_window.services.reviews.review(saved.id or 0).actions[0].done

    # Reopen the saved one from the list.
    rect = page.history.visualItemRect(page.history.item(0))
    qtbot.mouseClick(page.history.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.current is not None and page.current.id == saved.id
    assert page.notes.toPlainText().startswith("Strong pipeline")
    assert [r[0].text() for r in page.agreed.rows] == ["Book three demos"]

    out = page.export(tmp_path / "review.pdf", open_after=False)
    data = out.read_bytes()
    assert data.startswith(b"%PDF") and name.encode() in data  # in the document metadata
    if shutil.which("pdfinfo") and shutil.which("pdftotext"):
        info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True, check=True)
        pages = int(
            next(ln for ln in info.stdout.splitlines() if ln.startswith("Pages:")).split()[1]
        )
        assert 1 <= pages <= 3  # the third: process health and signals since the last review
        text_out = subprocess.run(
            ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
        )
        assert name in text_out.stdout and "Book three demos" in text_out.stdout
        assert "Process health" in text_out.stdout and "Signals since" in text_out.stdout


def pick_person_without_reviews(page, services) -> int:  # type: ignore[no-untyped-def]
    """The demo holds last month's review of every rep; the manager has none."""
    for i in range(page.person.count()):
        page.person.setCurrentIndex(i)
        if not services.reviews.reviews_of(page.person_id):
            return page.person_id
    raise AssertionError("every person has a review")


def test_undo_new_review_and_validation(review, main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    page = review
    person_id = pick_person_without_reviews(page, main_window.services)
    qtbot.mouseClick(page.agreed.add_button, Qt.MouseButton.LeftButton)
    text, due, _done, _remove = page.agreed.rows[-1]
    qtbot.keyClicks(text, "Too late")
    due.setDate(due.date().addYears(-3))
    assert not page.save()
    assert page.agreed.error.isVisible() and "before the review" in page.agreed.error.text()
    due.setDate(due.date().addYears(4))
    assert page.save()
    settle(main_window)
    (saved,) = main_window.services.reviews.reviews_of(person_id)
    assert page.current is not None and page.current.id == saved.id
    main_window.undo_stack.undo()
    settle(main_window)
    assert main_window.services.reviews.reviews_of(person_id) == []
    assert page.current is None and page.history.count() == 1
    assert page.history.item(0).data(Qt.ItemDataRole.UserRole) is None  # "No reviews yet"
    main_window.undo_stack.redo()
    settle(main_window)
    (again,) = main_window.services.reviews.reviews_of(person_id)
    assert again.id == saved.id  # the same review, not a new one, after undo and redo
    assert [a.text for a in again.actions] == ["Too late"]
    assert page.history.item(0).data(Qt.ItemDataRole.UserRole) == saved.id


def test_reopen_earlier_review_shows_its_previous(review, main_window) -> None:  # type: ignore[no-untyped-def]
    page = review
    svc = main_window.services.reviews
    person_id = pick_person_without_reviews(page, main_window.services)
    from nextlevel_desktop.domain.periods import month_of

    first = svc.review(
        svc.save(
            ReviewRecord(
                person_id,
                month_of(date(2026, 9, 1)),
                date(2026, 10, 1),
                "one",
                (ActionItem("First action", date(2026, 10, 20)),),
            )
        ).ids["review"]
    )
    second = svc.review(
        svc.save(
            ReviewRecord(person_id, month_of(date(2026, 10, 1)), date(2026, 11, 1), "two")
        ).ids["review"]
    )
    page.open_review(second.id)
    assert page.picker.period == second.period
    assert page.previous is not None and page.previous.id == first.id
    assert page.prev_actions.item(0).text().startswith("First action")
    page.open_review(first.id)
    assert page.previous is None and page.prev_actions.count() == 0


def test_review_follows_the_scorecards_person_and_period(review, main_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Choosing a person and period on Scorecards shows that person's review for it; typed
    notes are never thrown away by a choice made on the other tab."""
    from nextlevel_desktop.domain.periods import parse_period

    area = main_window.monitor
    bar = area.dashboard.filter_bar
    page = review
    area.tabs.setCurrentWidget(area.dashboard)
    target = bar.person.itemData(bar.person.count() - 1)
    bar.person.setCurrentIndex(bar.person.count() - 1)
    bar.picker.set_period(parse_period("2026-09"))
    area.tabs.setCurrentWidget(page)
    assert page.person_id == target
    assert page.picker.period == parse_period("2026-09")
    # The whole team on Scorecards leaves the review's person as it is.
    bar.person.setCurrentIndex(0)
    assert page.person_id == target
    # Unsaved notes stay, with their person and period.
    page.notes.setPlainText("Talked about the Quarry renewal")
    bar.person.setCurrentIndex(1)
    bar.picker.set_period(parse_period("2026-10"))
    assert page.person_id == target and page.picker.period == parse_period("2026-09")
    assert page.notes.toPlainText() == "Talked about the Quarry renewal"


def test_review_shows_health_and_signals_since_the_last_review(review, main_window) -> None:  # type: ignore[no-untyped-def]
    page = review
    for i in range(page.person.count()):  # a rep reviewed last month (the demo's)
        page.person.setCurrentIndex(i)
        if page.previous is not None:
            break
    settle(main_window)
    assert page.previous is not None
    section = page.health
    assert section.since == page.previous.held_on
    services = main_window.services
    expected = [
        (x.process, x.measure, x.runs)
        for c in page.cards
        for x in services.health.signals_since(c.scope, page.previous.held_on)
    ]
    assert [(x.process, x.measure, x.runs) for x in section.signals] == expected
    assert section.list.count() == sum(len(runs) for _p, _m, runs in expected)
    names = [name for name, _rows in section.health]
    assert names == [c.scope.process.name for c in page.cards]
    for name in names:
        assert name in section.summary.text()
    assert section.caption.text()
