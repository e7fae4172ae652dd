"""The activity list's person filter (issue 14: a filter shown within 200 ms on 1,000,000
activities).

One person's activities by status, newest first (the row id, last in every SQLite index, breaks
ties): a person's list and its pages are read along this index alone, instead of every row of
the person looked up in the table and sorted (about 20,000 on a large workspace).

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29
"""

from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_activity_person_status_at", "activity", ["person_id", "status", "occurred_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_activity_person_status_at", table_name="activity")
