"""An open activity list's total follows a write from the rows the write names, without a
recount; it equals a fresh ``COUNT`` after every log, edit, delete, undo and redo."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from nextlevel_desktop.domain.activities import (
    ActivityDraft,
    ActivityEdit,
    ActivityFacts,
    ActivityFilter,
)
from nextlevel_desktop.domain.changes import Changes
from nextlevel_desktop.domain.models import ActivityStatus, ProcessKind
from nextlevel_desktop.services.activities import NextStep
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.engagements import NewEngagement
from nextlevel_desktop.storage.orm import ActivityRow

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
DONE, PLANNED = ActivityStatus.DONE, ActivityStatus.PLANNED


def _facts(services: Services) -> list[ActivityFacts]:
    columns = [getattr(ActivityRow, name) for name in ActivityFacts.__dataclass_fields__]
    with services.db.read() as session:
        return [
            ActivityFacts(**dict(zip(ActivityFacts.__dataclass_fields__, r, strict=True)))
            for r in session.execute(select(*columns))
        ]


def _filters(services: Services) -> list[ActivityFilter]:
    """Each field alone and in the combinations the Log and Due tabs use."""
    facts = _facts(services)
    person = next(f.person_id for f in facts if f.person_id is not None)
    account = next(f.account_id for f in facts if f.account_id is not None)
    engagement = next(f.engagement_id for f in facts if f.engagement_id is not None)
    process, type_id = facts[0].process_id, facts[0].type_id
    middle = sorted(f.occurred_on for f in facts)[len(facts) // 2]
    return [
        ActivityFilter(),
        ActivityFilter(status=DONE),
        ActivityFilter(status=PLANNED, date_to=NOW.date()),
        ActivityFilter(status=DONE, person_id=person),
        ActivityFilter(person_id=person, status=PLANNED, date_to=NOW.date()),
        ActivityFilter(process_id=process),
        ActivityFilter(type_id=type_id, status=DONE),
        ActivityFilter(date_from=middle),
        ActivityFilter(date_from=middle - timedelta(days=30), date_to=middle),
        ActivityFilter(account_id=account),
        ActivityFilter(engagement_id=engagement),
        ActivityFilter(status=DONE, text="   "),  # blank search: no restriction
    ]


def test_matches_agrees_with_the_sql_filter(demo_services: Services) -> None:
    facts = _facts(demo_services)
    assert len(facts) > 100
    for flt in _filters(demo_services):
        shown = [flt.matches(f) for f in facts]
        assert None not in shown
        assert sum(bool(s) for s in shown) == demo_services.activities.count(flt), flt


def test_a_text_search_cannot_tell_from_the_facts() -> None:
    facts = ActivityFacts(1, 1, "done", date(2026, 1, 1), None, 1, None)
    assert ActivityFilter(text="acme").matches(facts) is None
    assert Changes(activities=True, activity_edits=()).count_delta(ActivityFilter()) == 0
    assert Changes(activities=True).count_delta(ActivityFilter()) is None  # not named


def test_combining_and_inverting_changes() -> None:
    before = ActivityFacts(1, 1, "planned", date(2026, 1, 1), None, 1, None)
    after = ActivityFacts(1, 1, "done", date(2026, 1, 2), None, 1, None)
    done = Changes(activities=True, activity_edits=(ActivityEdit(before, after),))
    flt = ActivityFilter(status=DONE)
    assert done.count_delta(flt) == 1
    assert done.inverted().count_delta(flt) == -1
    assert (done | done).count_delta(flt) == 2
    assert (done | Changes(accounts=True)).count_delta(flt) is None  # unknown rows: recount
    assert done.inexact().count_delta(flt) is None
    assert Changes.everything().count_delta(flt) is None
    assert not Changes(activity_edits=())  # no kind of record changed


class _Lists:
    """Every filter's total as an open list keeps it: adjusted by each write's changes."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.totals = {flt: services.activities.count(flt) for flt in _filters(services)}

    def follow(self, changes: Changes) -> None:
        activities = self.services.activities
        for flt, total in self.totals.items():
            self.totals[flt] = activities.count_after(flt, total, changes)
            assert self.totals[flt] == activities.count(flt), flt


def test_list_totals_follow_every_write_undo_and_redo(demo_services: Services) -> None:
    services = demo_services
    lists = _Lists(services)
    facts = _facts(services)
    person = next(f.person_id for f in facts if f.person_id is not None)
    other = next(p.id for p in services.people.people() if p.id != person)
    account = next(f.account_id for f in facts if f.account_id is not None)
    hunting = services.processes.processes_of_kind(ProcessKind.HUNTING)[0]
    call = next(t.id for t in services.activities.activity_types() if t.kind == "hunting")

    def draft(**kw) -> ActivityDraft:  # type: ignore[no-untyped-def]
        values = {
            "type_id": call,
            "occurred_at": NOW - timedelta(hours=1),
            "person_id": person,
            "account_id": account,
        }
        values.update(kw)
        return ActivityDraft(**values)

    revisions = []

    def write(rev):  # type: ignore[no-untyped-def]
        assert rev.changes.activity_edits is not None, "activity writes name their rows"
        lists.follow(rev.changes)
        revisions.append(rev)
        return rev

    logged = write(services.activities.log(draft(), now=NOW))
    aid = logged.ids["activity"]
    write(
        services.activities.log(
            draft(account_id=None, account_name="Count Check GmbH"),
            next_step=NextStep(call, NOW + timedelta(days=2)),
            new_engagement=NewEngagement(hunting.id),
            now=NOW,
        )
    )
    overdue = write(
        services.activities.log(draft(status=PLANNED, occurred_at=NOW - timedelta(days=3)), now=NOW)
    ).ids["activity"]
    # Edits that move a row out of some filters and into others.
    write(services.activities.update(aid, draft(person_id=other), now=NOW))
    write(services.activities.update(aid, draft(occurred_at=NOW - timedelta(days=400)), now=NOW))
    write(services.activities.reschedule([overdue], NOW + timedelta(days=1)))
    write(services.activities.mark_done([overdue], at=NOW))
    write(services.activities.mark_done([overdue], at=NOW))  # already done: no row changes
    some = [r.id for r in services.activities.page(ActivityFilter(status=DONE), 0, 3)]
    write(services.activities.delete([*some, aid]))

    # Undo everything, newest first, then redo it all: the totals follow each step (the
    # undo of the inline engagement is recounted, see below; every other step is exact).
    recounted = 0
    for rev in reversed(revisions):
        changes = services.revisions.revert(rev)
        recounted += changes.activity_edits is None
        lists.follow(changes)
    for rev in revisions:
        changes = services.revisions.reapply(rev)
        recounted += changes.activity_edits is None
        lists.follow(changes)
    assert recounted == 1


def test_undoing_an_inline_engagement_is_recounted(demo_services: Services) -> None:
    """Deleting an engagement clears it from activities the revision never saw (ON DELETE
    SET NULL), so the undo of a write that made one does not claim to know every row."""
    services = demo_services
    hunting = services.processes.processes_of_kind(ProcessKind.HUNTING)[0]
    call = next(t.id for t in services.activities.activity_types() if t.kind == "hunting")
    account = services.accounts.page("", 0, 1)[0].id
    rev = services.activities.log(
        ActivityDraft(call, NOW - timedelta(hours=1), account_id=account),
        new_engagement=NewEngagement(hunting.id),
        now=NOW,
    )
    assert rev.changes.activity_edits is not None
    assert services.revisions.revert(rev).activity_edits is None
    assert services.revisions.reapply(rev).activity_edits is not None
