"""The review of a team: chosen on Scorecards as “Team: East”, it shows the team's figures,
saves as the team's review (apart from its people's one-on-ones) and exports a PDF naming it."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from logger_testing import settle
from PySide6.QtCore import Qt

from nextlevel_desktop.services.people import PersonDraft

pytestmark = pytest.mark.qt_log_ignore("This plugin does not support propagateSizeHints")


@pytest.fixture
def team_review(main_window, qtbot):  # type: ignore[no-untyped-def]
    """The review tab after choosing “Team: East” (two reps) and a quarter on Scorecards."""
    services = main_window.services
    east = [p for p in services.people.people() if p.role != "manager"][:2]
    for p in east:
        services.people.update(p.id, PersonDraft(p.name, p.email, p.role, team="East"))
    main_window.area_actions[2].trigger()
    area = main_window.monitor
    qtbot.waitUntil(lambda: area.dashboard is not None)
    settle(area)
    bar = area.dashboard.filter_bar
    bar.picker.kind.setCurrentIndex(bar.picker.kind.findData("quarter"))
    bar.person.setCurrentIndex(bar.person.findText("Team: East"))
    settle(area)
    page = area.review
    area.tabs.setCurrentWidget(page)
    settle(main_window)
    return page, [p.id for p in east]


def test_team_review_shows_the_team_and_saves_as_its_review(  # type: ignore[no-untyped-def]
    team_review, main_window, qtbot, tmp_path: Path
) -> None:
    page, east = team_review
    services = main_window.services
    assert (page.team, page.person_id) == ("East", None)
    assert page.person.currentText() == "Team: East"
    assert page.title.text() == "Team review — East"
    assert page.previous is None and page.prev_label.text() == "No earlier review of this team."
    # The team's figures: its people's, not one person's nor everybody's.
    assert page.cards and all(c.scope.team == "East" for c in page.cards)
    assert all(set(c.scope.members) == set(east) for c in page.cards)
    card = page.cards[0]
    cards = services.scorecards
    each = [cards.scorecard(cards.scope(card.scope.process.id, p, card.scope.period)) for p in east]
    assert card.measures.activity_count == sum(c.measures.activity_count for c in each) > 0
    ones_before = {p: len(services.reviews.reviews_of(p)) for p in east}

    page.notes.setPlainText("Team meeting: pipeline is thin in October.")
    qtbot.mouseClick(page.agreed.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.agreed.rows[-1][0], "Pair up on demos")
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    settle(main_window)
    (saved,) = services.reviews.reviews_of(None, "East")
    assert (saved.team, saved.person_id, saved.notes) == (
        "East",
        None,
        "Team meeting: pipeline is thin in October.",
    )
    assert {p: len(services.reviews.reviews_of(p)) for p in east} == ones_before
    assert page.current is not None and page.current.id == saved.id
    assert page.history.item(0).data(Qt.ItemDataRole.UserRole) == saved.id
    assert main_window.undo_stack.undoText() == "Save review of Team: East"

    # Undo and redo: the same review comes back with its id.
    main_window.undo_stack.undo()
    settle(main_window)
    assert services.reviews.reviews_of(None, "East") == [] and page.current is None
    main_window.undo_stack.redo()
    settle(main_window)
    (again,) = services.reviews.reviews_of(None, "East")
    assert again.id == saved.id

    # The next team review carries the team's actions, and counts signals from its date.
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    settle(main_window)
    assert page.previous is not None and page.previous.id == saved.id
    assert page.prev_actions.item(0).text().startswith("Pair up on demos")
    assert page.health.since == saved.held_on

    # A person of the team has their own one-on-ones, not the team's review.
    page.person.setCurrentIndex(page.person.findData(east[0]))
    settle(main_window)
    assert page.title.text().startswith("One-on-one review — ")
    assert page.previous is None or page.previous.team == ""
    assert saved.id not in [
        page.history.item(i).data(Qt.ItemDataRole.UserRole) for i in range(page.history.count())
    ]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler's pdftotext")
def test_team_review_pdf_names_the_team_with_its_numbers(  # type: ignore[no-untyped-def]
    team_review, main_window, tmp_path: Path
) -> None:
    page, _east = team_review
    page.notes.setPlainText("Agreed to share the demo script.")
    out = page.export(tmp_path / "team.pdf", open_after=False)
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "TEAM REVIEW" in text and "Team: East" in text
    assert "One-on-one" not in text
    assert "Agreed to share the demo script." in text
    # The scorecard's numbers are the team's: its activity count is on the first page.
    first_page = text.split("\f")[0]
    count = page.cards[0].measures.activity_count
    everybody = main_window.services.scorecards.scorecard(
        main_window.services.scorecards.scope(
            page.cards[0].scope.process.id, None, page.cards[0].scope.period
        )
    ).measures.activity_count
    assert count != everybody
    assert f"{count:,}" in first_page
    (tmp_path / "team.txt").write_text(text)
    shutil.copy(out, "/tmp/rt/team.pdf")


def test_review_follows_scorecards_between_a_person_and_a_team(team_review, main_window) -> None:  # type: ignore[no-untyped-def]
    page, east = team_review
    area = main_window.monitor
    bar = area.dashboard.filter_bar
    area.tabs.setCurrentWidget(area.dashboard)
    bar.person.setCurrentIndex(bar.person.findData(east[1]))
    area.tabs.setCurrentWidget(page)
    settle(main_window)
    assert (page.person_id, page.team) == (east[1], "")
    assert all(c.scope.person_id == east[1] and not c.scope.team for c in page.cards)
    bar.person.setCurrentIndex(bar.person.findText("Team: East"))
    settle(main_window)
    assert (page.person_id, page.team) == (None, "East")
    assert page.title.text() == "Team review — East"
    assert all(c.scope.team == "East" for c in page.cards)


def test_a_team_emptied_meanwhile_keeps_the_review_and_its_notes(team_review, main_window) -> None:  # type: ignore[no-untyped-def]
    """Its people moved to another team while the review is written: the page stays on the
    team (the notes are not handed to somebody else's review)."""
    from nextlevel_desktop.domain.changes import Changes

    page, east = team_review
    services = main_window.services
    page.notes.setPlainText("Written before the move")
    for pid in east:
        p = services.people.get(pid)
        services.people.update(pid, PersonDraft(p.name, p.email, p.role, team="West"))
    main_window.publish(Changes(people=True))
    settle(main_window)
    assert (page.team, page.person_id) == ("East", None)
    assert page.person.currentText() == "Team: East (nobody now)"
    assert page.notes.toPlainText() == "Written before the move"
    assert page.person.findText("Team: West") >= 0


def test_a_person_made_inactive_meanwhile_keeps_the_review_and_its_notes(  # type: ignore[no-untyped-def]
    team_review, main_window
) -> None:
    """Deactivated while their review is written: the page stays on them (the notes are not
    handed to the next person in the list)."""
    from nextlevel_desktop.domain.changes import Changes

    page, east = team_review
    services = main_window.services
    page.person.setCurrentIndex(page.person.findData(east[0]))
    settle(main_window)
    name = services.people.get(east[0]).name
    page.notes.setPlainText("Written before they left")
    services.people.set_active(east[0], False)
    main_window.publish(Changes(people=True))
    settle(main_window)
    assert page.person_id == east[0]
    assert page.person.currentText() == f"{name} (inactive)"
    assert page.notes.toPlainText() == "Written before they left"
