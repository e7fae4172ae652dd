"""Stage history from a client's CRM export: only what the file proves, unknown kept unknown.

Each file below is hand-made in the shape of a documented export (named in each test).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from nextlevel_desktop.domain.importing import ImportKind, ImportMapping, parse_csv
from nextlevel_desktop.domain.measures import HuntingMeasures
from nextlevel_desktop.domain.periods import month_of
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.import_result import ImportResult
from nextlevel_desktop.services.workspace import WorkspaceService
from nextlevel_desktop.storage.orm import EngagementRow, ProcessRow, StageChangeRow, StageRow

TODAY = date(2026, 11, 27)

# HubSpot "Export deals" (all properties): one "Date entered/exited "<stage> (<pipeline>)""
# column pair per stage of the pipeline; "Close Date" is the expected close of open deals.
HUBSPOT = (
    "Record ID,Deal Name,Deal Stage,Amount,Close Date,Create Date,Deal owner,Associated Company,"
    '"Date entered ""Qualified To Buy (Sales Pipeline)""",'
    '"Date exited ""Qualified To Buy (Sales Pipeline)""",'
    '"Date entered ""Contract Sent (Sales Pipeline)""",'
    '"Date exited ""Contract Sent (Sales Pipeline)""",'
    '"Date entered ""Closed Won (Sales Pipeline)"""\n'
    "H1,Big one,Closed Won,5000,2026-04-20,2026-03-02 09:00,Ann,Acme,"
    "2026-03-02 10:00,2026-03-12 10:00,2026-03-12 10:00,2026-04-20 10:00,2026-04-20 10:00\n"
    "H2,Middle,Contract Sent,3000,2026-12-15,2026-03-05 09:00,Ann,Beta,"
    "2026-03-06 10:00,,,,\n"
    "H3,Quiet,Qualified To Buy,1000,,2026-02-01 09:00,Bob,Gamma,,,,,\n"
    "H4,Gone,Closed Lost,700,2026-02-01,2026-01-10 09:00,Bob,Delta,,,,,\n"
)
HUBSPOT_STAGES = {"Contract Sent": "Proposal", "Qualified To Buy": "Qualified"}


def run(services: Services, text: str, kind=ImportKind.ENGAGEMENTS, **kw) -> ImportResult:  # type: ignore[no-untyped-def]
    table = parse_csv(text.encode())
    mapping = ImportMapping(kind, services.importing.guess(table, kind), **kw)
    return services.importing.run(table, mapping)


def histories(services: Services) -> dict[str, list[tuple[str | None, str, date | None]]]:
    """Each engagement's stage changes by its key: (from, to, day entered or None)."""
    with services.db.read() as s:
        stage = {r.id: r.name for r in s.scalars(select(StageRow))}
        out = {}
        for e in s.scalars(select(EngagementRow).where(EngagementRow.external_id.is_not(None))):
            out[str(e.external_id)] = [
                (
                    stage.get(c.from_stage_id or 0),
                    stage[c.to_stage_id],
                    c.changed_at.astimezone().date() if c.entered_known else None,
                )
                for c in s.scalars(
                    select(StageChangeRow)
                    .where(StageChangeRow.engagement_id == e.id)
                    .order_by(StageChangeRow.changed_at, StageChangeRow.id)
                )
            ]
        return out


def engagement(services: Services, key: str) -> EngagementRow:
    with services.db.read() as s:
        row = s.scalars(select(EngagementRow).where(EngagementRow.external_id == key)).one()
        s.expunge(row)
        return row


def change_count(services: Services) -> int:
    with services.db.read() as s:
        return int(s.scalar(select(func.count()).select_from(StageChangeRow)) or 0)


def hunting(services: Services, month: date, today: date = TODAY) -> HuntingMeasures:
    with services.db.read() as s:
        pid = s.scalar(select(ProcessRow.id).where(ProcessRow.kind == "hunting"))
    scope = services.scorecards.scope(pid, None, month_of(month), today)
    m = services.scorecards.measures(scope)
    assert isinstance(m, HuntingMeasures)
    return m


