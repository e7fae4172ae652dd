"""Designer, review, settings and mapping writes undo and redo through their Revision.

For every write: revert puts every table back exactly as before, reapply makes it exactly as
after (same ids), and reapply after revert twice more still holds.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from sqlalchemy import text

from nextlevel_desktop.domain.importing import ImportKind, ImportMapping
from nextlevel_desktop.domain.models import PeriodKind, ProcessKind, StageCategory
from nextlevel_desktop.domain.periods import month_of
from nextlevel_desktop.domain.processes import StageSpec, TargetSpec, spec_of
from nextlevel_desktop.domain.settings import WorkspaceSettings
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.reviews import ActionItem, ReviewRecord
from nextlevel_desktop.services.revisions import Revision
from nextlevel_desktop.storage.orm import Base

D = date(2026, 1, 1)


def snapshot(s: Services) -> dict[str, list[tuple[Any, ...]]]:
    with s.db.read() as session:
        return {
            name: sorted(map(tuple, session.execute(text(f'SELECT * FROM "{name}"'))), key=repr)
            for name in Base.metadata.tables
        }


def hunting(s: Services):  # type: ignore[no-untyped-def]
    return s.processes.processes_of_kind(ProcessKind.HUNTING)[0]


def call_type(s: Services) -> int:
    return next(t.id for t in s.design.activity_types(ProcessKind.HUNTING) if t.name == "Call")


def first_person(s: Services) -> int:
    return s.people.people()[0].id


def a_review(s: Services, notes: str = "Good month.") -> ReviewRecord:
    actions = (ActionItem("Book 3 demos", date(2026, 10, 30)), ActionItem("Call Alder"))
    return ReviewRecord(
        first_person(s), month_of(date(2026, 9, 1)), date(2026, 10, 2), notes, actions
    )


def saved_review(s: Services) -> ReviewRecord:
    return s.reviews.review(s.reviews.save(a_review(s)).ids["review"])


def edited_stage(s: Services) -> Revision:
    stage = hunting(s).active_stages[1]
    spec = replace(spec_of(stage), name="Lead", exit_criteria=("Only one",), color="#123456")
    return s.processes.update_stage(stage.id, spec)


def mapping() -> ImportMapping:
    return ImportMapping(ImportKind.ENGAGEMENTS, {"stage": "deal_stage"})


def new_target(s: Services) -> int:
    spec = TargetSpec("won_count", PeriodKind.MONTH, 3, D)
    return s.design.add_target(hunting(s).id, spec).ids["target"]


def archived_stage(s: Services) -> int:
    stages = hunting(s).active_stages
    return s.processes.remove_stage(stages[4].id, move_to=stages[3].id).ids["stage"]


def exported_design(s: Services) -> Any:
    """A process design with targets and an activity type the workspace lacks (then removed)."""
    proc = hunting(s)
    s.design.add_target(proc.id, TargetSpec("won_count", PeriodKind.MONTH, 3, D))
    visit = s.design.add_activity_type(ProcessKind.HUNTING, "Site visit")
    path = s.process_files.export(proc.id, s.path.parent / "p.nlprocess.json")
    s.revisions.revert(visit)
    s.design.set_activity_type_archived(call_type(s), True)
    return s.process_files.read(path)


def nothing(s: Services) -> Any:
    return None


# name: (prepare, write) — prepare makes what the write changes; the state after it is "before".
WRITES: dict[str, tuple[Callable[[Services], Any], Callable[[Services, Any], Revision]]] = {
    "add process": (nothing, lambda s, _: s.processes.add_process(ProcessKind.HUNTING, "Big")),
    "update process": (
        first_person,
        lambda s, p: s.processes.update_process(hunting(s).id, "Outbound", "Logos.", p),
    ),
    "archive process": (
        lambda s: s.processes.add_process(ProcessKind.HUNTING, "Second").ids["process"],
        lambda s, pid: s.processes.set_process_archived(pid, True),
    ),
    "add stage": (
        nothing,
        lambda s, _: s.processes.add_stage(
            hunting(s).id, StageSpec("Demo", exit_criteria=("Booked", "Held")), index=1
        ),
    ),
    "update stage": (nothing, lambda s, _: edited_stage(s)),
    "move stage": (nothing, lambda s, _: s.processes.move_stage(hunting(s).active_stages[0].id, 3)),
    "delete stage": (
        lambda s: s.processes.add_stage(hunting(s).id, StageSpec("Gone", exit_criteria=("A",))),
        lambda s, rev: s.processes.remove_stage(rev.ids["stage"]),
    ),
    "archive stage, moving engagements": (
        nothing,
        lambda s, _: s.processes.remove_stage(
            hunting(s).active_stages[1].id, move_to=hunting(s).active_stages[2].id
        ),
    ),
    "unarchive stage": (archived_stage, lambda s, sid: s.processes.unarchive_stage(sid, 1)),
    "add target": (
        call_type,
        lambda s, call: s.design.add_target(
            hunting(s).id, TargetSpec("activity_count", PeriodKind.WEEK, 20, D, None, call)
        ),
    ),
    "update target": (
        new_target,
        lambda s, t: s.design.update_target(t, TargetSpec("win_rate", PeriodKind.QUARTER, 37.5, D)),
    ),
    "remove target": (new_target, lambda s, t: s.design.remove_target(t)),
    "add activity type": (
        nothing,
        lambda s, _: s.design.add_activity_type(ProcessKind.HUNTING, "Visit", index=0),
    ),
    "update activity type": (
        call_type,
        lambda s, t: s.design.update_activity_type(t, "Phone", False),
    ),
    "move activity type": (call_type, lambda s, t: s.design.move_activity_type(t, 3)),
    "archive activity type": (
        call_type,
        lambda s, t: s.design.set_activity_type_archived(t, True),
    ),
    "save new review": (a_review, lambda s, r: s.reviews.save(r)),
    "update review": (
        saved_review,
        lambda s, r: s.reviews.save(replace(r, notes="Edited", actions=(ActionItem("Only"),))),
    ),
    "delete review": (saved_review, lambda s, r: s.reviews.delete(r.id)),
    "mark action done": (
        saved_review,
        lambda s, r: s.reviews.set_action_done(r.actions[0].id, True, date(2026, 10, 5)),
    ),
    "import a process file": (
        exported_design,
        lambda s, design: s.process_files.import_design(design).revision,
    ),
    "save settings": (
        nothing,
        lambda s, _: s.workspace.save_settings(
            WorkspaceSettings(currency="USD", week_start=6, handover="ask")
        ),
    ),
    "set a new value": (nothing, lambda s, _: s.workspace.set_value("some.key", "on")),
    "save mapping": (nothing, lambda s, _: s.importing.save_mapping("Monthly", mapping())),
    "delete mapping": (
        lambda s: s.importing.save_mapping("Monthly", mapping()),
        lambda s, _: s.importing.delete_mapping("Monthly"),
    ),
}


@pytest.mark.parametrize("name", list(WRITES))
def test_revert_and_reapply_restore_exact_rows(demo_services: Services, name: str) -> None:
    s = demo_services
    prepare, write = WRITES[name]
    prepared = prepare(s)
    before = snapshot(s)
    rev = write(s, prepared)
    after = snapshot(s)
    assert rev and after != before
    for _ in range(2):  # undo, redo, undo, redo: the same rows, the same ids each time
        s.revisions.revert(rev)
        assert snapshot(s) == before
        s.revisions.reapply(rev)
        assert snapshot(s) == after


def test_a_new_review_keeps_its_id_across_undo_and_redo(demo_services: Services) -> None:
    s = demo_services
    rev = s.reviews.save(a_review(s))
    review_id = rev.ids["review"]
    s.revisions.revert(rev)
    assert review_id not in [r.id for r in s.reviews.reviews_of(first_person(s))]
    s.revisions.reapply(rev)
    again = s.reviews.review(review_id)
    assert [a.text for a in again.actions] == ["Book 3 demos", "Call Alder"]


def test_category_change_is_checked_before_recording(services: Services) -> None:
    stage = hunting(services).active_stages[-1]
    with pytest.raises(Exception, match="no lost stage"):
        services.processes.update_stage(
            stage.id, replace(spec_of(stage), category=StageCategory.OPEN)
        )
