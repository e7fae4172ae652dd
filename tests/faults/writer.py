"""A worker that writes to a workspace through the real services until it is killed.

Run as ``python tests/faults/writer.py KIND WORKSPACE``. The kill -9 fault suite starts it on a
copy of a demo workspace, kills it at a random moment and then checks the file.

The worker prints one JSON object a line on stdout, flushed at once:

- ``{"ev": "ready"}`` once the workspace is open and the setup is written;
- ``{"ev": "begin", "n": N, ...}`` just before write ``N``, naming what it is about to change;
- ``{"ev": "ack", "n": N, ...}`` only *after* write ``N`` has returned, i.e. after its commit.

So every ``ack`` line names a write a user was told had been saved, and at most one write (the
last ``begin`` without an ``ack``) was under way when the kill came.
"""

from __future__ import annotations

import itertools
import json
import sys
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from nextlevel_desktop.domain.activities import ActivityDraft
from nextlevel_desktop.domain.importing import ImportKind, ImportMapping, parse_csv
from nextlevel_desktop.domain.models import Outcome, ProcessKind
from nextlevel_desktop.domain.periods import month_of
from nextlevel_desktop.domain.processes import move_item, spec_of
from nextlevel_desktop.domain.settings import WorkspaceSettings
from nextlevel_desktop.services.accounts import AccountDraft
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.engagements import NewEngagement
from nextlevel_desktop.services.reviews import ActionItem, ReviewRecord
from nextlevel_desktop.services.workspace import open_workspace
from nextlevel_desktop.storage.backup import backup_to, restore_backup

IMPORT_ROWS = 300
IMPORT_ACCOUNTS = 5
IMPORT_HEADER = "Activity ID,Date,Activity Type,Assigned To,Company,Status,Duration,Notes\n"


def emit(ev: str, **fields: Any) -> None:
    sys.stdout.write(json.dumps({"ev": ev, **fields}) + "\n")
    sys.stdout.flush()


def _call_type(services: Services) -> int:
    return next(
        t.id
        for t in services.activities.activity_types()
        if t.name == "Call" and t.kind == ProcessKind.HUNTING.value
    )


def _hunting(services: Services) -> int:
    return services.processes.processes_of_kind(ProcessKind.HUNTING)[0].id


def _first_person(services: Services) -> int:
    return min(p.id for p in services.people.people())


def _account(services: Services, name: str) -> int:
    return services.accounts.create(AccountDraft(name)).ids["account"]


def activity_draft(type_id: int, person: int, account: int, n: int) -> ActivityDraft:
    return ActivityDraft(
        type_id=type_id,
        occurred_at=datetime.now(UTC) - timedelta(hours=1),
        duration_min=n % 600,
        person_id=person,
        account_id=account,
        outcome=f"fault {n}",
        notes=f"fault activity {n}",
    )


# One loop per write kind. Each runs until the process is killed.


def run_activity(services: Services, _ws: Path) -> None:
    call, person = _call_type(services), _first_person(services)
    account = _account(services, "Fault activity account")
    emit("ready", account=account)
    for n in itertools.count():
        emit("begin", n=n)
        rev = services.activities.log(activity_draft(call, person, account, n))
        emit("ack", n=n, id=rev.ids["activity"])