def test_hubspot_stage_date_columns(services: Services) -> None:
    """HubSpot deals export with "Date entered"/"Date exited" columns."""
    result = run(services, HUBSPOT, stages=HUBSPOT_STAGES, handover=False)
    assert result.created == 4
    # H1 every entry; H2 Qualified only; H3 nothing; H4 only its close.
    assert (result.history.full, result.history.partial, result.history.none) == (1, 1, 2)
    assert "Stage history: 1 full, 1 partial, 2 none" in result.summary()
    h = histories(services)
    assert h["H1"] == [
        (None, "Qualified", date(2026, 3, 2)),
        ("Qualified", "Proposal", date(2026, 3, 12)),
        ("Proposal", "Won", date(2026, 4, 20)),
    ]
    # In Proposal now, since a moment the file does not give.
    assert h["H2"] == [(None, "Qualified", date(2026, 3, 6)), ("Qualified", "Proposal", None)]
    assert h["H3"] == [(None, "Qualified", None)]
    # No first stage at the opened date, no straight move to Lost: only the close is known.
    assert h["H4"] == [(None, "Lost", date(2026, 2, 1))]
    h2, h4 = engagement(services, "H2"), engagement(services, "H4")
    # An open deal's close date is its expected close, not a close.
    assert (h2.closed_on, h2.expected_close, h2.stage_entered_at) == (
        None,
        date(2026, 12, 15),
        None,
    )
    assert (h4.closed_on, h4.outcome, h4.expected_close) == (date(2026, 2, 1), "lost", None)

    # The account timeline and the drill-down say "unknown", and a lost row was not "opened".
    from nextlevel_desktop.services.scorecards import engagement_detail

    assert [(t.title, t.detail) for t in services.accounts.timeline(h4.account_id or 0)] == [
        ("Lost Gone", "Bob — Imported")
    ]
    h3 = engagement(services, "H3")
    assert "(date unknown)" in services.accounts.timeline(h3.account_id or 0)[0].detail
    assert [step.known for step in engagement_detail(services.db, h2.id).history] == [True, False]

    before = change_count(services)
    again = run(services, HUBSPOT, stages=HUBSPOT_STAGES, handover=False)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert change_count(services) == before and histories(services) == h


def test_measures_use_only_proven_transitions(services: Services) -> None:
    """Hand-worked on the HubSpot file above (DESIGN §4, "unknown is unknown")."""
    run(services, HUBSPOT, stages=HUBSPOT_STAGES, handover=False)
    march = hunting(services, date(2026, 3, 1))
    # Qualified entered in March: H1 (3 Mar) and H2 (6 Mar); both left it forward (H2 is in
    # Proposal now, whenever it moved). H3's entry is unknown: in no cohort.
    # Proposal entered in March: H1 only (H2's entry is unknown); H1 was won.
    qualified, proposal = (
        next(f for f in march.stages if f.name == n) for n in ("Qualified", "Proposal")
    )
    assert (qualified.entered, qualified.left_forward) == (2, 2)
    assert (proposal.entered, proposal.left_forward) == (1, 1)
    # Stays that ended in March: H1's Qualified (2 → 12 March = 10 days); H2's ended at an
    # unknown moment and counts in no time figure.
    assert march.time_in_stage_days_median["Qualified"] == 10
    # Open on 31 March: H1 in Proposal since 12 March (19 days > 14: stalled), H2 and H3 in
    # stages entered at unknown moments: never stalled.
    assert (march.open_count, march.stalled_count) == (3, 1)
    april = hunting(services, date(2026, 4, 1))
    assert april.time_in_stage_days_median["Proposal"] == 39  # 12 March → 20 April (H1)
    # Today: H2 and H3 open for months, but not stalled on arrival.
    now = hunting(services, TODAY)
    assert (now.open_count, now.stalled_count) == (2, 0)
    # The first stage's conversion is not the win rate: Suspect was never proven entered.
    assert march.stage_conversion["Suspect"] is None


def test_handover_on_import_follows_the_setting(services: Services) -> None:
    """HubSpot deals export: a won hunting row hands its account over, dated at the close."""
    WorkspaceService(services.db).put_values({"handover": "ask"})
    asked = run(services, HUBSPOT, stages=HUBSPOT_STAGES)
    assert asked.handovers == 0  # "ask" with no answer: no handover
    result = run(
        services, HUBSPOT.replace("H1,Big one", "H9,Big two"), stages=HUBSPOT_STAGES, handover=True
    )
    assert result.handovers == 1 and "Handed 1 won account(s) over to farming" in result.summary()
    won = engagement(services, "H9")
    with services.db.read() as s:
        farm = s.scalars(
            select(EngagementRow).where(EngagementRow.source_engagement_id == won.id)
        ).one()
        stage = s.get(StageRow, farm.stage_id)
        process = s.get(ProcessRow, farm.process_id)
        assert process is not None and process.kind == "farming"
        assert stage is not None and stage.name == "Onboarding"
        assert farm.account_id == won.account_id and farm.opened_on == date(2026, 4, 20)
        assert farm.stage_entered_at is not None
        assert farm.stage_entered_at.astimezone().date() == date(2026, 4, 20)
    again = run(
        services, HUBSPOT.replace("H1,Big one", "H9,Big two"), stages=HUBSPOT_STAGES, handover=True
    )
    assert (again.created, again.updated, again.handovers) == (0, 0, 0)


