"""The Pipeline board's index (issue 14: another process on the board within 200 ms).

A process's open engagements by stage, oldest in it first, with the owner and value (a partial
index: open engagements only, about a tenth of them on a large workspace). The board reads each
stage's figures from this index alone, and each column's oldest cards by a seek that stops at
its last card, instead of every engagement of the process with its names.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# As ``storage.orm.BOARD_INDEX`` is at this revision (a migration never follows later changes).
COLUMNS = [
    "process_id",
    "stage_id",
    "stage_entered_at",
    "id",
    "owner_id",
    "value_minor",
    "outcome",  # always empty here; named so that SQLite reads the index alone
]
OPEN = "outcome IS NULL"  # open engagements only: no measure of closed ones picks it


def upgrade() -> None:
    op.create_index(
        "ix_engagement_board",
        "engagement",
        COLUMNS,
        unique=False,
        sqlite_where=sa.text(OPEN),
        postgresql_where=sa.text(OPEN),
    )


def downgrade() -> None:
    op.drop_index("ix_engagement_board", table_name="engagement")
