"""Where each stage change went next, kept on the row (``storage/stage_links.py``, migration
0008): right after every kind of write, and the same answer as looking it up each time."""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from alembic import command
from old_workspaces import workspace_at_0001
from sqlalchemy import create_engine

from nextlevel_desktop.domain.importing import ImportKind, ImportMapping, parse_csv
from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.demo import generate_demo
from nextlevel_desktop.services.workspace import open_workspace
from nextlevel_desktop.storage import migrate
from nextlevel_desktop.storage.salvage import salvage_workspace
from nextlevel_desktop.storage.stage_links import CREATE_TRIGGERS, with_next_stages

# The lookup the column replaces, word for word the rule the entries query had.
LOOKUP = (
    "SELECT n.to_stage_id FROM stage_change AS n WHERE n.engagement_id = s.engagement_id "
    "AND n.changed_at > s.changed_at ORDER BY n.changed_at, n.id LIMIT 1"
)


def links(path: Path) -> tuple[int, int, int]:
    """(changes, changes with a next stage, changes whose kept next stage is wrong)."""
    con = sqlite3.connect(path)
    try:
        return con.execute(
            f"SELECT count(*), count(next_stage_id), coalesce(sum(next_stage_id IS NOT "
            f"({LOOKUP})), 0) FROM stage_change AS s"
        ).fetchone()
    finally:
        con.close()


def triggers(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        rows = con.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'stage_change' "
            "ORDER BY name"
        )
        return [str(r[0]) for r in rows]
    finally:
        con.close()


def to(path: Path, revision: str, down: bool = False) -> None:
    engine = create_engine(f"sqlite:///{path}")
    cfg = migrate._config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        (command.downgrade if down else command.upgrade)(cfg, revision)
    engine.dispose()


def test_every_kind_of_raw_write_keeps_the_links(demo_services: Services) -> None:
    """Inserts (also at the same moment as another change), deletes, moves in time, to another
    engagement or stage, and an engagement deleted with its history: after each, every row's
    next stage is what the lookup says."""
    path = demo_services.db.path
    demo_services.db.close()
    total, linked, wrong = links(path)
    assert total > 100 and linked > 50 and wrong == 0
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA foreign_keys=ON")
    rng = random.Random(7)
    eids = [r[0] for r in con.execute("SELECT id FROM engagement ORDER BY id LIMIT 12")]
    stages = [r[0] for r in con.execute("SELECT id FROM stage WHERE process_id = 1")]
    moments = [f"2026-0{m}-1{d} 10:00:00.000000" for m in range(1, 4) for d in range(3)]
    for step in range(120):
        ids = [
            r[0]
            for r in con.execute(
                f"SELECT id FROM stage_change WHERE engagement_id IN ({','.join(map(str, eids))})"
            )
        ]
        action = step % 5
        if action in (0, 1):  # a new change, often at a moment another change has
            con.execute(
                "INSERT INTO stage_change (engagement_id, to_stage_id, changed_at, "
                "entered_known, note) VALUES (?, ?, ?, 1, '')",
                (rng.choice(eids), rng.choice(stages), rng.choice(moments)),
            )
        elif action == 2:
            con.execute("DELETE FROM stage_change WHERE id = ?", (rng.choice(ids),))
        elif action == 3:
            con.execute(
                "UPDATE stage_change SET changed_at = ? WHERE id = ?",
                (rng.choice(moments), rng.choice(ids)),
            )
        else:
            con.execute(
                "UPDATE stage_change SET engagement_id = ?, to_stage_id = ? WHERE id = ?",
                (rng.choice(eids), rng.choice(stages), rng.choice(ids)),
            )
        assert links(path)[2] == 0, f"step {step}"
    ties = con.execute(
        "SELECT count(*) FROM (SELECT 1 FROM stage_change GROUP BY engagement_id, changed_at "
        "HAVING count(*) > 1)"
    ).fetchone()[0]
    assert ties > 0  # the tie rule was exercised
    con.execute("DELETE FROM engagement WHERE id = ?", (eids[0],))  # its history cascades
    con.close()
    assert links(path)[2] == 0


