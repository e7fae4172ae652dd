"""Engagement value changes as history (when, old, new, by whom).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "value_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("engagement_id", sa.Integer(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("old_value_minor", sa.BigInteger(), nullable=False),
        sa.Column("new_value_minor", sa.BigInteger(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["engagement_id"],
            ["engagement.id"],
            name=op.f("fk_value_change_engagement_id_engagement"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["person.id"],
            name=op.f("fk_value_change_person_id_person"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_value_change")),
    )
    with op.batch_alter_table("value_change", schema=None) as batch_op:
        batch_op.create_index(
            "ix_value_change_engagement_at", ["engagement_id", "changed_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_value_change_person_id"), ["person_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("value_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_value_change_person_id"))
        batch_op.drop_index("ix_value_change_engagement_at")
    op.drop_table("value_change")
