"""Where each stage change went next, kept on the row (issue 16: the Monitor's measures
within 250 ms on a million activities).

``stage_change.next_stage_id`` is the stage of the engagement's next change (``NULL``: none
yet), filled here from the history there is and kept right by triggers in the transaction of
every insert, delete and update of ``stage_change`` — whoever writes (moves, undo and redo,
import, demo data, salvage). The trigger DDL lives in ``storage/stage_links.py``, shared with
the bulk inserts that suspend the triggers; a later migration that recreates the
``stage_change`` table (batch mode) must create them again. The stage index gains the column,
so a period's entries and where they went are counted on that index alone.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

from nextlevel_desktop.storage.stage_links import CREATE_TRIGGERS, DROP_TRIGGERS, relink

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

INDEX = "ix_stage_change_to_at"
BEFORE = ["to_stage_id", "changed_at", "engagement_id", "entered_known"]


def upgrade() -> None:
    op.add_column("stage_change", sa.Column("next_stage_id", sa.Integer(), nullable=True))
    op.drop_index(INDEX, table_name="stage_change")  # (filled before it is built again)
    op.execute(relink())
    op.create_index(INDEX, "stage_change", [*BEFORE, "next_stage_id"], unique=False)
    for sql in CREATE_TRIGGERS:
        op.execute(sql)


def downgrade() -> None:
    for sql in DROP_TRIGGERS:
        op.execute(sql)
    op.drop_index(INDEX, table_name="stage_change")
    op.execute("ALTER TABLE stage_change DROP COLUMN next_stage_id")
    op.create_index(INDEX, "stage_change", BEFORE, unique=False)