def test_moves_undo_and_redo_keep_the_links(demo_services: Services) -> None:
    s = demo_services
    deal = next(e for e in s.engagements.engagements() if e.outcome is None)
    stages = s.processes.process(deal.process_id).open_stages
    other = next(st for st in stages if st.id != deal.stage_id)
    # A move back in time, before the engagement's latest change: earlier rows relink.
    at = datetime.now(UTC) - timedelta(days=400)
    rev = s.engagements.move(deal.id, other.id, None, at=at)
    assert links(s.db.path)[2] == 0
    s.revisions.revert(rev)
    assert links(s.db.path)[2] == 0
    s.revisions.reapply(rev)
    assert links(s.db.path)[2] == 0
    back = s.engagements.move(deal.id, deal.stage_id, None)
    s.revisions.revert(back)
    assert links(s.db.path)[2] == 0


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
    "006A1,Proposal/Price Quote,1000,2026-03-31,2026-01-20T09:00:00.000Z\n"
    "006A1,Closed Won,1000,2026-03-20,2026-03-20T09:00:00.000Z\n"
    "006A2,Prospecting,2000,2026-12-31,2026-02-01T09:00:00.000Z\n"
    "006A2,Negotiation/Review,2000,2026-12-31,2026-03-01T09:00:00.000Z\n"
)
SF_STAGES = {"Prospecting": "Prospect", "Qualification": "Qualified"}


def _import(services: Services, text: str, kind: ImportKind, **kw: object) -> None:
    table = parse_csv(text.encode())
    mapping = ImportMapping(kind, services.importing.guess(table, kind), **kw)  # type: ignore[arg-type]
    services.importing.run(table, mapping)


def test_imports_link_once_and_leave_the_triggers(demo_services: Services) -> None:
    """An import of engagements (with their handovers), then of their stage history (which
    replaces the imported history), into a workspace with history: all linked, triggers back."""
    s = demo_services
    before = triggers(s.db.path)
    assert before == sorted(CREATE_TRIGGERS, key=lambda sql: sql.split()[2])
    _import(s, SF_OPPORTUNITIES, ImportKind.ENGAGEMENTS, stages=SF_STAGES)
    assert links(s.db.path)[2] == 0
    _import(s, SF_HISTORY, ImportKind.STAGE_HISTORY, stages=SF_STAGES)
    total, linked, wrong = links(s.db.path)
    assert wrong == 0 and triggers(s.db.path) == before
    # The triggers work again: a move after the import is linked.
    deal = next(e for e in s.engagements.engagements() if e.external_id == "006A2")
    first = s.processes.process(deal.process_id).stages[0]
    s.engagements.move(deal.id, first.id, None)
    assert links(s.db.path) == (total + 1, linked + 1, 0)


def test_a_salvaged_copy_is_linked(demo_services: Services, tmp_path: Path) -> None:
    path = demo_services.db.path
    demo_services.db.close()
    con = sqlite3.connect(path)
    con.execute("UPDATE stage_change SET next_stage_id = NULL")  # damaged: links lost
    con.commit()
    con.close()
    report = salvage_workspace(path, tmp_path / "salvaged.nlw")
    assert report.tables
    total, linked, wrong = links(tmp_path / "salvaged.nlw")
    assert total > 100 and linked > 50 and wrong == 0
    assert triggers(tmp_path / "salvaged.nlw") == triggers(path)


def test_a_0007_workspace_gets_its_links_and_goes_back(tmp_path: Path) -> None:
    path = tmp_path / "w.nlw"
    db, _ = open_workspace(path)
    generate_demo(db)
    db.close()
    expected = links(path)
    to(path, "0007", down=True)
    con = sqlite3.connect(path)
    columns = [r[1] for r in con.execute("PRAGMA table_info(stage_change)")]
    index = [r[2] for r in con.execute("PRAGMA index_info(ix_stage_change_to_at)")]
    con.close()
    assert "next_stage_id" not in columns and "next_stage_id" not in index
    assert triggers(path) == []
    db, _ = open_workspace(path, create=False)  # migrates to the head
    db.close()
    assert links(path) == expected and expected[1] > 50
    assert len(triggers(path)) == 3


