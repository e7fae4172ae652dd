"""Each kind of imported row made into its record: opportunities, activities, accounts, people
and teams, stage-history entries (``convert_rows`` picks the kind's converter).

A converter reads its cells through the shared :class:`RowConverter` and raises ``ValueError``
with a specific reason for a row it refuses.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC
from typing import Any

from .import_money import parse_minutes, parse_money
from .import_records import (
    NOTES_LIMIT,
    AccountRecord,
    ActivityRecord,
    Converted,
    EngagementRecord,
    Lookups,
    PersonRecord,
    StageEntryRecord,
    StageRef,
    stable_key,
)
from .import_rows import Convert, RowConverter
from .importing import (
    CsvTable,
    ImportKind,
    ImportMapping,
    closed_word,
    local_datetime,
    norm,
    parse_datetime,
)
from .models import ActivityStatus, PersonRole, Process, StageCategory
from .stage_history import Stay
from .text_rules import MAX_STAGE_NAME

DONE_WORDS = {"done", "completed", "complete", "yes", "true", "1", "held", "closed", "finished"}
PLANNED_WORDS = {"planned", "open", "scheduled", "not started", "no", "false", "0", "to do", "todo"}


def person(c: RowConverter, line: int, row: Sequence[str]) -> PersonRecord:
    name = c.text(row, "name", 120, "name", required=True)
    c.unique(line, "p:" + norm(name), "name")
    values = {f: c.get(row, f) for f in ("email", "role") if c.has(f)}
    for f in ("team", "office"):
        if c.has(f):
            values[f] = c.text(row, f, 120, f)
    if c.mapping.kind is ImportKind.TEAMS and "team" not in values and "office" in values:
        values["team"] = values["office"]  # a teams file without teams: one per office
    manager = c.text(row, "manager", 120, "manager's name")
    if manager and norm(manager) == norm(name):
        raise ValueError(f"“{name}” is named as their own manager")
    if "role" in values:
        values["role"] = (
            PersonRole.MANAGER.value
            if "manager" in norm(values["role"]) or "head" in norm(values["role"])
            else PersonRole.REP.value
        )
    c.text(row, "email", 200, "email")
    return PersonRecord(line, name, values, manager)


def _default_name(process: Process, account: str, id_text: str, line: int) -> str:
    """A name for a row without one: "Acme opportunity", "Opportunity D-17"."""
    label = process.kind.engagement_label
    if account:
        return f"{account} {label.lower()}"
    return f"{label} {id_text}" if id_text else f"{label} (imported row {line})"


def account(c: RowConverter, line: int, row: Sequence[str]) -> AccountRecord:
    name = c.text(row, "name", 200, "account name", required=True)
    key = c.text(row, "key", 120, "key") or None
    c.unique(line, "a:" + (key or norm(name)), "key" if key else "name")
    c.check_currency(row)
    values: dict[str, Any] = {}
    limits = (
        ("industry", 120),
        ("size_band", 40),
        ("country", 80),
        ("website", 200),
        ("phone", 60),
        ("notes", NOTES_LIMIT),
    )
    for f, limit in limits:
        if c.has(f):
            values[f] = c.text(row, f, limit, f.replace("_", " "), multiline=f == "notes")
    if c.has("employees"):
        text = c.get(row, "employees").replace(",", "").replace(" ", "")
        if text and not text.isdigit() or len(text) > 9:
            raise ValueError(f"employees: “{c.get(row, 'employees')}” is not a number")
        values["employees"] = int(text) if text else None
    if c.has("annual_revenue"):
        try:
            revenue = parse_money(c.get(row, "annual_revenue"))
        except ValueError as exc:
            raise ValueError(f"annual revenue: {exc}") from None
        if revenue < 0:
            raise ValueError("annual revenue: it is negative")
        values["annual_revenue_minor"] = revenue if c.get(row, "annual_revenue") else None
    parent = c.text(row, "parent", 200, "parent account")
    if parent and parent in (key, name):
        raise ValueError(f"“{name}” is named as its own parent account")
    return AccountRecord(line, key, name, values, parent)


def engagement(c: RowConverter, line: int, row: Sequence[str]) -> EngagementRecord | None:
    process = c.process_of(row)
    value_text = c.get(row, "stage")
    if not value_text:
        raise ValueError("the stage is empty")
    stage = c.stage_of(process, value_text)
    if stage is None:
        if not c.mapping.add_missing_stages:
            c.out.unmapped_stages[value_text] += 1
            return None
        word = closed_word(value_text)
        category = StageCategory(word) if word else StageCategory.OPEN
        name = c.text(row, "stage", MAX_STAGE_NAME, "new stage's name")
        c.stages_to_add.setdefault((process.id, name), category)
        stage = (name, category)
    stays = c.stays_of(row, process) if c.stage_dates else ()
    current_entered = c.moment(row, "stage_changed", "last stage change")
    outcome = norm(c.get(row, "outcome"))
    if outcome in ("won", "lost") and stage[1] is StageCategory.OPEN:
        # Closed from the open stage the file names, entered at its last stage change.
        closing = next((s for s in process.active_stages if s.category.value == outcome), None)
        if closing is None:
            raise ValueError(f"“{process.name}” has no {outcome} stage")
        stays = (*stays, Stay(stage[0], current_entered))
        stage = (closing.name, closing.category)
    elif outcome not in ("", "open", "won", "lost"):
        raise ValueError(f"status “{c.get(row, 'outcome')}” is none of open, won, lost")
    name = c.text(row, "name", 200, "name")
    account, account_key = c.account_of(row)
    owner = c.owner_of(row)
    c.check_currency(row)
    try:
        value = parse_money(c.get(row, "value"), c.lookups.currency)
    except ValueError as exc:
        raise ValueError(f"value: {exc}") from None
    if value < 0:
        raise ValueError(f"value: “{c.get(row, 'value')}” is negative")
    given_opened = c.date_cell(row, "opened", "opened date")
    opened = given_opened or c.mapping.opened_default
    if opened is None:
        raise ValueError(
            "the opened date is empty: give one, or choose the date rows without one get"
        )
    closed = None
    stage_name, category = stage
    expected = c.date_cell(row, "expected_close", "expected close date")
    if category is StageCategory.OPEN:
        # An open deal's close date is when it is expected to close (HubSpot, Salesforce).
        expected = expected or c.date_cell(row, "closed", "close date")
    else:
        field = "won_time" if category is StageCategory.WON else "lost_time"
        closed_at = c.moment(row, field, field.replace("_", " "))
        closed = closed_at.astimezone().date() if closed_at else None
        closed = closed or c.date_cell(row, "closed", "close date")
        if closed is None:
            raise ValueError(f"the stage “{stage_name}” closes it, but the close date is empty")
        if closed < opened:
            raise ValueError(
                f"it was closed ({closed.isoformat()}) before it was opened ({opened.isoformat()})"
            )
        current_entered = closed_at or local_datetime(closed, None).astimezone(UTC)
    key = c.text(row, "id", 120, "id")
    if not key:
        key = stable_key(process.id, account, name, given_opened or "")
    c.unique(line, "e:" + key, "id" if c.has("id") else "name, account and date")
    lost_reason = (
        c.text(row, "lost_reason", 200, "lost reason", multiline=True)
        if category is StageCategory.LOST
        else ""
    )
    return EngagementRecord(
        row=line,
        key=key,
        name=name or _default_name(process, account, c.get(row, "id"), line),
        process_id=process.id,
        stage=StageRef(process.id, stage_name, category),
        value_minor=value,
        opened=opened,
        closed=closed,
        owner=owner,
        account=account,
        lost_reason=lost_reason,
        notes=c.text(row, "notes", NOTES_LIMIT, "notes", multiline=True),
        expected_close=expected,
        stays=stays,
        current_entered=current_entered,
        account_key=account_key,
        product=c.text(row, "product", 200, "product"),
    )


def stage_entry(c: RowConverter, line: int, row: Sequence[str]) -> StageEntryRecord | None:
    key = c.text(row, "engagement", 200, "opportunity or account plan", required=True)
    eid = c.lookups.engagements_by_key.get(key) or c.lookups.engagements_by_name.get(norm(key))
    if eid is None:
        raise ValueError(
            f"there is no opportunity or account plan “{key}”: import the opportunities "
            "first, with their id column"
        )
    process = next(p for p in c.lookups.processes if p.id == c.lookups.engagement_process[eid])
    value = c.get(row, "stage")
    if not value:
        raise ValueError("the stage is empty")
    stage = c.stage_of(process, value)
    if stage is None:
        c.out.unmapped_stages[value] += 1
        return None
    at = c.moment(row, "entered_at", "entered at")
    if at is None:
        raise ValueError("the moment the stage was entered is empty")
    c.unique(line, f"h:{eid}:{stage[0]}:{at.isoformat()}", "stage entry")
    return StageEntryRecord(line, eid, StageRef(process.id, stage[0], stage[1]), at)


def activity(c: RowConverter, line: int, row: Sequence[str]) -> ActivityRecord:
    process = c.process_of(row)
    text = c.get(row, "date")
    if not text:
        raise ValueError("the date is empty")
    try:
        day, at = parse_datetime(text, c.mapping.date_order)
    except ValueError as exc:
        raise ValueError(f"date: {exc}") from None
    try:
        occurred_at = local_datetime(day, at).astimezone(UTC)
    except (OverflowError, ValueError) as exc:
        raise ValueError(f"date: “{text}” is out of range ({exc})") from None
    type_name = c.text(row, "type", 80, "activity type", required=True)
    owner = c.owner_of(row)
    account, account_key = c.account_of(row)
    engagement_id = None
    engagement = c.get(row, "engagement")
    if engagement:
        engagement_id = c.lookups.engagements_by_key.get(
            engagement
        ) or c.lookups.engagements_by_name.get(norm(engagement))
        if engagement_id is None:
            raise ValueError(f"there is no opportunity or account plan “{engagement}”")
    status_text = norm(c.get(row, "status"))
    if status_text in DONE_WORDS:
        status = ActivityStatus.DONE
    elif status_text in PLANNED_WORDS:
        status = ActivityStatus.PLANNED
    elif not status_text:
        status = ActivityStatus.DONE if day <= c.lookups.today else ActivityStatus.PLANNED
    else:
        raise ValueError(f"status “{c.get(row, 'status')}” is neither done nor planned")
    try:
        duration = parse_minutes(c.get(row, "duration"))
    except ValueError as exc:
        raise ValueError(f"duration: {exc}") from None
    outcome = c.text(row, "outcome", 200, "outcome", multiline=True)
    notes = c.text(row, "notes", NOTES_LIMIT, "notes", multiline=True)
    key = c.text(row, "id", 120, "id")
    if not key:
        key = stable_key(occurred_at.isoformat(), type_name, owner, account, outcome, notes)
    c.unique(line, "x:" + key, "id" if c.has("id") else "date, type, owner and notes")
    return ActivityRecord(
        row=line,
        key=key,
        process_id=process.id,
        kind=process.kind,
        type_name=type_name,
        occurred_at=occurred_at,
        occurred_on=day,
        owner=owner,
        account=account,
        engagement_id=engagement_id,
        status=status,
        duration_min=duration,
        outcome=outcome,
        notes=notes,
        account_key=account_key,
    )


CONVERTERS: dict[ImportKind, Convert] = {
    ImportKind.ENGAGEMENTS: engagement,
    ImportKind.ACTIVITIES: activity,
    ImportKind.ACCOUNTS: account,
    ImportKind.PEOPLE: person,
    ImportKind.STAGE_HISTORY: stage_entry,
    ImportKind.TEAMS: person,
}


def convert_rows(
    table: CsvTable,
    mapping: ImportMapping,
    lookups: Lookups,
    progress: Callable[[int], None] | None = None,
) -> Converted:
    """The records (and the problems) of every row of ``table`` under ``mapping``."""
    return RowConverter(table, mapping, lookups).run(CONVERTERS[mapping.kind], progress)