def run_stage(services: Services, _ws: Path) -> None:
    person = _first_person(services)
    hunting = services.processes.process(_hunting(services))
    opens = [s.id for s in hunting.open_stages]
    emit("ready", won=next(s.id for s in hunting.active_stages if s.category.value == "won"))
    n = 0
    for cycle in itertools.count():
        emit("begin", n=n, op="account", name=f"Fault deal {cycle}")
        account = _account(services, f"Fault deal {cycle}")
        emit("ack", n=n, op="account", account=account)
        n += 1
        emit("begin", n=n, op="create", account=account)
        rev = services.engagements.create(
            NewEngagement(hunting.id, f"Fault deal {cycle}", 1000 + cycle), account, person
        )
        eng = rev.ids["engagement"]
        changes = [v["id"] for t, v in rev.inserted if t == "stage_change"]
        emit("ack", n=n, op="create", eng=eng, changes=changes, stage=opens[0])
        n += 1
        for stage in opens[1:]:
            emit("begin", n=n, op="move", eng=eng, stage=stage)
            rev = services.engagements.move(eng, stage, person, note=f"fault move {n}")
            emit("ack", n=n, op="move", eng=eng, stage=stage, change=rev.ids["stage_change"])
            n += 1
        emit("begin", n=n, op="won", eng=eng)
        rev = services.engagements.close(eng, Outcome.WON, person, handover=True)
        emit(
            "ack",
            n=n,
            op="won",
            eng=eng,
            change=rev.ids["stage_change"],
            handover=rev.ids.get("handover"),
        )
        n += 1


def design_snapshot(services: Services, process_id: int) -> list[list[Any]]:
    """The designed stages in order: id, name and exit criteria texts."""
    process = services.processes.process(process_id)
    return [[s.id, s.name, [c.text for c in s.exit_criteria]] for s in process.active_stages]


def run_designer(services: Services, _ws: Path) -> None:
    """Rename a stage, add or remove an exit criterion, reorder the open stages, in turn."""
    process_id = _hunting(services)
    emit("ready", process=process_id, expect=design_snapshot(services, process_id))
    for n in itertools.count():
        opens = services.processes.process(process_id).open_stages
        stage = opens[n % len(opens)]
        expect = design_snapshot(services, process_id)
        row = next(r for r in expect if r[0] == stage.id)
        op = ("rename", "add criterion", "remove criterion", "reorder")[n % 4]
        texts = list(row[2])
        texts = [*texts, f"Check {n}"] if op == "add criterion" else texts[1:]
        open_ids = [s.id for s in opens]
        order = move_item(open_ids, stage.id, (n * 7) % len(open_ids))
        if op == "rename":
            row[1] = f"Stage {n}"
        elif op == "reorder":
            by_id = {r[0]: r for r in expect}
            expect = [by_id[i] for i in order] + [r for r in expect if r[0] not in open_ids]
        else:
            row[2] = texts
        emit("begin", n=n, op=op, expect=expect)
        if op == "rename":
            services.processes.rename_stage(stage.id, f"Stage {n}")
        elif op == "reorder":
            services.processes.move_stage(stage.id, order.index(stage.id))
        else:
            services.processes.update_stage(
                stage.id, replace(spec_of(stage), exit_criteria=tuple(texts))
            )
        emit("ack", n=n, op=op, expect=expect)


def run_review(services: Services, _ws: Path) -> None:
    person = _first_person(services)
    emit("ready", person=person)
    for n in itertools.count():
        held = date.today() - timedelta(days=n % 300)
        actions = tuple(
            ActionItem(f"Action {n}.{i}", held + timedelta(days=7)) for i in range(n % 4 + 1)
        )
        record = ReviewRecord(person, month_of(held), held, f"fault review {n}", actions)
        emit("begin", n=n, notes=record.notes, actions=[a.text for a in actions])
        saved = services.reviews.save(record).ids["review"]
        emit("ack", n=n, id=saved, notes=record.notes, actions=[a.text for a in actions])


def settings_for(n: int) -> WorkspaceSettings:
    """Settings whose every field says which write ``n`` they came from."""
    return WorkspaceSettings(
        currency=f"X{n % 10000}",
        week_start=n % 7,
        on_track_pct=101 + n % 800,
        at_risk_pct=1 + n % 99,
        handover=("automatic", "ask")[n % 2],
    )


def run_settings(services: Services, _ws: Path) -> None:
    emit("ready", settings=services.workspace.settings().to_pairs())
    for n in itertools.count():
        emit("begin", n=n)
        services.workspace.save_settings(settings_for(n))
        emit("ack", n=n)