# Salesforce report "Opportunities" and the Opportunity History object as Data Loader exports
# it (API names: OPPORTUNITYID, STAGENAME, CREATEDDATE in ISO 8601 with "Z").
SF_OPPORTUNITIES = (
    "Opportunity ID,Opportunity Name,Account Name,Stage,Amount,Close Date,Created Date,"
    "Opportunity Owner\n"
    "006A1,Renewal plus,Acme,Closed Won,1000,2026-03-20,2026-01-05,Ann\n"
    "006A2,New site,Beta,Negotiation/Review,2000,2026-12-31,2026-02-01,Bob\n"
)
SF_HISTORY = (
    "OPPORTUNITYID,STAGENAME,AMOUNT,CLOSEDATE,CREATEDDATE\n"
    "006A1,Prospecting,1000,2026-03-31,2026-01-05T09:00:00.000Z\n"
    "006A1,Qualification,1000,2026-03-31,2026-01-20T09:00:00.000Z\n"
    "006A1,Proposal/Price Quote,1000,2026-03-31,2026-02-10T09:00:00.000Z\n"
    "006A1,Closed Won,1000,2026-03-20,2026-03-20T09:00:00.000Z\n"
    "006A2,Prospecting,2000,2026-12-31,2026-02-01T09:00:00.000Z\n"
    "006A2,Negotiation/Review,2000,2026-12-31,2026-03-01T09:00:00.000Z\n"
)
SF_STAGES = {"Prospecting": "Prospect", "Qualification": "Qualified"}


def test_salesforce_opportunity_history_file(services: Services) -> None:
    """Salesforce Opportunities report, then its Opportunity History (--as stage-history)."""
    first = run(services, SF_OPPORTUNITIES, stages=SF_STAGES, handover=False)
    assert (first.history.full, first.history.none) == (0, 2)
    history = run(services, SF_HISTORY, ImportKind.STAGE_HISTORY, stages=SF_STAGES)
    assert (history.updated, history.unchanged) == (2, 0)
    assert (history.history.full, history.history.partial, history.history.none) == (2, 0, 0)
    h = histories(services)
    assert h["006A1"] == [
        (None, "Prospect", date(2026, 1, 5)),
        ("Prospect", "Qualified", date(2026, 1, 20)),
        ("Qualified", "Proposal", date(2026, 2, 10)),
        ("Proposal", "Won", date(2026, 3, 20)),
    ]
    assert h["006A2"] == [
        (None, "Prospect", date(2026, 2, 1)),
        ("Prospect", "Negotiation", date(2026, 3, 1)),
    ]
    a2 = engagement(services, "006A2")
    assert a2.stage_entered_at is not None
    assert a2.stage_entered_at.astimezone().date() == date(2026, 3, 1)
    assert a2.expected_close == date(2026, 12, 31) and a2.closed_on is None
    # Both files again: nothing changes, and the opportunities keep the history file's story.
    count = change_count(services)
    again = run(services, SF_HISTORY, ImportKind.STAGE_HISTORY, stages=SF_STAGES)
    assert (again.updated, again.unchanged) == (0, 2)
    opps = run(services, SF_OPPORTUNITIES, stages=SF_STAGES, handover=False)
    assert (opps.updated, opps.unchanged) == (0, 2)
    assert change_count(services) == count and histories(services) == h


def test_stage_history_rows_need_a_known_engagement(services: Services) -> None:
    """Salesforce Opportunity History naming an opportunity that was never imported."""
    table = parse_csv(SF_HISTORY.encode())
    mapping = ImportMapping(
        ImportKind.STAGE_HISTORY,
        services.importing.guess(table, ImportKind.STAGE_HISTORY),
        stages=SF_STAGES,
    )
    check = services.importing.check(table, mapping)
    assert check.valid == 0 and check.blocked
    assert "there is no opportunity or account plan “006A1”" in check.problems[0].reason


