"""Covering indexes for the Monitor's measures (issue 14: a refresh within 250 ms).

The scorecard, plan and stage-health aggregates read engagements by process or owner and
closing day, and an engagement's stage history in order. With every column those statements
use in the index, SQLite answers them from the index alone: no table row (a wide one, with
names and notes) is read per engagement or per move, and a stay's previous move is one seek
with no sort (the history's order, changed_at then id, is the index's own).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29
"""

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# name → (table, its columns from this revision, its columns before)
INDEXES = {
    "ix_engagement_process_closed": (
        "engagement",
        [
            "process_id",
            "closed_on",
            "owner_id",
            "outcome",
            "opened_on",
            "value_minor",
            "stage_id",
            "stage_entered_at",
            "account_id",
        ],
        ["process_id", "closed_on"],
    ),
    "ix_engagement_owner_process": (
        "engagement",
        [
            "owner_id",
            "process_id",
            "closed_on",
            "outcome",
            "opened_on",
            "value_minor",
            "stage_id",
            "stage_entered_at",
            "account_id",
        ],
        ["owner_id", "process_id"],
    ),
    "ix_engagement_process_opened": (
        "engagement",
        ["process_id", "opened_on", "owner_id"],
        ["process_id", "opened_on"],
    ),
    "ix_stage_change_engagement_at": (
        "stage_change",
        ["engagement_id", "changed_at", "id", "entered_known", "to_stage_id"],
        ["engagement_id", "changed_at", "entered_known"],
    ),
    "ix_stage_change_from_at": (
        "stage_change",
        ["from_stage_id", "changed_at", "engagement_id", "entered_known"],
        ["from_stage_id", "changed_at", "engagement_id"],
    ),
}


def upgrade() -> None:
    for name, (table, columns, _old) in INDEXES.items():
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns, unique=False)


def downgrade() -> None:
    for name, (table, _new, columns) in INDEXES.items():
        op.drop_index(name, table_name=table)
        op.create_index(name, table, columns, unique=False)
