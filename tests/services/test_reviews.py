"""One-on-one review records: save, reopen, update, previous review, actions done."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from nextlevel_desktop.domain.errors import NotFoundError, ValidationError
from nextlevel_desktop.domain.periods import month_of, quarter_of
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.reviews import ActionItem, ReviewRecord
from nextlevel_desktop.storage.orm import PersonRow


def person(services: Services, name: str = "Ann") -> int:
    with services.db.transaction() as s:
        row = PersonRow(name=name, role="rep", active=True)
        s.add(row)
        s.flush()
        return row.id


def save(services: Services, review: ReviewRecord) -> ReviewRecord:
    return services.reviews.review(services.reviews.save(review).ids["review"])


def test_save_reopen_update(services: Services) -> None:
    ann = person(services)
    draft = ReviewRecord(
        ann,
        quarter_of(date(2026, 9, 1)),
        date(2026, 10, 2),
        "Good quarter.",
        (ActionItem("Book 3 demos", date(2026, 10, 30)), ActionItem("  Call Alder  ")),
    )
    rev = services.reviews.save(draft)
    assert rev.changes.reviews
    saved = services.reviews.review(rev.ids["review"])
    again = services.reviews.review(saved.id)
    assert again.person_name == "Ann" and again.notes == "Good quarter."
    assert again.period == draft.period
    assert [a.text for a in again.actions] == ["Book 3 demos", "Call Alder"]

    rev = services.reviews.save(replace(again, notes="Edited", actions=again.actions[:1]))
    assert rev.ids["review"] == saved.id
    assert services.reviews.review(saved.id).notes == "Edited"
    assert len(services.reviews.review(saved.id).actions) == 1


def test_previous_review_and_actions_done(services: Services) -> None:
    ann = person(services)
    first = save(
        services,
        ReviewRecord(
            ann,
            month_of(date(2026, 9, 1)),
            date(2026, 10, 1),
            "",
            (ActionItem("Follow up", date(2026, 10, 15)),),
        ),
    )
    second = save(services, ReviewRecord(ann, month_of(date(2026, 10, 1)), date(2026, 11, 2), ""))
    assert [r.id for r in services.reviews.reviews_of(ann)] == [second.id, first.id]
    assert services.reviews.previous(ann) == second
    assert services.reviews.previous(ann, second) == first
    assert services.reviews.previous(ann, first) is None
    action = first.actions[0]
    assert action.id is not None
    services.reviews.set_action_done(action.id, True, date(2026, 10, 10))
    done = services.reviews.review(first.id or 0).actions[0]
    assert done.done and done.done_on == date(2026, 10, 10)
    services.reviews.set_action_done(action.id, False)
    assert not services.reviews.review(first.id or 0).actions[0].done
    services.reviews.delete(second.id or 0)
    assert services.reviews.previous(ann) == services.reviews.review(first.id or 0)


def test_validation(services: Services) -> None:
    ann = person(services)
    period = month_of(date(2026, 9, 1))
    with pytest.raises(ValidationError) as err:
        services.reviews.save(ReviewRecord(ann, period, date(2026, 10, 1), "", (ActionItem("  "),)))
    assert "no text" in err.value.first
    with pytest.raises(ValidationError) as err:
        services.reviews.save(
            ReviewRecord(ann, period, date(2026, 10, 1), "", (ActionItem("x", date(2026, 9, 1)),))
        )
    assert "before the review" in err.value.first
    with pytest.raises(NotFoundError):
        services.reviews.save(ReviewRecord(999, period, date(2026, 10, 1)))
    with pytest.raises(NotFoundError):
        services.reviews.review(12345)
    assert services.reviews.reviews_of(ann) == []


def team_of(services: Services, team: str, *names: str) -> list[int]:
    ids = [person(services, name) for name in names]
    with services.db.transaction() as s:
        for i in ids:
            row = s.get(PersonRow, i)
            assert row is not None
            row.team = team
    return ids


def test_team_review_saves_reopens_and_undo_redo_keep_its_id(services: Services) -> None:
    team_of(services, "East", "Ann", "Bo")
    draft = ReviewRecord(
        None,
        month_of(date(2026, 9, 1)),
        date(2026, 10, 1),
        "Team meeting.",
        (ActionItem("Share the demo script", date(2026, 10, 20)),),
        team="East",
    )
    rev = services.reviews.save(draft)
    saved = services.reviews.review(rev.ids["review"])
    assert (saved.person_id, saved.team, saved.subject) == (None, "East", "Team: East")
    assert [a.text for a in saved.actions] == ["Share the demo script"]
    assert services.reviews.reviews_of(None, "East") == [saved]
    assert services.reviews.reviews_of(None) == []  # nobody: not every team's reviews
    services.revisions.revert(rev)
    assert services.reviews.reviews_of(None, "East") == []
    services.revisions.reapply(rev)
    assert services.reviews.review(saved.id or 0) == saved
    # Edited and saved again: the same review; undo gives back the first notes.
    edit = services.reviews.save(replace(saved, notes="Edited"))
    assert edit.ids["review"] == saved.id
    services.revisions.revert(edit)
    assert services.reviews.review(saved.id or 0).notes == "Team meeting."


def test_previous_review_of_a_team_is_not_mixed_with_its_people(services: Services) -> None:
    ann, _bo = team_of(services, "East", "Ann", "Bo")
    (cy,) = team_of(services, "West", "Cy")
    sep, octo = month_of(date(2026, 9, 1)), month_of(date(2026, 10, 1))
    east1 = save(
        services,
        ReviewRecord(
            None, sep, date(2026, 10, 1), "", (ActionItem("Fix the pipeline"),), team="East"
        ),
    )
    # A later one-on-one with one of its people, and a later review of another team.
    ones = save(services, ReviewRecord(ann, octo, date(2026, 11, 3), "Ann only"))
    west = save(services, ReviewRecord(None, octo, date(2026, 11, 4), "", team="West"))
    assert services.reviews.previous(None, team="East") == east1
    assert services.reviews.previous(ann) == ones
    assert services.reviews.previous(cy) is None
    assert services.reviews.previous(None, team="West") == west
    east2 = save(services, ReviewRecord(None, octo, date(2026, 11, 5), "", team="East"))
    assert services.reviews.previous(None, east2, team="East") == east1
    # The team's agreed actions are ticked off like anybody's.
    action = east1.actions[0]
    assert action.id is not None
    services.reviews.set_action_done(action.id, True, date(2026, 11, 5))
    assert services.reviews.review(east1.id or 0).actions[0].done
    services.reviews.delete(east2.id or 0)
    assert [r.id for r in services.reviews.reviews_of(None, "East")] == [east1.id]


def test_a_review_is_of_one_person_or_one_team(services: Services) -> None:
    (ann,) = team_of(services, "East", "Ann")
    period, held = month_of(date(2026, 9, 1)), date(2026, 10, 1)
    for wrong in (ReviewRecord(None, period, held), ReviewRecord(ann, period, held, team="East")):
        with pytest.raises(ValidationError, match="one person or of one team"):
            services.reviews.save(wrong)
    with pytest.raises(NotFoundError, match="Nobody is in the team “Gone”"):
        services.reviews.save(ReviewRecord(None, period, held, team="Gone"))
    # The workspace itself refuses a review of nobody, whatever writes it.
    from sqlalchemy.exc import IntegrityError

    from nextlevel_desktop.storage.orm import ReviewRow

    with pytest.raises(IntegrityError), services.db.transaction() as s:
        s.add(
            ReviewRow(
                period="month",
                period_start=period.start,
                period_end=period.end,
                held_on=held,
                notes="",
            )
        )
        s.flush()