# Pipedrive "Export deals": the stage stays the last open one and "Deal - Status" says won or
# lost, with "Won time"/"Lost time", "Last stage change" and "Expected close date"; the deal
# flow (GET /deals/{id}/flow, stage updates) flattened to Deal ID, New value, Log time.
PIPEDRIVE = (
    "Deal - ID,Deal - Title,Deal - Organization,Deal - Stage,Deal - Status,Deal - Value,"
    "Deal - Owner,Deal - Deal created,Deal - Expected close date,Deal - Won time,"
    "Deal - Lost time,Deal - Last stage change\n"
    "11,Shop fit,Acme,Negotiations Started,won,900,Ann,2026-02-02 08:00:00,2026-05-01,"
    "2026-04-10 15:30:00,,2026-03-20 11:00:00\n"
    "12,Cafe,Beta,Proposal Made,lost,400,Ann,2026-02-03 08:00:00,2026-06-30,,"
    "2026-03-15 09:00:00,\n"
    "13,Bakery,Gamma,Proposal Made,open,600,Bob,2026-02-04 08:00:00,2027-01-15,,,"
    "2026-03-01 10:00:00\n"
)
PIPEDRIVE_FLOW = (
    "Deal ID,Field,Old value,New value,Log time\n"
    "13,stage_id,,Lead In,2026-02-04 08:00:00\n"
    "13,stage_id,Lead In,Proposal Made,2026-03-01 10:00:00\n"
)
PIPEDRIVE_STAGES = {"Lead In": "Suspect", "Negotiations Started": "Negotiation"}


def test_pipedrive_deals_and_deal_flow(services: Services) -> None:
    """Pipedrive deals export (status, won/lost time, last stage change) and its deal flow."""
    result = run(services, PIPEDRIVE, stages=PIPEDRIVE_STAGES, handover=False)
    assert result.created == 3
    h = histories(services)
    # Won from Negotiation (entered at the last stage change) at the won time; the lost deal
    # was in Proposal since a moment the file does not give; the open one since 1 March.
    assert h["11"] == [
        (None, "Negotiation", date(2026, 3, 20)),
        ("Negotiation", "Won", date(2026, 4, 10)),
    ]
    assert h["12"] == [(None, "Proposal", None), ("Proposal", "Lost", date(2026, 3, 15))]
    assert h["13"] == [(None, "Proposal", date(2026, 3, 1))]
    won, lost = engagement(services, "11"), engagement(services, "12")
    # Closed at the won/lost time, never at the expected close date.
    assert (won.closed_on, won.expected_close) == (date(2026, 4, 10), date(2026, 5, 1))
    assert (lost.closed_on, lost.expected_close) == (date(2026, 3, 15), date(2026, 6, 30))
    flow = run(services, PIPEDRIVE_FLOW, ImportKind.STAGE_HISTORY, stages=PIPEDRIVE_STAGES)
    assert (flow.updated, flow.history.full) == (1, 1)
    assert histories(services)["13"] == [
        (None, "Suspect", date(2026, 2, 4)),
        ("Suspect", "Proposal", date(2026, 3, 1)),
    ]


def test_rows_without_an_opened_date_are_refused_or_given_the_chosen_date(
    services: Services,
) -> None:
    text = "id,Deal Name,Stage,Created\nN1,No date,Proposal,\n"
    table = parse_csv(text.encode())
    guessed = services.importing.guess(table, ImportKind.ENGAGEMENTS)
    check = services.importing.check(table, ImportMapping(ImportKind.ENGAGEMENTS, guessed))
    assert [(p.row, p.reason.split(":")[0]) for p in check.problems] == [
        (2, "the opened date is empty")
    ]
    mapping = ImportMapping(ImportKind.ENGAGEMENTS, guessed, opened_default=date(2026, 1, 31))
    assert ImportMapping.from_json(mapping.to_json()) == mapping
    services.importing.run(table, mapping)
    assert engagement(services, "N1").opened_on == date(2026, 1, 31)


def test_a_0001_workspace_keeps_its_data_and_its_history_stays_known(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from alembic import command
    from sqlalchemy import create_engine

    from nextlevel_desktop.services.workspace import open_workspace
    from nextlevel_desktop.storage import migrate

    path = tmp_path / "old.nlw"
    db, _ = open_workspace(path, demo=True)
    with db.read() as s:
        before = (
            s.scalar(select(func.count()).select_from(EngagementRow)),
            s.scalar(select(func.count()).select_from(StageChangeRow)),
            s.scalar(select(func.sum(EngagementRow.value_minor))),
        )
    db.close()
    engine = create_engine(f"sqlite:///{path}")
    cfg = migrate._config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
    engine.dispose()
    db, created = open_workspace(path)  # backs up, then migrates to the head
    try:
        assert not created
        with db.read() as s:
            after = (
                s.scalar(select(func.count()).select_from(EngagementRow)),
                s.scalar(select(func.count()).select_from(StageChangeRow)),
                s.scalar(select(func.sum(EngagementRow.value_minor))),
            )
            unknown = s.scalar(select(func.count()).where(StageChangeRow.entered_known.is_(False)))
            expected = s.scalar(
                select(func.count()).where(EngagementRow.expected_close.is_not(None))
            )
        assert after == before and before[1]
        assert (unknown, expected) == (0, 0)  # recorded by the app: every entry known
    finally:
        db.close()
