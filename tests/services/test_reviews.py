"""One-on-one review records: save, reopen, update, previous review, actions done."""

from __future__ import annotations

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
    from dataclasses import replace

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
