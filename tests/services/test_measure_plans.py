"""The Monitor's measures read indexes alone (issue 14: a refresh within 250 ms on 1,000,000
activities): no engagement or stage-change table row per engagement or move, and a stay's
neighbouring move found with no sort. Checked on SQLite's own query plans, in a workspace
with no statistics (as every user's is), for a person, a team and everybody."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

from sqlalchemy import event

from nextlevel_desktop.domain.activities import ActivityFilter
from nextlevel_desktop.domain.models import ActivityStatus
from nextlevel_desktop.domain.periods import Granularity, custom, month_of
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.planning import PlanningService
from nextlevel_desktop.services.scorecards import Scope
from nextlevel_desktop.storage.stage_links import relink_above

TODAY = date(2026, 11, 27)
# A plan line reading engagements or moves (under any alias).
TABLE_READ = re.compile(r"(SEARCH|SCAN) (engagement|stage_change|sc_\w+|e_won)\b")


@contextmanager
def statements(services: Services) -> Iterator[list[tuple[str, object]]]:
    engine = services.db.engine
    seen: list[tuple[str, object]] = []

    def capture(_c, _cur, statement, params, _ctx, _many):  # type: ignore[no-untyped-def]
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, params))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", capture)


def plans(services: Services, seen: list[tuple[str, object]]) -> list[tuple[str, str]]:
    """(plan line, statement) for every line of every statement's query plan."""
    with services.db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        return [
            (row[3], statement)
            for statement, params in seen
            for row in raw.execute("EXPLAIN QUERY PLAN " + statement, params)  # type: ignore[arg-type]
        ]


def scopes(services: Services) -> list[Scope]:
    people = services.people.people()
    members = (people[0].id, people[1].id)  # a team: its people's engagements and moves
    period = month_of(TODAY)
    out = []
    for process in services.processes.processes():
        out += [
            Scope(process, people[0].id, period, TODAY),
            Scope(process, None, period, TODAY),
            Scope(process, None, period, TODAY, "North", members),
        ]
    return out


def test_measures_read_no_engagement_or_move_row(demo_services: Services) -> None:
    planning = PlanningService(demo_services.db)
    with statements(demo_services) as seen:
        for scope in scopes(demo_services):
            demo_services.scorecards.scorecard(scope)
            demo_services.health.stage_health(scope)
            half_year = custom(date(2026, 5, 1), TODAY)
            planning.window(Scope(scope.process, scope.person_id, half_year, TODAY))
            planning.pace(scope)
    lines = plans(demo_services, seen)
    reads = [line for line, _ in lines if TABLE_READ.match(line)]
    assert any("ix_engagement_owner_process" in line for line in reads)  # the person's
    assert any("ix_engagement_process_closed" in line for line in reads)  # everybody's
    assert any("sc_prev" in line for line in reads)
    # Where each entry went next is on the row: the entries are counted on the stage index
    # alone, with no lookup per entry (issue 16).
    entries = [line for line, st in lines if "next_stage_id" in st]
    assert any("COVERING INDEX ix_stage_change_to_at" in line for line in entries)
    assert not any("CORRELATED" in line or "sc_next" in line for line in entries)
    row_reads = [
        (line, statement)
        for line, statement in lines
        if TABLE_READ.match(line)
        and "COVERING INDEX" not in line
        and "INTEGER PRIMARY KEY" not in line
        # The handover lag reads the few engagements handed over from the period's wins.
        and "source_engagement_id" not in statement
    ]
    assert row_reads == []
    sorts = [(line, st) for line, st in lines if "RIGHT PART" in line and "stage_change" in st]
    assert sorts == []


def test_activity_chart_counts_along_the_index(demo_services: Services) -> None:
    """Everybody's done activities per month over a year: grouped by day and type in the
    index's own order (no sort of every row into buckets), bucketed in Python."""
    hunting = demo_services.processes.processes()[0]
    scope = Scope(hunting, None, month_of(TODAY), TODAY)
    year = custom(date(2025, 12, 1), date(2026, 11, 30))
    with statements(demo_services) as seen:
        series = demo_services.scorecards.activity_series(scope, year, Granularity.MONTH)
    assert len(series.buckets) > 2 and sum(sum(b.counts.values()) for b in series.buckets)
    lines = [line for line, st in plans(demo_services, seen) if "FROM activity " in st]
    assert any("COVERING INDEX ix_activity_process_status_on" in line for line in lines)
    assert not any("TEMP B-TREE" in line for line in lines)


# ``sqlite_stat1`` as a large workspace analysed before the covering indexes came has it: a
# process's kind named by one row, an account's engagements by seven.
LARGE_STATS = (
    ("engagement", "ix_engagement_account_id", "130354 7"),
    ("engagement", "ix_engagement_process_stage", "130354 65177 9311"),
    ("engagement", "ix_engagement_stage_id", "130354 9311"),
    ("process", "ix_process_kind", "2 1"),
)


