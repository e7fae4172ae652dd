"""Stage history from imports: whether each stage entry's moment is known; expected close.

An import that does not say when an engagement entered a stage records the entry as unknown
(``entered_known`` false): it keeps the history in order but counts in no time-in-stage or stall
figure. Everything recorded before this revision was recorded by the app, so it stays known.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("stage_change", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("entered_known", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.drop_index("ix_stage_change_engagement_at")
        batch_op.drop_index("ix_stage_change_to_at")
        batch_op.create_index(
            "ix_stage_change_engagement_at",
            ["engagement_id", "changed_at", "entered_known"],
            unique=False,
        )
        batch_op.create_index(
            "ix_stage_change_to_at",
            ["to_stage_id", "changed_at", "engagement_id", "entered_known"],
            unique=False,
        )
    with op.batch_alter_table("engagement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expected_close", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("engagement", schema=None) as batch_op:
        batch_op.drop_column("expected_close")
    with op.batch_alter_table("stage_change", schema=None) as batch_op:
        batch_op.drop_index("ix_stage_change_to_at")
        batch_op.drop_index("ix_stage_change_engagement_at")
        batch_op.create_index(
            "ix_stage_change_to_at", ["to_stage_id", "changed_at", "engagement_id"], unique=False
        )
        batch_op.create_index(
            "ix_stage_change_engagement_at", ["engagement_id", "changed_at"], unique=False
        )
        batch_op.drop_column("entered_known")
