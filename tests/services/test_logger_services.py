"""Services of the activity logger: activities, accounts, engagements, people, undo/redo."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from nextlevel_desktop.domain.activities import ActivityDraft, ActivityFilter
from nextlevel_desktop.domain.engagements import EngagementDraft, TimelineKind
from nextlevel_desktop.domain.errors import ValidationError
from nextlevel_desktop.domain.models import ActivityStatus, Outcome, PersonRole, ProcessKind
from nextlevel_desktop.domain.settings import WorkspaceSettings
from nextlevel_desktop.services.accounts import AccountDraft, ContactDraft
from nextlevel_desktop.services.activities import NextStep
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.engagements import NewEngagement
from nextlevel_desktop.services.people import PersonDraft

NOW = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)


def _setup(services: Services) -> tuple[int, int, int, int]:
    """A person, an account, the hunting process and its 'Call' type."""
    person = services.people.add(PersonDraft("Ann Rep", "ann@example.com")).ids["person"]
    account = services.accounts.create(AccountDraft("Acme Ltd")).ids["account"]
    hunting = services.processes.processes_of_kind(ProcessKind.HUNTING)[0]
    call = next(
        t.id
        for t in services.activities.activity_types()
        if t.name == "Call" and t.kind == "hunting"
    )
    return person, account, hunting.id, call


def _draft(**kw) -> ActivityDraft:  # type: ignore[no-untyped-def]
    values = {"type_id": None, "occurred_at": NOW - timedelta(hours=1), "outcome": "Positive"}
    values.update(kw)
    return ActivityDraft(**values)


def test_log_with_inline_account_new_engagement_move_and_next_step(services: Services) -> None:
    person, _, hunting, call = _setup(services)
    process = services.processes.process(hunting)
    second = process.open_stages[1]
    rev = services.activities.log(
        _draft(type_id=call, person_id=person, account_name="  Brand New GmbH "),
        move_to_stage_id=second.id,
        next_step=NextStep(call, NOW + timedelta(days=3)),
        new_engagement=NewEngagement(hunting, value_minor=500000),
        now=NOW,
    )
    assert rev.changes.activities and rev.changes.accounts and rev.changes.engagements
    account = services.accounts.get(rev.ids["account"])
    assert account.name == "Brand New GmbH"
    eng = services.engagements.get(rev.ids["engagement"])
    assert eng.stage_id == second.id and eng.value_minor == 500000
    history = services.engagements.history(eng.id)
    assert [h.to_stage for h in history] == [process.open_stages[0].name, second.name]
    assert history[-1].activity_id == rev.ids["activity"]
    nxt = services.activities.get(rev.ids["next"])
    assert nxt.status is ActivityStatus.PLANNED and nxt.engagement_id == eng.id

    # Undo removes everything the one write made; redo restores the same ids.
    services.revisions.revert(rev)
    assert services.accounts.count("Brand New") == 0
    assert services.activities.count(ActivityFilter()) == 0
    services.revisions.reapply(rev)
    assert services.engagements.get(eng.id).stage_id == second.id
    assert services.activities.get(rev.ids["activity"]).outcome == "Positive"


def test_log_validation_messages_are_specific(services: Services) -> None:
    person, account, _, call = _setup(services)
    with pytest.raises(ValidationError) as err:
        services.activities.log(_draft(account_id=None), now=NOW)
    assert set(err.value.problems) == {"account", "type"}
    with pytest.raises(ValidationError) as err:
        services.activities.log(
            _draft(type_id=call, account_id=account, occurred_at=NOW + timedelta(days=2)), now=NOW
        )
    assert "future" in err.value.problems["when"]
    with pytest.raises(ValidationError) as err:
        services.activities.log(_draft(type_id=call, account_name="Acme ltd"), now=NOW)
    assert "already an account" in err.value.problems["account"]
    farming_type = next(t.id for t in services.activities.activity_types() if t.kind == "farming")
    eng = services.engagements.create(
        NewEngagement(services.processes.processes_of_kind(ProcessKind.HUNTING)[0].id),
        account,
        person,
    ).ids["engagement"]
    with pytest.raises(ValidationError) as err:
        services.activities.log(
            _draft(type_id=farming_type, account_id=account, engagement_id=eng), now=NOW
        )
    assert "farming activity" in err.value.problems["type"]


def test_edit_delete_mark_done_reschedule_with_undo(services: Services) -> None:
    person, account, _, call = _setup(services)
    logged = services.activities.log(
        _draft(type_id=call, account_id=account, person_id=person), now=NOW
    )
    aid = logged.ids["activity"]
    edit = services.activities.update(
        aid, _draft(type_id=call, account_id=account, person_id=person, outcome="Changed"), now=NOW
    )
    assert services.activities.get(aid).outcome == "Changed"
    services.revisions.revert(edit)
    assert services.activities.get(aid).outcome == "Positive"

    planned = services.activities.log(
        _draft(
            type_id=call,
            account_id=account,
            status=ActivityStatus.PLANNED,
            occurred_at=NOW - timedelta(days=2),
        ),
        now=NOW,
    ).ids["activity"]
    due_filter = ActivityFilter(status=ActivityStatus.PLANNED, date_to=NOW.date())
    assert services.activities.count(due_filter) == 1
    moved = services.activities.reschedule([planned], NOW + timedelta(days=5))
    assert services.activities.count(due_filter) == 0
    services.revisions.revert(moved)
    done = services.activities.mark_done([planned], at=NOW)
    assert services.activities.get(planned).status is ActivityStatus.DONE
    assert services.activities.get(planned).occurred_at == NOW
    services.revisions.revert(done)
    assert services.activities.get(planned).status is ActivityStatus.PLANNED

    deleted = services.activities.delete([aid, planned])
    assert services.activities.count(ActivityFilter()) == 0
    services.revisions.revert(deleted)
    assert services.activities.count(ActivityFilter()) == 2
    services.revisions.reapply(deleted)
    assert services.activities.count(ActivityFilter()) == 0


def test_move_close_lost_needs_reason_and_reopen(services: Services) -> None:
    person, account, hunting, _ = _setup(services)
    process = services.processes.process(hunting)
    eid = services.engagements.create(NewEngagement(hunting, "Deal"), account, person).ids[
        "engagement"
    ]
    move = services.engagements.move(eid, process.open_stages[2].id, person, note="ok")
    assert services.engagements.get(eid).stage_id == process.open_stages[2].id
    with pytest.raises(ValidationError) as err:
        services.engagements.close(eid, Outcome.LOST, person)
    assert err.value.problems["reason"] == "Choose why it was lost."
    lost = services.engagements.close(eid, Outcome.LOST, person, "Brand new reason")
    eng = services.engagements.get(eid)
    assert eng.outcome is Outcome.LOST and eng.lost_reason == "Brand new reason"
    assert eng.closed_on is not None
    assert "Brand new reason" in services.engagements.lost_reasons(ProcessKind.HUNTING)
    reopened = services.engagements.reopen(eid, person)
    eng = services.engagements.get(eid)
    assert eng.outcome is None and eng.stage_id == process.open_stages[2].id and not eng.lost_reason
    history = services.engagements.history(eid)
    assert len(history) == 4 and all(h.person_name == "Ann Rep" for h in history)
    for rev in (reopened, lost, move):
        services.revisions.revert(rev)
    assert services.engagements.get(eid).stage_id == process.open_stages[0].id
    assert len(services.engagements.history(eid)) == 1


def test_won_hunting_hands_over_to_farming_and_shows_in_timeline(services: Services) -> None:
    person, account, hunting, _ = _setup(services)
    eid = services.engagements.create(
        NewEngagement(hunting, "Big deal", 1_000_000), account, person
    ).ids["engagement"]
    won = services.engagements.close(eid, Outcome.WON, person)
    farm = services.engagements.get(won.ids["handover"])
    farming = services.processes.processes_of_kind(ProcessKind.FARMING)[0]
    assert farm.process_id == farming.id and farm.stage_id == farming.first_stage.id  # type: ignore[union-attr]
    assert farm.account_id == account and farm.owner_id == person
    kinds = [e.kind for e in services.accounts.timeline(account)]
    assert TimelineKind.HANDOVER in kinds and TimelineKind.WON in kinds
    services.revisions.revert(won)
    assert services.engagements.engagements(account_id=account, open_only=False) == [
        services.engagements.get(eid)
    ]
    assert services.engagements.get(eid).outcome is None


def test_handover_setting_ask_and_explicit_answer(services: Services) -> None:
    person, account, hunting, _ = _setup(services)
    services.workspace.save_settings(WorkspaceSettings(handover="ask"))
    a = services.engagements.create(NewEngagement(hunting, "A"), account, person).ids["engagement"]
    assert "handover" not in services.engagements.close(a, Outcome.WON, person).ids
    b = services.engagements.create(NewEngagement(hunting, "B"), account, person).ids["engagement"]
    assert "handover" in services.engagements.close(b, Outcome.WON, person, handover=True).ids
    # A second win while the account is already managed starts no second account plan.
    c = services.engagements.create(NewEngagement(hunting, "C"), account, person).ids["engagement"]
    assert "handover" not in services.engagements.close(c, Outcome.WON, person, handover=True).ids


def test_update_engagement_validation_and_undo(services: Services) -> None:
    person, account, hunting, _ = _setup(services)
    eid = services.engagements.create(NewEngagement(hunting, "Deal"), account, person).ids[
        "engagement"
    ]
    eng = services.engagements.get(eid)
    with pytest.raises(ValidationError) as err:
        services.engagements.update(eid, EngagementDraft("", -1, person, eng.opened_on))
    assert set(err.value.problems) == {"name", "value"}
    rev = services.engagements.update(eid, EngagementDraft("Renamed", 123400, None, eng.opened_on))
    assert services.engagements.get(eid).name == "Renamed"
    assert services.engagements.get(eid).owner_id is None
    services.revisions.revert(rev)
    assert services.engagements.get(eid).name == "Deal"


def test_people_add_edit_deactivate(services: Services) -> None:
    rev = services.people.add(PersonDraft("Bo Manager", "bo@example.com", PersonRole.MANAGER))
    pid = rev.ids["person"]
    with pytest.raises(ValidationError) as err:
        services.people.add(PersonDraft("bo manager"))
    assert "already a person" in err.value.problems["name"]
    with pytest.raises(ValidationError) as err:
        services.people.add(PersonDraft("X", "not-an-email"))
    assert "not an email" in err.value.problems["email"]
    services.people.update(pid, PersonDraft("Bo Boss", "bo@example.com", PersonRole.REP))
    assert services.people.get(pid).role is PersonRole.REP
    off = services.people.set_active(pid, False)
    assert pid not in [p.id for p in services.people.people()]
    assert pid in [p.id for p in services.people.people(include_inactive=True)]
    services.revisions.revert(off)
    assert pid in [p.id for p in services.people.people()]


def test_accounts_search_contacts_and_suggest(services: Services) -> None:
    _setup(services)
    for name in ("Zeta Foods", "Acme Labs", "Beta Acme"):
        services.accounts.create(AccountDraft(name))
    assert services.accounts.count("acme") == 3
    assert [a.name for a in services.accounts.page("acme", 0, 2)] == ["Acme Labs", "Acme Ltd"]
    assert [a.name for a in services.accounts.suggest("acm")] == [
        "Acme Labs",
        "Acme Ltd",
        "Beta Acme",
    ]
    aid = services.accounts.page("Zeta", 0, 1)[0].id
    with pytest.raises(ValidationError):
        services.accounts.add_contact(aid, ContactDraft("Jo", email="jo-at-example"))
    cid = services.accounts.add_contact(aid, ContactDraft("Jo", "CFO", "jo@z.example")).ids[
        "contact"
    ]
    services.accounts.update_contact(cid, ContactDraft("Jo Doe", "CFO", "jo@z.example", "123"))
    assert services.accounts.contacts(aid)[0].phone == "123"
    rev = services.accounts.delete_contact(cid)
    assert services.accounts.contacts(aid) == []
    services.revisions.revert(rev)
    assert services.accounts.contacts(aid)[0].name == "Jo Doe"
    upd = services.accounts.update(aid, AccountDraft("Zeta Foods AG", industry="Food"))
    assert services.accounts.get(aid).industry == "Food"
    services.revisions.revert(upd)
    assert services.accounts.get(aid).name == "Zeta Foods"


def test_undo_that_no_longer_fits_raises_a_clear_error(services: Services) -> None:
    from nextlevel_desktop.services.revisions import ConflictError

    _, _, _, call = _setup(services)
    created = services.accounts.create(AccountDraft("Short Lived BV"))
    services.activities.log(_draft(type_id=call, account_id=created.ids["account"]), now=NOW)
    with pytest.raises(ConflictError, match="cannot be undone"):
        services.revisions.revert(created)
    assert services.accounts.count("Short Lived") == 1  # nothing half-done


def test_stage_move_with_activity_is_dated_when_the_activity_happened(services: Services) -> None:
    person, account, hunting, call = _setup(services)
    process = services.processes.process(hunting)
    opened = NOW - timedelta(days=10)
    eid = services.engagements.create(NewEngagement(hunting), account, person, at=opened).ids[
        "engagement"
    ]
    when = NOW - timedelta(days=2)
    services.activities.log(
        _draft(type_id=call, account_id=account, engagement_id=eid, occurred_at=when),
        move_to_stage_id=process.open_stages[1].id,
        now=NOW,
    )
    assert services.engagements.history(eid)[-1].changed_at == when
    assert services.engagements.get(eid).stage_entered_at == when


def test_lost_reason_list_is_editable_with_undo(services: Services) -> None:
    kind = ProcessKind.HUNTING
    before = [r.name for r in services.engagements.reason_list(kind)]
    added = services.engagements.add_reason(kind, "  Went dark ")
    assert [r.name for r in services.engagements.reason_list(kind)] == before + ["Went dark"]
    with pytest.raises(ValidationError, match="already in the list"):
        services.engagements.add_reason(kind, "went DARK")
    rid = added.ids["reason"]
    services.engagements.rename_reason(rid, "No response")
    assert "No response" in services.engagements.lost_reasons(kind)
    removed = services.engagements.remove_reason(rid)
    assert "No response" not in services.engagements.lost_reasons(kind)
    services.revisions.revert(removed)
    assert "No response" in services.engagements.lost_reasons(kind)
    services.revisions.revert(added)
    assert [r.name for r in services.engagements.reason_list(kind)] == before


def test_log_closes_as_won_with_handover_or_lost_with_reason(services: Services) -> None:
    """The quick log's move to Won or Lost closes the engagement in the same write: outcome,
    handover to farming for a won deal, the reason for a lost one; undo takes it all back."""
    from nextlevel_desktop.services.engagements import CloseRequest

    person, account, hunting, call = _setup(services)
    eng = services.engagements.create(NewEngagement(hunting, "Big deal"), account, person)
    eng_id = eng.ids["engagement"]
    with pytest.raises(ValidationError) as both:
        services.activities.log(
            _draft(type_id=call, person_id=person, account_id=account, engagement_id=eng_id),
            move_to_stage_id=services.processes.process(hunting).open_stages[1].id,
            close=CloseRequest(Outcome.WON),
            now=NOW,
        )
    assert "not both" in both.value.problems["move"]
    won = services.activities.log(
        _draft(type_id=call, person_id=person, account_id=account, engagement_id=eng_id),
        close=CloseRequest(Outcome.WON, handover=True),
        now=NOW,
    )
    closed = services.engagements.get(eng_id)
    assert closed.outcome is Outcome.WON and closed.closed_on is not None
    assert "handover" in won.ids and "stage_change" in won.ids
    farm = services.engagements.get(won.ids["handover"])
    farming = services.processes.processes_of_kind(ProcessKind.FARMING)[0]
    assert farm.process_id == farming.id and farm.account_id == account
    history = services.engagements.history(eng_id)
    assert history[-1].activity_id == won.ids["activity"]
    services.revisions.revert(won)
    assert services.engagements.get(eng_id).outcome is None

    other = services.engagements.create(NewEngagement(hunting, "Lost one"), account, person)
    with pytest.raises(ValidationError) as no_reason:
        services.activities.log(
            _draft(type_id=call, account_id=account, engagement_id=other.ids["engagement"]),
            close=CloseRequest(Outcome.LOST),
            now=NOW,
        )
    assert "reason" in no_reason.value.problems
    services.activities.log(
        _draft(type_id=call, account_id=account, engagement_id=other.ids["engagement"]),
        close=CloseRequest(Outcome.LOST, "Price"),
        now=NOW,
    )
    lost = services.engagements.get(other.ids["engagement"])
    assert lost.outcome is Outcome.LOST and lost.lost_reason == "Price"