def load_statistics(services: Services, stats: tuple[tuple[str, str, str], ...]) -> None:
    """Replace the workspace's statistics by ``stats`` (as a stale ANALYZE left them)."""
    with services.db.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
        conn.exec_driver_sql("DELETE FROM sqlite_stat1")
        for row in stats:
            conn.exec_driver_sql("INSERT INTO sqlite_stat1 VALUES (?, ?, ?)", row)
    services.db.engine.dispose()  # new connections load the statistics


def test_accounts_page_reads_each_accounts_own_engagements(demo_services: Services) -> None:
    """The Accounts list's figures seek each account's engagements by its account index, with
    or without statistics: a search through a process's engagements per account took 8 s for
    a page of 200 accounts on the large workspace."""
    for analysed in (False, True):
        if analysed:
            load_statistics(demo_services, LARGE_STATS)
        with statements(demo_services) as seen:
            lines = demo_services.accounts.lines("", 0, 200)
        assert lines and any(line.hunting or line.farming for line in lines)
        found = plans(demo_services, seen)
        engagement_reads = [line for line, _ in found if re.search(r"SEARCH engagement\b", line)]
        assert engagement_reads
        assert all("(account_id=?)" in line for line in engagement_reads), engagement_reads


# As generate.py's ANALYZE left them on the large workspaces, before the person list's index.
ACTIVITY_STATS = (
    ("activity", "ix_activity_person_on", "1000000 20409 26 13 13 4"),
    ("activity", "ix_activity_status_at", "1000000 500000 35"),
    ("activity", "ix_activity_status_on", "1000000 500000 1254"),
    ("activity", "ix_activity_process_status_on", "1000000 500000 250000 627 114"),
    ("activity", "ix_activity_occurred_at", "1000000 35"),
)


def test_a_person_filter_walks_the_person_index(demo_services: Services) -> None:
    """The activity list filtered to one person's done work (issue 14: shown within 200 ms on
    1,000,000 activities): counted from the kept counts, its first and last pages read along
    the person index, LIMITed, never every row of the person read and sorted (218 ms for
    20,000 rows), with or without statistics."""
    service = demo_services.activities
    person = demo_services.people.people()[0].id
    flt = ActivityFilter(person_id=person, status=ActivityStatus.DONE)
    for analysed in (False, True):
        if analysed:
            load_statistics(demo_services, ACTIVITY_STATS)
        with statements(demo_services) as seen:
            total = service.count(flt)
            first = service.page(flt, 0, 200, total=total)
            last = service.page(flt, total - 1, 200, total=total)
        assert total > 200 and len(first) == 200 and len(last) == 1
        lines = [(line, st) for line, st in plans(demo_services, seen) if "activity" in st]
        walks = [(line, st) for line, st in lines if re.match(r"(SCAN|SEARCH) activity\b", line)]
        walks = [(line, st) for line, st in walks if "PRIMARY KEY" not in line]  # the page's rows
        index = "COVERING INDEX ix_activity_person_status_at (person_id=? AND status=?)"
        assert len(walks) == 2 and all(index in line for line, _ in walks), walks
        assert all("LIMIT" in st for _, st in walks)
        assert not any("TEMP B-TREE" in line for line, _ in lines)


def test_a_bulk_insert_relinks_its_engagements_in_one_indexed_statement(
    demo_services: Services,
) -> None:
    """The relink after an import: the new changes by id range, their engagements' rows and
    each next stage by seeks in ix_stage_change_engagement_at — never a scan of the table or
    a sort per engagement (a million-row history is imported into)."""
    with demo_services.db.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        last = raw.execute("SELECT max(id) / 2 FROM stage_change").fetchone()[0]
        lines = [row[3] for row in raw.execute("EXPLAIN QUERY PLAN " + relink_above(last))]
    assert not [line for line in lines if line.startswith("SCAN") or "TEMP B-TREE" in line]
    searches = [line for line in lines if line.startswith("SEARCH")]
    assert "SEARCH stage_change USING INTEGER PRIMARY KEY (rowid>?)" in searches
    assert (
        "SEARCH stage_change USING INDEX ix_stage_change_engagement_at (engagement_id=?)"
        in searches
    )
    seeks = [line for line in searches if line.startswith("SEARCH n ")]
    assert len(seeks) == 2  # the next stage written, and compared with the one there
    assert set(seeks) == {
        "SEARCH n USING COVERING INDEX ix_stage_change_engagement_at "
        "(engagement_id=? AND changed_at>?)"
    }
