"""Activity counts per process, type, person and status, kept by triggers.

The activity list counts its rows again after every write; a COUNT over a million done
activities takes 50–70 ms. ``activity_count`` holds the count per (process, type, person,
status) (``person_id`` 0: nobody), built here from the rows there are and kept right by
triggers in the transaction of every insert, delete and update of ``activity`` — whoever
writes (logging, undo and redo, import, demo data, salvage). The trigger DDL lives in
``storage/activity_counts.py``, shared with the bulk inserts that suspend the triggers; a later
migration that recreates the ``activity`` table (batch mode) must create them again.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

from nextlevel_desktop.storage.activity_counts import CREATE_TRIGGERS, DROP_TRIGGERS, count_rows

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "activity_count",
        sa.Column("process_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("type_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("person_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "process_id", "type_id", "person_id", "status", name=op.f("pk_activity_count")
        ),
    )
    op.execute(count_rows())
    for sql in CREATE_TRIGGERS:
        op.execute(sql)


def downgrade() -> None:
    for sql in DROP_TRIGGERS:
        op.execute(sql)
    op.drop_table("activity_count")
