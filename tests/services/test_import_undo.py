"""An import is undone and redone exactly: every table's rows, with the same ids, both ways."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select, text, update

from nextlevel_desktop.domain.importing import ImportKind, ImportMapping, parse_csv
from nextlevel_desktop.services.bulk_revision import BulkRows, id_ranges
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.revisions import ConflictError, Revision
from nextlevel_desktop.storage.orm import AccountRow, ActivityRow, Base, EngagementRow, PersonRow
from nextlevel_desktop.storage.stage_links import NEXT

PIPELINE = (
    "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n"
    "P1,Ann Lee,GTX,Acme,Prospecting,2026-01-10,,\n"
    "P2,Bob Ray,GTX,,Engaging,2026-03-04,,\n"
    'P3,Bob Ray,MG,Beta,Won,2026-03-04,2026-05-15,"$1,234.50"\n'
)
# The same deals later: P1 moved on and grew, P2 won (a handover), P4 is new in a new stage.
PIPELINE_LATER = (
    "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n"
    'P1,Ann Lee,GTX Pro,Acme,Engaging,2026-01-10,,"$5,000"\n'
    'P2,Bob Ray,GTX,Gamma,Won,2026-03-04,2026-06-01,"$900"\n'
    'P3,Bob Ray,MG,Beta,Won,2026-03-04,2026-05-15,"$1,234.50"\n'
    "P4,Cy Ode,MG,Delta,Scoping,2026-04-01,,\n"
)
STAGES = {"Prospecting": "Suspect", "Engaging": "Qualified"}
ACTIVITIES = "Date,Activity Type,Assigned To,Company,Opportunity,Status,Duration,Notes\n" + "".join(
    f"2026-03-{1 + i % 28:02d} 10:30,{'Call' if i % 3 else 'Site visit'},"
    f"{'Ann Lee' if i % 2 else 'Dee New'},{'Acme' if i % 4 else 'Zeta'},"
    f"{'P1' if i % 5 == 0 else ''},{'done' if i % 2 else 'planned'},30,note {i}\n"
    for i in range(300)
)


def run(services: Services, csv: str, kind: ImportKind, **kw: Any) -> Revision:
    table = parse_csv(csv.encode())
    mapping = ImportMapping(kind, services.importing.guess(table, kind), **kw)
    result = services.importing.run(table, mapping)
    assert result.revision is not None
    return result.revision


def snapshot(services: Services) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows in key order; the activity counts that are not zero."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with services.db.read() as s:
        for table in Base.metadata.sorted_tables:
            rows = s.execute(select(table).order_by(*table.primary_key.columns)).all()
            if table.name == "activity_count":
                rows = [r for r in rows if r.n]
            out[table.name] = [tuple(r) for r in rows]
        counted = s.scalar(text("SELECT coalesce(sum(n), 0) FROM activity_count"))
        assert counted == len(out["activity"])  # the triggers and bulk counts agree
        triggers = s.scalar(text("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"))
        assert triggers == 6  # three keep the activity counts, three the next-stage links
        stale = f"SELECT count(*) FROM stage_change WHERE next_stage_id IS NOT {NEXT}"
        assert s.scalar(text(stale)) == 0  # every change's next stage is right
    return out


def test_id_ranges_come_from_the_real_ids(services: Services) -> None:
    with services.db.transaction() as s:
        s.add_all(PersonRow(id=1000 + i, name=f"P{i}") for i in (3, 4, 5, 9, 11, 12))
        s.flush()
        assert id_ranges(s, "person", 1000) == (((1003, 1005), (1009, 1009), (1011, 1012)), 6)
        assert id_ranges(s, "person", 1004) == (((1005, 1005), (1009, 1009), (1011, 1012)), 4)
        assert id_ranges(s, "person", 2000) == ((), 0)


def test_activities_import_undo_redo_undo(services: Services) -> None:
    run(services, PIPELINE, ImportKind.ENGAGEMENTS, stages=STAGES)
    before = snapshot(services)
    rev = run(services, ACTIVITIES, ImportKind.ACTIVITIES)
    after = snapshot(services)
    assert len(after["activity"]) == len(before["activity"]) + 300
    bulk = rev.bulk
    assert isinstance(bulk, BulkRows)
    assert bulk.count("activity") == 300 and bulk.count("person") == 1  # (Dee New)
    assert bulk.count("account") == 1 and bulk.count("activity_type") == 1  # Zeta, Site visit
    assert bulk.rows is None  # nothing held while the import is in the workspace

    assert services.revisions.revert(rev).activities
    assert snapshot(services) == before
    assert bulk.rows is not None and len(bulk.rows["activity"][1]) == 300

    services.revisions.reapply(rev)
    assert snapshot(services) == after  # the same rows with the same ids
    assert bulk.rows is None

    services.revisions.revert(rev)
    assert snapshot(services) == before


def test_an_import_that_updated_rows_restores_them(services: Services) -> None:
    run(services, PIPELINE, ImportKind.ENGAGEMENTS, stages=STAGES)
    before = snapshot(services)
    rev = run(
        services,
        PIPELINE_LATER,
        ImportKind.ENGAGEMENTS,
        stages=STAGES,
        add_missing_stages=True,
        handover=True,
    )
    after = snapshot(services)
    bulk = rev.bulk
    assert isinstance(bulk, BulkRows)
    tables = {u.table for u in bulk.updated}
    # Value, product, stage and account changes; stages moved down for the new one.
    assert {"engagement", "stage"} <= tables
    p1 = next(u for u in bulk.updated if u.table == "engagement" and "value_minor" in u.after)
    assert p1.after["value_minor"] == 500_000 and p1.before["value_minor"] == 0
    assert bulk.count("engagement") == 2  # P4 and P2's farming account plan
    assert bulk.count("stage") == 1

    services.revisions.revert(rev)
    assert snapshot(services) == before
    services.revisions.reapply(rev)
    assert snapshot(services) == after
    services.revisions.revert(rev)
    assert snapshot(services) == before


def test_people_whose_managers_come_later_in_the_file(services: Services) -> None:
    before = snapshot(services)
    rev = run(
        services,
        "Name,Manager\nAnn Lee,Zed Boss\nBob Ray,Ann Lee\nZed Boss,\n",
        ImportKind.PEOPLE,
    )
    after = snapshot(services)
    with services.db.read() as s:
        ann = s.scalars(select(PersonRow).where(PersonRow.name == "Ann Lee")).one()
        assert ann.manager_id is not None and ann.manager_id > ann.id  # a later row
    services.revisions.revert(rev)
    assert snapshot(services) == before
    services.revisions.reapply(rev)
    assert snapshot(services) == after


def test_a_failed_undo_changes_nothing(services: Services) -> None:
    run(services, PIPELINE, ImportKind.ENGAGEMENTS, stages=STAGES)
    acts = run(services, ACTIVITIES, ImportKind.ACTIVITIES)
    with services.db.transaction() as s:  # another program deletes one imported activity
        last = s.scalar(select(ActivityRow.id).order_by(ActivityRow.id.desc()).limit(1))
        s.execute(ActivityRow.__table__.delete().where(ActivityRow.id == last))
    state = snapshot(services)
    with pytest.raises(ConflictError, match="1 of the records it added were deleted"):
        services.revisions.revert(acts)
    assert snapshot(services) == state
    assert acts.bulk is not None and acts.bulk.rows is None  # nothing kept for a redo
    with pytest.raises(ConflictError, match="Nothing to redo"):  # (Redo after the failure)
        services.revisions.reapply(acts)
    assert snapshot(services) == state


def test_an_undo_never_unlinks_records_made_since(services: Services) -> None:
    run(services, PIPELINE, ImportKind.ENGAGEMENTS, stages=STAGES)
    acts = run(services, ACTIVITIES, ImportKind.ACTIVITIES)
    with services.db.transaction() as s:  # another program files a deal under Zeta
        zeta = s.scalar(select(AccountRow.id).where(AccountRow.name == "Zeta"))
        s.execute(update(EngagementRow).where(EngagementRow.id == 1).values(account_id=zeta))
    state = snapshot(services)
    with pytest.raises(ConflictError, match="1 record\\(s\\) made since"):
        services.revisions.revert(acts)
    assert snapshot(services) == state


def test_an_undo_refuses_when_an_updated_row_changed_since(services: Services) -> None:
    run(services, PIPELINE, ImportKind.ENGAGEMENTS, stages=STAGES)
    rev = run(services, PIPELINE_LATER, ImportKind.ENGAGEMENTS, stages=STAGES,
              add_missing_stages=True)  # fmt: skip
    with services.db.transaction() as s:
        s.execute(
            update(EngagementRow).where(EngagementRow.external_id == "P1").values(product="Y")
        )
    state = snapshot(services)
    with pytest.raises(ConflictError, match="1 record\\(s\\) it updated were changed since"):
        services.revisions.revert(rev)
    assert snapshot(services) == state


def test_a_stage_history_import_that_replaced_history_is_undone(services: Services) -> None:
    """A history file deletes the imported stage changes it replaces (a new one may take the
    id of one it deleted) and dates the engagements' current stages: all put back."""
    stages = {"Prospecting": "Prospect", "Qualification": "Qualified"}
    opportunities = (
        "Opportunity ID,Opportunity Name,Account Name,Stage,Amount,Close Date,Created Date,"
        "Opportunity Owner\n"
        "006A1,Renewal plus,Acme,Closed Won,1000,2026-03-20,2026-01-05,Ann\n"
        "006A2,New site,Beta,Negotiation/Review,2000,2026-12-31,2026-02-01,Bob\n"
    )
    history = (
        "OPPORTUNITYID,STAGENAME,CREATEDDATE\n"
        "006A1,Prospecting,2026-01-05T09:00:00.000Z\n"
        "006A1,Qualification,2026-01-20T09:00:00.000Z\n"
        "006A1,Proposal/Price Quote,2026-02-10T09:00:00.000Z\n"
        "006A1,Closed Won,2026-03-20T09:00:00.000Z\n"
        "006A2,Prospecting,2026-02-01T09:00:00.000Z\n"
        "006A2,Negotiation/Review,2026-03-01T09:00:00.000Z\n"
    )
    run(services, opportunities, ImportKind.ENGAGEMENTS, stages=stages, handover=False)
    before = snapshot(services)
    rev = run(services, history, ImportKind.STAGE_HISTORY, stages=stages)
    after = snapshot(services)
    bulk = rev.bulk
    assert isinstance(bulk, BulkRows)
    assert {u.table for u in bulk.updated} >= {"engagement"}
    assert bulk.deleted or any(u.table == "stage_change" for u in bulk.updated)
    services.revisions.revert(rev)
    assert snapshot(services) == before
    services.revisions.reapply(rev)
    assert snapshot(services) == after
    services.revisions.revert(rev)
    assert snapshot(services) == before