def test_a_0001_workspace_keeps_its_history_and_gets_links(tmp_path: Path) -> None:
    path = tmp_path / "old.nlw"
    con = workspace_at_0001(path)
    con.executescript(
        """
        INSERT INTO person (id, name, email, role, active, created_at)
            VALUES (1, 'Ann', 'ann@x.com', 'rep', 1, '2026-01-01');
        INSERT INTO account (id, name, industry, website, phone, notes, external_id, archived,
            created_at) VALUES (1, 'Acme', 'Retail', '', '', 'n', 'C-1', 0, '2026-01-01');
        INSERT INTO process (id, kind, name, purpose, archived, position, review_cadence_days,
            created_at) VALUES (1, 'hunting', 'Sales', '', 0, 0, 90, '2026-01-01');
        INSERT INTO stage (id, process_id, name, position, category, guidance, color, archived)
            VALUES (1, 1, 'Lead', 0, 'open', '', '', 0), (2, 1, 'Offer', 1, 'open', '', '', 0),
                   (3, 1, 'Won', 2, 'won', '', '', 0);
        INSERT INTO engagement (id, process_id, account_id, owner_id, stage_id, name,
            value_minor, lost_reason, notes, created_at, external_id)
            VALUES (1, 1, 1, 1, 3, 'Deal', 500, '', '', '2026-01-01', 'D-1');
        INSERT INTO stage_change (id, engagement_id, from_stage_id, to_stage_id, changed_at,
            person_id, note) VALUES
            (1, 1, NULL, 1, '2026-01-01 09:00:00.000000', 1, 'a'),
            (2, 1, 1, 2, '2026-01-05 09:00:00.000000', 1, 'b'),
            (3, 1, 2, 1, '2026-01-05 09:00:00.000000', 1, 'c'),
            (4, 1, 1, 3, '2026-02-01 09:00:00.000000', 1, 'd');
        """
    )
    con.commit()
    con.close()
    db, _ = open_workspace(path, create=False)
    db.close()
    con = sqlite3.connect(path)
    rows = con.execute(
        "SELECT id, from_stage_id, to_stage_id, changed_at, note, next_stage_id "
        "FROM stage_change ORDER BY id"
    ).fetchall()
    con.close()
    # Of the two changes at the same moment the lower id comes first; neither is the other's
    # next (only a strictly later change is).
    assert rows == [
        (1, None, 1, "2026-01-01 09:00:00.000000", "a", 2),
        (2, 1, 2, "2026-01-05 09:00:00.000000", "b", 3),
        (3, 2, 1, "2026-01-05 09:00:00.000000", "c", 3),
        (4, 1, 3, "2026-02-01 09:00:00.000000", "d", None),
    ]
    assert links(path)[2] == 0


def test_new_histories_are_linked_before_they_are_inserted() -> None:
    """The rule in Python (a bulk import's rows need no rewrite): the first strictly later
    change, of a moment's several the first given (the lowest id)."""
    rng = random.Random(3)
    base = datetime(2026, 1, 1, tzinfo=UTC)
    for _ in range(50):
        rows = [
            {
                "engagement_id": rng.choice((1, 2)),
                "changed_at": base + timedelta(days=rng.randrange(4)),
                "to_stage_id": rng.randrange(1, 9),
            }
            for _ in range(rng.randrange(1, 8))
        ]
        expected = []
        for row in rows:
            later = [
                (r["changed_at"], i, r["to_stage_id"])
                for i, r in enumerate(rows)
                if r["engagement_id"] == row["engagement_id"]
                and r["changed_at"] > row["changed_at"]
            ]
            expected.append(min(later)[2] if later else None)
        assert [r["next_stage_id"] for r in with_next_stages(rows)] == expected
