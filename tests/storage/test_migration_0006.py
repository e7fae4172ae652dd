"""Migration 0006 (team reviews): a 0005 workspace's reviews and their actions stay intact."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from nextlevel_desktop.services.container import Services
from nextlevel_desktop.services.reviews import ReviewRecord
from nextlevel_desktop.services.workspace import open_workspace
from nextlevel_desktop.storage import migrate
from nextlevel_desktop.storage.db import APPLICATION_ID


def test_a_0005_workspace_keeps_its_reviews(tmp_path: Path) -> None:
    path = tmp_path / "old.nlw"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        migrate.upgrade(conn, "0005")
    engine.dispose()
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA application_id={APPLICATION_ID}")
    con.executescript(
        """
        INSERT INTO person (id, name, email, role, active, created_at, team, office)
            VALUES (1, 'Ann', '', 'rep', 1, '2026-01-01', 'East', ''),
                   (2, 'Max', '', 'manager', 1, '2026-01-01', '', '');
        INSERT INTO review (id, person_id, reviewer_id, period, period_start, period_end,
            held_on, notes, created_at)
            VALUES (7, 1, 2, 'month', '2026-09-01', '2026-09-30', '2026-10-02', 'Good month.',
                    '2026-10-02');
        INSERT INTO agreed_action (id, review_id, position, text, due_on, done, done_on)
            VALUES (3, 7, 0, 'Book 3 demos', '2026-10-30', 1, '2026-10-20'),
                   (4, 7, 1, 'Call Alder', NULL, 0, NULL);
        """
    )
    con.commit()
    con.close()
    db, created = open_workspace(path, create=False)
    try:
        assert not created
        services = Services.for_database(db)
        (review,) = services.reviews.reviews_of(1)
        assert (review.id, review.person_id, review.team, review.reviewer_id) == (7, 1, "", 2)
        assert (review.person_name, review.notes, review.period.start) == (
            "Ann",
            "Good month.",
            date(2026, 9, 1),
        )
        assert [(a.id, a.text, a.done, a.done_on) for a in review.actions] == [
            (3, "Book 3 demos", True, date(2026, 10, 20)),
            (4, "Call Alder", False, None),
        ]
        # The migrated file takes team reviews, and still refuses a review of nobody.
        team = services.reviews.save(
            ReviewRecord(None, review.period, date(2026, 10, 3), team="East")
        )
        assert services.reviews.review(team.ids["review"]).team == "East"
        with db.transaction() as s:
            names = {r[1] for r in s.connection().exec_driver_sql("PRAGMA index_list(review)")}
        assert {"ix_review_person_held", "ix_review_team_held"} <= names
    finally:
        db.close()
    con = sqlite3.connect(path)
    with pytest.raises(sqlite3.IntegrityError, match="person_or_team"):
        con.execute(
            "INSERT INTO review (person_id, period, period_start, period_end, held_on, notes,"
            " created_at) VALUES (NULL, 'month', '2026-09-01', '2026-09-30', '2026-10-02', '',"
            " '2026-10-02')"
        )
    con.close()


def test_downgrade_to_0005_drops_team_reviews_with_their_actions(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'm.db'}")
    with engine.begin() as conn:
        migrate.upgrade(conn)
        conn.exec_driver_sql(
            """INSERT INTO person (id, name, email, role, active, created_at, team, office)
            VALUES (1, 'Ann', '', 'rep', 1, '2026-01-01', 'East', '')"""
        )
        for rid, person, team in ((1, 1, None), (2, None, "East")):
            conn.exec_driver_sql(
                "INSERT INTO review (id, person_id, team, period, period_start, period_end,"
                " held_on, notes, created_at) VALUES (?, ?, ?, 'month', '2026-09-01',"
                " '2026-09-30', '2026-10-02', '', '2026-10-02')",
                (rid, person, team),
            )
            conn.exec_driver_sql(
                "INSERT INTO agreed_action (review_id, position, text, done) VALUES (?, 0, 'x', 0)",
                (rid,),
            )
    from alembic import command

    cfg = migrate._config()
    with engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # as the app migrates
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT id, person_id FROM review").all() == [(1, 1)]
        assert conn.exec_driver_sql("SELECT review_id FROM agreed_action").all() == [(1,)]
    engine.dispose()
