"""Migration 0009 (the Pipeline board's index): a 0001 workspace keeps its engagements, gets
the index of its open ones, and the board reads them; going back drops it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from alembic import command
from old_workspaces import rows, workspace_at_0001
from sqlalchemy import create_engine

from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.workspace import open_workspace
from nextlevel_desktop.storage import migrate

ROWS = "SELECT id, stage_id, outcome, value_minor, stage_entered_at FROM engagement ORDER BY id"


def test_a_0001_workspace_keeps_its_engagements_and_gets_the_board_index(tmp_path: Path) -> None:
    path = tmp_path / "old.nlw"
    con = workspace_at_0001(path)
    con.executescript(
        """
        INSERT INTO person (id, name, email, role, active, created_at)
            VALUES (1, 'Ann', '', 'rep', 1, '2026-01-01');
        INSERT INTO process (id, kind, name, purpose, archived, position, review_cadence_days,
            created_at) VALUES (1, 'hunting', 'Sales', '', 0, 0, 90, '2026-01-01');
        INSERT INTO stage (id, process_id, name, position, category, guidance, color, archived,
            expected_days) VALUES (1, 1, 'Lead', 0, 'open', '', '', 0, 10),
            (2, 1, 'Won', 1, 'won', '', '', 0, NULL);
        INSERT INTO engagement (id, process_id, owner_id, stage_id, name, value_minor,
            lost_reason, notes, created_at, outcome, stage_entered_at)
            VALUES (1, 1, 1, 1, 'Old deal', 500, '', '', '2026-01-01', NULL,
                    '2026-01-05 09:00:00.000000'),
                   (2, 1, 1, 1, 'New deal', 700, '', '', '2026-01-01', NULL,
                    '2026-03-01 09:00:00.000000'),
                   (3, 1, NULL, 1, 'Imported', 300, '', '', '2026-01-01', NULL, NULL),
                   (4, 1, 1, 2, 'Closed deal', 900, '', '', '2026-01-01', 'won',
                    '2026-02-01 09:00:00.000000');
        """
    )
    con.commit()
    con.close()
    before = rows(path, ROWS)
    db, created = open_workspace(path, create=False)  # migrates to the head
    try:
        assert not created
        assert rows(path, ROWS) == before
        services = Services.for_database(db)
        (process,) = services.processes.processes()
        board = services.engagements.board(process, date(2026, 3, 5), 100)
        lead = board.stages[1]
        assert [e.name for e in lead.cards] == ["Old deal", "New deal", "Imported"]
        assert (lead.count, lead.value_minor, lead.stalled) == (3, 1500, 1)
        assert lead.cards[0].stage_entered_at == datetime(2026, 1, 5, 9, tzinfo=UTC)
        assert (board.count, board.value_minor) == (3, 1500)
    finally:
        db.close()
    (sql,) = rows(path, "SELECT sql FROM sqlite_master WHERE name = 'ix_engagement_board'")[0]
    assert "WHERE outcome IS NULL" in str(sql)
    # The index holds the open engagements only.
    indexed = "SELECT count(*) FROM engagement INDEXED BY ix_engagement_board WHERE outcome IS NULL"
    assert rows(path, indexed) == [(3,)]

    engine = create_engine(f"sqlite:///{path}")
    cfg = migrate._config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0008")
    engine.dispose()
    assert rows(path, "SELECT name FROM sqlite_master WHERE name = 'ix_engagement_board'") == []
    assert rows(path, ROWS) == before
