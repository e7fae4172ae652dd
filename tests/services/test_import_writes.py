"""How an import writes: the statements and settings its one transaction runs with."""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, func, select

from nextlevel_desktop.domain.import_records import Converted
from nextlevel_desktop.domain.importing import ImportKind, ImportMapping, parse_csv
from nextlevel_desktop.services.bulk_insert import STEP, sorted_in_steps
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.import_writer import Writer
from nextlevel_desktop.services.importing import load_lookups
from nextlevel_desktop.storage.db import ROOMY_CACHE_KIB
from nextlevel_desktop.storage.orm import ActivityRow, EngagementRow, StageRow

ACTIVITIES = "Date,Activity Type,Assigned To,Company,Notes\n" + "".join(
    f"2026-03-{1 + i % 28:02d} 10:30,Call,Ann Lee,Acme,note {i}\n" for i in range(50)
)


def _import(services: Services, csv: str, kind: ImportKind, **kw: Any) -> None:
    table = parse_csv(csv.encode())
    mapping = ImportMapping(kind, services.importing.guess(table, kind), **kw)
    services.importing.run(table, mapping)


def test_an_import_inserts_with_a_roomy_page_cache_and_gives_it_back(
    services: Services,
) -> None:
    """The default 2 MiB cache spilled a big import's index pages into the WAL and read them
    back within the transaction; the import runs with more room, then sets the size back."""
    seen: list[int] = []

    def before(_conn: Any, cursor: Any, statement: str, *_a: Any) -> None:
        if statement.startswith("INSERT INTO activity "):
            seen.append(cursor.connection.execute("PRAGMA cache_size").fetchone()[0])

    engine = services.db.engine
    with engine.connect() as conn:
        default = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    event.listen(engine, "before_cursor_execute", before)
    try:
        _import(services, ACTIVITIES, ImportKind.ACTIVITIES)
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert seen and set(seen) == {-ROOMY_CACHE_KIB}
    with engine.connect() as conn:  # (the pool's one connection, as the import left it)
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == default


class _Listen:
    def __init__(self, services: Services, start: str) -> None:
        self.engine = services.db.engine
        self.start = start
        self.params: list[Any] = []

    def _before(self, _c: Any, _cur: Any, statement: str, params: Any, _x: Any, many: bool) -> None:
        if statement.startswith(self.start):
            self.params += list(params) if many else [params]

    def __enter__(self) -> list[Any]:
        event.listen(self.engine, "before_cursor_execute", self._before)
        return self.params

    def __exit__(self, *_exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._before)


def _import_activities(services: Services, rows: list[str]) -> list[Any]:
    """Import activity ``rows`` (CSV lines); their moments and notes in id order."""
    _import(
        services,
        "Date,Activity Type,Assigned To,Company,Notes\n" + "".join(rows),
        ImportKind.ACTIVITIES,
    )
    with services.db.read() as s:
        return list(
            s.execute(
                select(ActivityRow.occurred_at, ActivityRow.notes).order_by(ActivityRow.id)
            ).all()
        )


def test_imported_activities_are_inserted_in_time_order(services: Services) -> None:
    """(Each batch then lands on a few pages of the moment-led indexes.) Ids follow the
    moments, not the file's order; every row is there once."""
    rows = [
        f"2026-0{1 + (i * 7) % 9}-{1 + i % 28:02d} 10:30,Call,Ann Lee,Acme,n{i}\n"
        for i in range(40)
    ]
    found = _import_activities(services, rows)
    assert sorted(n for _at, n in found) == sorted(f"n{i}" for i in range(40))
    moments = [at for at, _n in found]
    assert moments == sorted(moments) and moments != [
        at for at, _n in sorted(found, key=lambda f: int(f[1][1:]))
    ]


def test_a_big_files_activities_keep_time_order_and_equal_moments_the_files_order(
    services: Services,
) -> None:
    """They are sorted in steps (buckets of about ``STEP`` rows, so that no single ``sorted``
    holds the interpreter's lock for long): still one stable sort of the whole file."""
    n = 2 * STEP + 300  # more than one bucket, and many rows sharing a moment
    rows = [
        f"2026-0{1 + (i * 7) % 9}-{1 + i % 5:02d} 10:30,Call,Ann Lee,Acme,{i}\n" for i in range(n)
    ]
    found = _import_activities(services, rows)
    in_file = [(at, int(note)) for at, note in found]
    assert in_file == sorted(in_file) and len(in_file) == n  # by moment, then the file's order


