"""A review belongs to a person or to a team: nullable person_id, a team column, a CHECK that
exactly one is set, and an index for a team's reviews.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

ONE_OF = "(person_id IS NULL) <> (team IS NULL) AND (team IS NULL OR team <> '')"


def upgrade() -> None:
    # SQLite rebuilds the table (copying every row; foreign keys are off while migrating, so
    # agreed actions keep their review); existing reviews are person reviews, team NULL.
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.add_column(sa.Column("team", sa.String(120), nullable=True))
        batch_op.alter_column("person_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint("person_or_team", ONE_OF)
        batch_op.create_index("ix_review_team_held", ["team", "held_on"], unique=False)


def downgrade() -> None:
    # Team reviews have no person; foreign keys are off while migrating: their actions first.
    op.execute(
        "DELETE FROM agreed_action"
        " WHERE review_id IN (SELECT id FROM review WHERE team IS NOT NULL)"
    )
    op.execute("DELETE FROM review WHERE team IS NOT NULL")
    with op.batch_alter_table("review", schema=None) as batch_op:
        batch_op.drop_index("ix_review_team_held")
        batch_op.drop_constraint(op.f("ck_review_person_or_team"), type_="check")
        batch_op.alter_column("person_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("team")
