"""The import engine on a real workspace file: one transaction, no duplicates, stage history."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from nextlevel_desktop.domain.errors import ValidationError
from nextlevel_desktop.domain.import_scan import stage_values
from nextlevel_desktop.domain.importing import DateOrder, ImportKind, ImportMapping, parse_csv
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.import_result import ImportCancelled
from nextlevel_desktop.storage.orm import (
    AccountRow,
    ActivityRow,
    ActivityTypeRow,
    EngagementRow,
    PersonRow,
    StageChangeRow,
    StageRow,
)

PIPELINE = (
    ("opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n")
    + """P1,Ann Lee,GTX,Acme,Prospecting,2026-01-10,,
P2,Bob Ray,GTX,,Engaging,2026-03-04,,
P3,Bob Ray,MG,Beta,Won,2026-03-04,2026-05-15,"$1,234.50"
P4,Ann Lee,MG,Beta,Lost,2026-02-01,2026-04-20,
"""
)
STAGES = {"Prospecting": "Suspect", "Engaging": "Qualified"}


def counts(services: Services) -> dict[str, int]:
    with services.db.read() as s:
        return {
            t.__tablename__: int(s.scalar(select(func.count()).select_from(t)) or 0)
            for t in (AccountRow, PersonRow, EngagementRow, StageChangeRow, StageRow, ActivityRow)
        }


def mapping_for(services: Services, text: str, kind: ImportKind, **kw: object) -> ImportMapping:
    table = parse_csv(text.encode())
    return ImportMapping(kind, services.importing.guess(table, kind), **kw)  # type: ignore[arg-type]


def run(services: Services, text: str, kind=ImportKind.ENGAGEMENTS, **kw):  # type: ignore[no-untyped-def]
    options = {k: kw.pop(k) for k in ("skip_invalid", "dry_run", "cancelled") if k in kw}
    table = parse_csv(text.encode())
    mapping = ImportMapping(kind, services.importing.guess(table, kind), **kw)
    return services.importing.run(table, mapping, **options)


def test_engagements_import_with_stage_history(services: Services) -> None:
    result = run(services, PIPELINE, stages=STAGES)
    assert (result.created, result.updated, result.skipped) == (4, 0, 0)
    assert (result.history.full, result.history.partial, result.history.none) == (0, 0, 4)
    assert "Stage history: 0 full, 0 partial, 4 none" in result.summary()
    assert (result.new_people, result.new_accounts) == (2, 2)
    assert result.changes.engagements and result.changes.people and result.changes.accounts
    with services.db.read() as s:
        rows = {r.external_id: r for r in s.scalars(select(EngagementRow))}
        stage = {r.id: r.name for r in s.scalars(select(StageRow))}
        history = {
            key: [
                (
                    stage.get(c.from_stage_id or 0),
                    stage[c.to_stage_id],
                    c.changed_at.date() if c.entered_known else None,
                )
                for c in s.scalars(
                    select(StageChangeRow)
                    .where(StageChangeRow.engagement_id == row.id)
                    .order_by(StageChangeRow.changed_at)
                )
            ]
            for key, row in rows.items()
        }
        owners = {p.id: p.name for p in s.scalars(select(PersonRow))}
        won, lost, open_ = rows["P3"], rows["P4"], rows["P2"]
        assert won.outcome == "won" and won.value_minor == 123450
        assert (won.opened_on, won.closed_on) == (date(2026, 3, 4), date(2026, 5, 15))
        # The file proves the close only: no first stage at the opened date is made up.
        assert history["P3"] == [(None, "Won", date(2026, 5, 15))]
        assert lost.outcome == "lost" and history["P4"] == [(None, "Lost", date(2026, 4, 20))]
        assert open_.outcome is None and open_.closed_on is None and open_.account_id is None
        # When it entered its stage the file does not say: unknown, so never stalled.
        assert history["P2"] == [(None, "Qualified", None)]
        assert open_.stage_entered_at is None
        assert owners[won.owner_id] == "Bob Ray"  # type: ignore[index]
        assert won.stage_entered_at is not None and won.stage_entered_at.date() == date(2026, 5, 15)


def test_unmapped_stages_block_and_nothing_is_written(services: Services) -> None:
    before = counts(services)
    with pytest.raises(ValidationError, match="“Engaging”, “Prospecting”"):
        run(services, PIPELINE)
    assert counts(services) == before
    table = parse_csv(PIPELINE.encode())
    mapping = mapping_for(services, PIPELINE, ImportKind.ENGAGEMENTS)
    check = services.importing.check(table, mapping)
    assert check.blocked
    assert dict(check.unmapped_stages) == {"Engaging": 1, "Prospecting": 1}
    values = stage_values(table, mapping, services.processes.processes(include_archived=True))
    assert ("Won", 1, "Won") in values and ("Engaging", 1, None) in values


def test_missing_stages_can_be_added(services: Services) -> None:
    result = run(services, PIPELINE, add_missing_stages=True)
    assert result.new_stages == 2 and result.created == 4
    hunting = services.processes.processes()[0]
    names = [s.name for s in services.processes.process(hunting.id).stages]
    # New open stages go after the open ones, before Won and Lost.
    assert names[-4:] == ["Prospecting", "Engaging", "Won", "Lost"]


def test_bad_rows_are_listed_with_row_and_reason(services: Services) -> None:
    text = (
        "id,Deal Name,Stage,Amount,Created,Close Date\n"
        "1,Good,Won,100,2026-01-01,2026-02-01\n"
        "2,No value,Won,lots,2026-01-01,2026-02-01\n"
        "3,No close,Lost,5,2026-01-01,\n"
        "4,Backwards,Won,5,2026-03-01,2026-02-01\n"
        "5,Bad date,Proposal,5,2026-13-45,\n"
        "1,Twice,Won,100,2026-01-01,2026-02-01\n"
        "7,,,,,\n"
    )
    table = parse_csv(text.encode())
    mapping = mapping_for(services, text, ImportKind.ENGAGEMENTS)
    check = services.importing.check(table, mapping)
    assert [(p.row, p.reason) for p in check.problems] == [
        (3, "value: “lots” is not an amount"),
        (4, "the stage “Lost” closes it, but the close date is empty"),
        (5, "it was closed (2026-02-01) before it was opened (2026-03-01)"),
        (6, "opened date: “2026-13-45” is not a valid date"),
        (7, "the same id as row 2; a record is imported once"),
        (8, "the stage is empty"),
    ]
    before = counts(services)
    with pytest.raises(ValidationError, match="Row 3: value"):
        services.importing.run(table, mapping)
    assert counts(services) == before
    result = services.importing.run(table, mapping, skip_invalid=True)
    assert (result.created, result.skipped) == (1, 6)


def test_reimport_does_not_duplicate_with_or_without_id(services: Services) -> None:
    run(services, PIPELINE, stages=STAGES)
    again = run(services, PIPELINE, stages=STAGES)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    no_id = "\n".join(",".join(line.split(",")[1:]) for line in PIPELINE.splitlines())
    first = run(services, no_id, stages=STAGES)
    second = run(services, no_id, stages=STAGES)
    assert first.created == 4 and (second.created, second.unchanged) == (0, 4)
    # 4 + 4, and one handover of the won account (Beta) to farming, made once.
    assert counts(services)["engagement"] == 9


def test_reimport_with_a_new_stage_records_the_move(services: Services) -> None:
    run(services, PIPELINE, stages=STAGES)
    moved = PIPELINE.replace("Engaging,2026-03-04,,", "Won,2026-03-04,2026-06-30,900")
    result = run(services, moved, stages=STAGES)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 3)
    with services.db.read() as s:
        row = s.scalars(select(EngagementRow).where(EngagementRow.external_id == "P2")).one()
        changes = s.scalars(
            select(StageChangeRow)
            .where(StageChangeRow.engagement_id == row.id)
            .order_by(StageChangeRow.changed_at)
        ).all()
        assert row.outcome == "won" and row.closed_on == date(2026, 6, 30)
        assert row.value_minor == 90000
        assert len(changes) == 2 and changes[-1].to_stage_id == row.stage_id


def test_cancel_and_dry_run_change_nothing(services: Services) -> None:
    before = counts(services)
    with pytest.raises(ImportCancelled):
        run(services, PIPELINE, stages=STAGES, cancelled=lambda: True)
    dry = run(services, PIPELINE, stages=STAGES, dry_run=True)
    assert dry.dry_run and dry.created == 4 and dry.new_people == 2
    assert counts(services) == before


def test_failure_midway_rolls_everything_back(services: Services) -> None:
    before = counts(services)
    calls = []

    def cancel_on_second_batch() -> bool:
        calls.append(1)
        return len(calls) > 1  # the people and accounts are written by then

    with pytest.raises(ImportCancelled):
        run(services, PIPELINE, stages=STAGES, cancelled=cancel_on_second_batch)
    assert counts(services) == before


def test_ambiguous_dates_need_an_order(services: Services) -> None:
    text = "Deal Name,Stage,Created\nA,Proposal,03/04/2026\n"
    with pytest.raises(ValidationError, match="ambiguous"):
        run(services, text)
    run(services, text, date_order=DateOrder.DMY)
    with services.db.read() as s:
        assert s.scalar(select(EngagementRow.opened_on)) == date(2026, 4, 3)


def test_activities_accounts_and_people(services: Services) -> None:
    run(services, PIPELINE, stages=STAGES)
    people = run(
        services, "Name,Email,Role\nAnn Lee,ann@x.example,Sales manager\nCy Ode,,Rep\n",
        ImportKind.PEOPLE,
    )  # fmt: skip
    assert (people.created, people.updated) == (1, 1)
    accounts = run(
        services,
        "Company ID,Company Name,Industry\nC1,Acme,Retail\nC2,Gamma,Energy\n",
        ImportKind.ACCOUNTS,
    )
    assert (accounts.created, accounts.updated) == (1, 1)
    activities = run(
        services,
        "Date,Activity Type,Assigned To,Company,Opportunity,Status,Duration,Notes\n"
        "2026-03-05 10:30,Call,Ann Lee,Acme,P1,done,30,first call\n"
        "2026-03-06,Site visit,Bob Ray,Beta,,planned,1:00,\n",
        ImportKind.ACTIVITIES,
    )
    assert (activities.created, activities.new_types) == (2, 1)
    with services.db.read() as s:
        acme = s.scalars(select(AccountRow).where(AccountRow.name == "Acme")).one()
        assert (acme.industry, acme.external_id) == ("Retail", "C1")
        ann = s.scalars(select(PersonRow).where(PersonRow.name == "Ann Lee")).one()
        assert (ann.email, ann.role) == ("ann@x.example", "manager")
        acts = s.scalars(select(ActivityRow).order_by(ActivityRow.occurred_at)).all()
        assert [a.status for a in acts] == ["done", "planned"]
        assert acts[0].engagement_id is not None and acts[0].duration_min == 30
        assert acts[0].occurred_on == date(2026, 3, 5) and acts[1].duration_min == 60
        assert s.scalar(select(ActivityTypeRow.kind).where(ActivityTypeRow.name == "Site visit"))
    again = run(
        services,
        "Date,Activity Type,Assigned To,Company,Opportunity,Status,Duration,Notes\n"
        "2026-03-05 10:30,Call,Ann Lee,Acme,P1,done,30,first call\n",
        ImportKind.ACTIVITIES,
    )
    assert (again.created, again.unchanged) == (0, 1)


def test_saved_mappings(services: Services) -> None:
    assert services.importing.saved_mappings() == {}
    mapping = ImportMapping(ImportKind.ENGAGEMENTS, {"stage": "deal_stage"}, stages=STAGES)
    changes = services.importing.save_mapping("Monthly CRM export", mapping)
    assert changes.changes.settings
    assert services.importing.saved_mappings() == {"Monthly CRM export": mapping}
    services.importing.delete_mapping("Monthly CRM export")
    assert services.importing.saved_mappings() == {}
    with pytest.raises(ValidationError):
        services.importing.save_mapping("  ", mapping)


def test_read_file_errors_are_clear(services: Services, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="cannot be read"):
        services.importing.read_file(tmp_path / "missing.csv")