def test_sorting_in_steps_is_one_stable_sort_made_of_short_calls() -> None:
    """One ``sorted`` of 100,000 imported activities held the lock 40-70 ms: the GUI thread
    could not run a turn meanwhile. Every ``sorted`` call here takes about ``STEP`` items."""
    rng = random.Random(3)
    items = [(rng.randint(1, 3000) ** 2, i) for i in range(5 * STEP + 17)]  # skewed, with ties
    keys_per_sort: list[int] = []
    inside: list[bool] = []

    def key(item: tuple[int, int]) -> int:
        return item[0]

    def profile(frame: Any, event: str, arg: Any) -> None:
        if arg is sorted and event in ("c_call", "c_return"):
            inside[:] = [event == "c_call"]
            keys_per_sort.extend([0] if event == "c_call" else [])
        elif event == "call" and frame.f_code is key.__code__ and inside == [True]:
            keys_per_sort[-1] += 1

    sys.setprofile(profile)
    try:
        result = sorted_in_steps(items, key)
    finally:
        sys.setprofile(None)
    assert result == sorted(items, key=key)  # (stable: equal keys in their first order)
    assert len(keys_per_sort) > 5 and max(keys_per_sort) <= 2 * STEP
    for size in (0, 1, STEP, STEP + 1):
        assert sorted_in_steps(items[:size], key) == sorted(items[:size], key=key)


def test_a_history_file_dates_only_the_engagements_whose_current_stage_moment_changes(
    services: Services,
) -> None:
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
        "006A2,Prospecting,2026-02-01T09:00:00.000Z\n"
        "006A2,Negotiation/Review,2026-03-01T09:00:00.000Z\n"
    )
    _import(services, opportunities, ImportKind.ENGAGEMENTS, stages=stages, handover=False)
    with services.db.read() as s:
        before = dict(
            s.execute(select(EngagementRow.external_id, EngagementRow.stage_entered_at)).all()
        )
        ids = dict(s.execute(select(EngagementRow.external_id, EngagementRow.id)).all())
    with _Listen(services, "UPDATE engagement SET stage_entered_at") as updates:
        _import(services, history, ImportKind.STAGE_HISTORY, stages=stages)
    with services.db.read() as s:
        after = dict(
            s.execute(select(EngagementRow.external_id, EngagementRow.stage_entered_at)).all()
        )
    assert before["006A2"] is None  # (its row gave no moment for its current stage)
    assert after["006A2"] == datetime(2026, 3, 1, 9, tzinfo=UTC)
    assert after["006A1"] == before["006A1"] is not None  # the close: the same moment
    assert [p[-1] if isinstance(p, tuple) else p["eid"] for p in updates] == [ids["006A2"]]


def test_new_engagements_ids_when_sqlite_did_not_give_the_next_ones(services: Services) -> None:
    """The ids of rows inserted above ``top`` are read back when they are not top + 1, + 2 …"""
    with services.db.transaction() as s:
        top = int(s.scalar(select(func.max(EngagementRow.id))) or 0)
        process = s.scalar(select(StageRow.process_id).limit(1))
        stage = s.scalar(select(StageRow.id).where(StageRow.process_id == process).limit(1))
        for eid, key in ((top + 2, "K2"), (top + 5, "K5")):
            s.add(
                EngagementRow(id=eid, process_id=process, stage_id=stage, name=key, external_id=key)
            )
        s.flush()
        writer = Writer(s, ImportKind.ENGAGEMENTS, Converted(), load_lookups(s))
        assert writer.ids_since(EngagementRow.external_id, top, ["K2", "K5"]) == {
            "K2": top + 2,
            "K5": top + 5,
        }
        s.rollback()


def test_undo_and_redo_of_an_import_run_with_the_roomy_cache_too(services: Services) -> None:
    table = parse_csv(ACTIVITIES.encode())
    kind = ImportKind.ACTIVITIES
    result = services.importing.run(
        table, ImportMapping(kind, services.importing.guess(table, kind))
    )
    assert result.revision is not None
    seen: dict[str, list[int]] = {"DELETE FROM activity": [], "INSERT INTO activity ": []}

    def before(_conn: Any, cursor: Any, statement: str, *_a: Any) -> None:
        for start, sizes in seen.items():
            if statement.startswith(start):
                sizes.append(cursor.connection.execute("PRAGMA cache_size").fetchone()[0])

    engine = services.db.engine
    with engine.connect() as conn:
        default = conn.exec_driver_sql("PRAGMA cache_size").scalar()
    event.listen(engine, "before_cursor_execute", before)
    try:
        services.revisions.revert(result.revision)
        services.revisions.reapply(result.revision)
    finally:
        event.remove(engine, "before_cursor_execute", before)
    assert all(sizes and set(sizes) == {-ROOMY_CACHE_KIB} for sizes in seen.values())
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == default
