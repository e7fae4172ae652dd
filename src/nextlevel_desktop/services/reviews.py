"""Reviews: a person (one-on-one) or a team (a team meeting), a period, notes and agreed actions
carried to the next review of the same person or team."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..domain.changes import Changes
from ..domain.errors import NotFoundError, ValidationError
from ..domain.periods import Granularity, Period
from ..storage.db import Database
from ..storage.orm import AgreedActionRow, PersonRow, ReviewRow
from .revisions import Recorder, Revision

MAX_ACTION_LENGTH = 500


@dataclass(frozen=True)
class ActionItem:
    """An agreed action. ``id`` is ``None`` until it is saved."""

    text: str
    due_on: date | None = None
    done: bool = False
    done_on: date | None = None
    id: int | None = None


@dataclass(frozen=True)
class ReviewRecord:
    """A saved (or to be saved: ``id`` ``None``) review of a person, or of a team when
    ``person_id`` is ``None`` and ``team`` names it."""

    person_id: int | None
    period: Period
    held_on: date
    notes: str = ""
    actions: tuple[ActionItem, ...] = ()
    reviewer_id: int | None = None
    id: int | None = None
    person_name: str = field(default="", compare=False)
    reviewer_name: str = field(default="", compare=False)
    team: str = ""

    @property
    def subject(self) -> str:
        """Whom the review is about, for titles: the person's name or “Team: name”."""
        return f"Team: {self.team}" if self.team else self.person_name

    @property
    def open_actions(self) -> tuple[ActionItem, ...]:
        return tuple(a for a in self.actions if not a.done)


def _record(row: ReviewRow, names: dict[int, str], week_start: int = 0) -> ReviewRecord:
    try:
        kind = Granularity(row.period)
    except ValueError:
        kind = Granularity.CUSTOM
    return ReviewRecord(
        id=row.id,
        person_id=row.person_id,
        team=row.team or "",
        reviewer_id=row.reviewer_id,
        period=Period(row.period_start, row.period_end, kind, week_start),
        held_on=row.held_on,
        notes=row.notes,
        actions=tuple(ActionItem(a.text, a.due_on, a.done, a.done_on, a.id) for a in row.actions),
        person_name=names.get(row.person_id or -1, ""),
        reviewer_name=names.get(row.reviewer_id or -1, ""),
    )


def validate(review: ReviewRecord) -> None:
    problems: dict[str, str] = {}
    if (review.person_id is None) == (not review.team):
        problems["subject"] = "A review is of one person or of one team: choose one."
    for i, action in enumerate(review.actions):
        text = action.text.strip()
        if not text:
            problems[f"action{i}"] = f"Agreed action {i + 1} has no text: describe it or remove it."
        elif len(text) > MAX_ACTION_LENGTH:
            problems[f"action{i}"] = (
                f"Agreed action {i + 1} is too long ({len(text)} characters; at most "
                f"{MAX_ACTION_LENGTH})."
            )
        if action.due_on is not None and action.due_on < review.held_on and not action.done:
            problems[f"due{i}"] = (
                f"Agreed action {i + 1} is due {action.due_on:%d %b %Y}, before the review is "
                "held. Choose a later due date."
            )
    if problems:
        raise ValidationError(problems)


class ReviewService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def _names(self, s: Session) -> dict[int, str]:
        return {i: n for i, n in s.execute(select(PersonRow.id, PersonRow.name))}

    def reviews_of(self, person_id: int | None, team: str = "") -> list[ReviewRecord]:
        """The person's reviews, or the team's (``team`` given, ``person_id`` ``None``),
        latest first. A team's reviews are its own: never its people's one-on-ones."""
        if person_id is None and not team:
            return []
        whose = ReviewRow.team == team if team else ReviewRow.person_id == person_id
        with self.db.read() as s:
            rows = s.scalars(
                select(ReviewRow)
                .options(selectinload(ReviewRow.actions))
                .where(whose)
                .order_by(ReviewRow.held_on.desc(), ReviewRow.id.desc())
            ).all()
            names = self._names(s)
            return [_record(r, names) for r in rows]

    def review(self, review_id: int) -> ReviewRecord:
        with self.db.read() as s:
            row = s.get(ReviewRow, review_id)
            if row is None:
                raise NotFoundError(f"Review {review_id} no longer exists.")
            return _record(row, self._names(s))

    def previous(
        self, person_id: int | None, before: ReviewRecord | None = None, team: str = ""
    ) -> ReviewRecord | None:
        """The review of the same person (or team) held before ``before`` (or the latest one
        when ``before`` is new/None)."""
        for r in self.reviews_of(person_id, team):
            if before is None or before.id is None:
                return r
            if r.id != before.id and (r.held_on, r.id or 0) < (before.held_on, before.id):
                return r
        return None

    def save(self, review: ReviewRecord) -> Revision:
        """Create or update a review with its actions (one transaction); ``ids["review"]``
        names it (read it back with :meth:`review`)."""
        validate(review)
        with self.db.transaction() as s:
            rec = Recorder(s)
            if review.person_id is not None and s.get(PersonRow, review.person_id) is None:
                raise NotFoundError("The person of this review no longer exists.")
            if (
                review.id is None
                and review.team
                and not s.scalar(select(PersonRow.id).where(PersonRow.team == review.team).limit(1))
            ):
                raise NotFoundError(
                    f"Nobody is in the team “{review.team}” any more: choose another team."
                )
            if review.id is None:
                row = ReviewRow(person_id=review.person_id, team=review.team or None)
            else:
                found = s.get(ReviewRow, review.id)
                if found is None:
                    raise NotFoundError(f"Review {review.id} no longer exists.")
                row = found
                rec.will_update(row)
            row.reviewer_id = review.reviewer_id
            row.period = review.period.kind.value
            row.period_start = review.period.start
            row.period_end = review.period.end
            row.held_on = review.held_on
            row.notes = review.notes.strip()
            if review.id is None:
                rec.add(row)
            current = list(row.actions)
            for i, a in enumerate(review.actions):
                action = current[i] if i < len(current) else AgreedActionRow(review_id=row.id)
                if i < len(current):
                    rec.will_update(action)
                action.position, action.text, action.due_on = i, a.text.strip(), a.due_on
                action.done, action.done_on = a.done, a.done_on if a.done else None
                if i >= len(current):
                    rec.add(action)
            for extra in current[len(review.actions) :]:
                rec.delete(extra)
            s.expire(row, ["actions"])
            return rec.revision(Changes(reviews=True, ids=frozenset({row.id})), review=row.id)

    def delete(self, review_id: int) -> Revision:
        with self.db.transaction() as s:
            rec = Recorder(s)
            row = s.get(ReviewRow, review_id)
            if row is None:
                raise NotFoundError(f"Review {review_id} no longer exists.")
            for action in list(row.actions):
                rec.delete(action)
            s.expire(row, ["actions"])
            rec.delete(row)
            return rec.revision(Changes(reviews=True, ids=frozenset({review_id})))

    def set_action_done(self, action_id: int, done: bool, on: date | None = None) -> Revision:
        """Mark an agreed action (of an earlier review) done or not done."""
        with self.db.transaction() as s:
            rec = Recorder(s)
            row = s.get(AgreedActionRow, action_id)
            if row is None:
                raise NotFoundError("That agreed action no longer exists.")
            rec.will_update(row)
            row.done = done
            row.done_on = (on or date.today()) if done else None
            changes = Changes(reviews=True, ids=frozenset({row.review_id}))
            return rec.revision(changes, review=row.review_id)