def import_csv(n: int) -> bytes:
    lines = [IMPORT_HEADER]
    for i in range(IMPORT_ROWS):
        lines.append(
            f"B{n}-{i},2026-03-{1 + i % 28:02d} 10:30,Call,Importer {n},"
            f"Import Co {n}-{i % IMPORT_ACCOUNTS},done,{i % 90},row {i} of batch {n}\n"
        )
    return "".join(lines).encode()


def run_import(services: Services, _ws: Path) -> None:
    emit("ready", rows=IMPORT_ROWS)
    for n in itertools.count():
        table = parse_csv(import_csv(n))
        mapping = ImportMapping(
            ImportKind.ACTIVITIES, services.importing.guess(table, ImportKind.ACTIVITIES)
        )
        emit("begin", n=n)
        result = services.importing.run(table, mapping)
        emit("ack", n=n, created=result.created, accounts=result.new_accounts)


def run_undo(services: Services, _ws: Path) -> None:
    call, person, hunting = _call_type(services), _first_person(services), _hunting(services)
    account = _account(services, "Fault undo account")
    emit("ready", account=account)
    n = 0
    for cycle in itertools.count():
        emit("begin", n=n, cycle=cycle, present=True)
        rev = services.activities.log(
            activity_draft(call, person, account, cycle),
            new_engagement=NewEngagement(hunting, f"Fault undo {cycle}"),
        )
        rows = [[t, v["id"]] for t, v in rev.inserted]
        emit("ack", n=n, cycle=cycle, present=True, rows=rows)
        n += 1
        # Undo, then redo: a cycle that was not interrupted ends with the rows present.
        for step, present in (
            (services.revisions.revert, False),
            (services.revisions.reapply, True),
        ):
            emit("begin", n=n, cycle=cycle, present=present, rows=rows)
            step(rev)
            emit("ack", n=n, cycle=cycle, present=present, rows=rows)
            n += 1


def run_backup(services: Services, ws: Path) -> None:
    call, person = _call_type(services), _first_person(services)
    account = _account(services, "Fault backup account")
    folder = ws.parent / "backups"
    emit("ready", account=account, folder=str(folder))
    n = 0
    for cycle in itertools.count():
        emit("begin", n=n, op="log", cycle=cycle)
        rev = services.activities.log(activity_draft(call, person, account, cycle))
        emit("ack", n=n, op="log", cycle=cycle, id=rev.ids["activity"])
        n += 1
        backup = folder / f"backup-{cycle}.nlw"
        emit("begin", n=n, op="backup", cycle=cycle, file=str(backup))
        backup_to(ws, backup)
        emit("ack", n=n, op="backup", cycle=cycle, file=str(backup))
        n += 1
        restored = folder / f"restored-{cycle}.nlw"
        emit("begin", n=n, op="restore", cycle=cycle, file=str(restored))
        restore_backup(backup, restored)
        emit("ack", n=n, op="restore", cycle=cycle, file=str(restored))
        n += 1


def run_create(_services: None, ws: Path) -> None:
    emit("ready")
    for n in itertools.count():
        target = ws.with_name(f"{ws.stem}-{n}.nlw")
        emit("begin", n=n, file=str(target))
        db, created = open_workspace(target, demo=True)
        db.close()
        emit("ack", n=n, file=str(target), created=created)


KINDS: dict[str, Callable[[Any, Path], None]] = {
    "activity": run_activity,
    "stage": run_stage,
    "designer": run_designer,
    "review": run_review,
    "settings": run_settings,
    "import": run_import,
    "undo": run_undo,
    "backup": run_backup,
    "create": run_create,
}


def main(argv: list[str]) -> int:
    if len(argv) != 2 or argv[0] not in KINDS:
        print(f"usage: writer.py {{{','.join(KINDS)}}} WORKSPACE", file=sys.stderr)
        return 2
    kind, ws = argv[0], Path(argv[1])
    if kind == "create":
        run_create(None, ws)
        return 0
    db, _ = open_workspace(ws, create=False)
    KINDS[kind](Services.for_database(db), ws)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
