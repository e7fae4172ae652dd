"""ProcessService: processes and stages, on a real workspace file."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from nextlevel_desktop.domain.errors import ValidationError
from nextlevel_desktop.domain.models import Process, ProcessKind, StageCategory
from nextlevel_desktop.domain.processes import StageSpec, spec_of
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.storage.orm import EngagementRow, StageChangeRow


def hunting(services: Services) -> Process:
    return services.processes.processes_of_kind(ProcessKind.HUNTING)[0]


def names(services: Services, pid: int) -> list[str]:
    return [s.name for s in services.processes.process(pid).active_stages]


def test_add_process_from_template_and_blank(services: Services) -> None:
    rev = services.processes.add_process(ProcessKind.HUNTING, "Enterprise")
    assert rev.changes.processes and rev.changes.stages
    pid = rev.ids["process"]
    proc = services.processes.process(pid)
    assert proc.name == "Enterprise" and len(proc.active_stages) == 7
    blank = services.processes.add_process(ProcessKind.FARMING, "Key accounts", blank=True).ids[
        "process"
    ]
    cats = [s.category for s in services.processes.process(blank).active_stages]
    assert cats == [StageCategory.OPEN, StageCategory.WON, StageCategory.LOST]
    with pytest.raises(ValidationError, match="already a process called"):
        services.processes.add_process(ProcessKind.HUNTING, "enterprise ")


def test_update_process(services: Services, demo_services: Services) -> None:
    pid = hunting(services).id
    services.processes.update_process(pid, " Outbound ", " Find logos. ", None)
    proc = services.processes.process(pid)
    assert (proc.name, proc.purpose, proc.owner_id) == ("Outbound", "Find logos.", None)
    with pytest.raises(ValidationError, match="needs a name"):
        services.processes.update_process(pid, " ", "", None)
    with pytest.raises(ValidationError, match="owner no longer exists"):
        services.processes.update_process(pid, "Outbound", "", 999)
    person = demo_services.people.people()[0]
    dpid = hunting(demo_services).id
    demo_services.processes.update_process(dpid, "New business", "", person.id)
    assert demo_services.processes.process(dpid).owner_name == person.name


def test_each_kind_keeps_one_active_process(services: Services) -> None:
    pid = hunting(services).id
    with pytest.raises(ValidationError, match="only active hunting process"):
        services.processes.set_process_archived(pid, True)
    other = services.processes.add_process(ProcessKind.HUNTING, "Second").ids["process"]
    services.processes.set_process_archived(pid, True)
    assert services.processes.process(pid).archived
    assert [p.id for p in services.processes.processes_of_kind(ProcessKind.HUNTING)] == [other]
    with pytest.raises(ValidationError, match="only active hunting"):
        services.processes.set_process_archived(other, True)
    services.processes.update_process(other, "New business", "", None)
    with pytest.raises(ValidationError, match="already a process called"):
        services.processes.set_process_archived(pid, False)  # its name is taken now
    services.processes.update_process(other, "Second", "", None)
    services.processes.set_process_archived(pid, False)
    assert not services.processes.process(pid).archived


def test_add_stage_positions_and_validation(services: Services) -> None:
    pid = hunting(services).id
    sid = services.processes.add_stage(pid, StageSpec("Demo", StageCategory.OPEN)).ids["stage"]
    assert names(services, pid)[5] == "Demo"  # after the last open stage, before Won
    services.processes.add_stage(pid, StageSpec("Research"), index=0)
    assert names(services, pid)[0] == "Research"
    with pytest.raises(ValidationError, match="already has a stage called"):
        services.processes.add_stage(pid, StageSpec("demo"))
    removal = services.processes.remove_stage(sid)  # unused: deleted
    assert removal.deleted and "Demo" not in names(services, pid)


def test_update_stage_keeps_the_rules(services: Services) -> None:
    proc = hunting(services)
    suspect, won = proc.active_stages[0], proc.active_stages[5]
    spec = replace(spec_of(suspect), name="Lead", exit_criteria=("A", "B", "C"), color="#112233")
    services.processes.update_stage(suspect.id, spec)
    stored = services.processes.process(proc.id).active_stages[0]
    assert stored.name == "Lead" and [c.text for c in stored.exit_criteria] == ["A", "B", "C"]
    assert stored.color == "#112233"
    with pytest.raises(ValidationError) as info:
        services.processes.update_stage(suspect.id, replace(spec, target_conversion=120))
    assert "between 0 and 100" in info.value.problems["target_conversion"]
    with pytest.raises(ValidationError, match="no won stage"):
        services.processes.update_stage(won.id, replace(spec_of(won), category=StageCategory.OPEN))
    farming = services.processes.processes_of_kind(ProcessKind.FARMING)[0]
    first = farming.active_stages[0]
    services.processes.update_stage(first.id, replace(spec_of(first), probability=40))
    assert services.processes.process(farming.id).active_stages[0].probability is None


def test_category_of_a_stage_holding_engagements_cannot_change(demo_services: Services) -> None:
    proc = hunting(demo_services)
    stage = proc.active_stages[1]
    assert demo_services.processes.open_engagement_count(stage.id) > 0
    with pytest.raises(ValidationError, match="before changing its category"):
        demo_services.processes.update_stage(
            stage.id, replace(spec_of(stage), category=StageCategory.LOST)
        )
    demo_services.processes.rename_stage(stage.id, "Contacted")
    assert names(demo_services, proc.id)[1] == "Contacted"


def test_move_stage(services: Services) -> None:
    proc = hunting(services)
    sid = proc.active_stages[0].id
    services.processes.move_stage(sid, 2)
    assert names(services, proc.id)[:3] == ["Prospect", "Qualified", "Suspect"]
    services.processes.move_stage(sid, 0)
    assert names(services, proc.id)[0] == "Suspect"


def count(services: Services, model: type, *where) -> int:  # type: ignore[no-untyped-def]
    with services.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(model).where(*where)) or 0)


def test_archive_stage_with_open_engagements(demo_services: Services) -> None:
    s = demo_services
    proc = hunting(s)
    prospect, qualified = proc.active_stages[1], proc.active_stages[2]
    held = s.processes.open_engagement_count(prospect.id)
    assert held > 0
    with pytest.raises(ValidationError, match="choose another stage"):
        s.processes.remove_stage(prospect.id)
    changes_before = count(s, StageChangeRow)
    in_qualified = s.processes.open_engagement_count(qualified.id)
    removal = s.processes.remove_stage(prospect.id, move_to=qualified.id)
    assert len([t for t, _ in removal.inserted if t == "stage_change"]) == held
    assert removal.changes.engagements and removal.changes.stages
    assert "Prospect" not in names(s, proc.id)
    assert s.processes.process(proc.id).stages[-1].archived  # kept, at the end
    assert s.processes.open_engagement_count(qualified.id) == in_qualified + held
    assert count(s, StageChangeRow) == changes_before + held  # each move recorded
    s.revisions.revert(removal)
    assert names(s, proc.id)[1] == "Prospect"
    assert s.processes.open_engagement_count(prospect.id) == held
    assert count(s, StageChangeRow) == changes_before
    assert count(s, EngagementRow, EngagementRow.stage_id == prospect.id) >= held


def test_archive_keeps_one_stage_of_each_category(services: Services) -> None:
    proc = hunting(services)
    lost = proc.active_stages[-1]
    with pytest.raises(ValidationError, match="no lost stage"):
        services.processes.remove_stage(lost.id)
    services.processes.add_stage(proc.id, StageSpec("Disqualified", StageCategory.LOST))
    removal = services.processes.remove_stage(lost.id)
    assert [t for t, _ in removal.deleted] == ["stage"]  # nothing referred to it: deleted
    services.revisions.revert(removal)
    assert names(services, proc.id)[-2:] == ["Lost", "Disqualified"]


def test_unarchive_stage(demo_services: Services) -> None:
    s = demo_services
    proc = hunting(s)
    negotiation, proposal = proc.active_stages[4], proc.active_stages[3]
    s.processes.remove_stage(negotiation.id, move_to=proposal.id)
    archived = [(st.id, st.name) for st in s.processes.process(proc.id).stages if st.archived]
    assert archived == [(negotiation.id, "Negotiation")]
    with pytest.raises(ValidationError, match="already archived"):
        s.processes.remove_stage(negotiation.id)
    with pytest.raises(ValidationError, match="restore it before moving"):
        s.processes.move_stage(negotiation.id, 0)
    s.processes.unarchive_stage(negotiation.id, 4)
    assert names(s, proc.id)[4] == "Negotiation"
