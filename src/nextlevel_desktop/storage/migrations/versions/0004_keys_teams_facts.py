"""Teams (person team, office, manager; team targets), account facts, engagement product.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Existing rows get "" or NULL: nothing known yet, nothing invented.
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.add_column(sa.Column("team", sa.String(120), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("office", sa.String(120), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("manager_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_person_manager_id_person"),
            "person",
            ["manager_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index(batch_op.f("ix_person_team"), ["team"], unique=False)
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("size_band", sa.String(40), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("employees", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("annual_revenue_minor", sa.BigInteger(), nullable=True))
        batch_op.add_column(sa.Column("country", sa.String(80), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("parent_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_account_parent_id_account"),
            "account",
            ["parent_id"],
            ["id"],
            ondelete="SET NULL",
        )
    # Plain columns without constraints: no table rebuild is needed.
    op.add_column(
        "engagement", sa.Column("product", sa.String(200), nullable=False, server_default="")
    )
    op.add_column("target", sa.Column("team", sa.String(120), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.drop_column("team")
    with op.batch_alter_table("engagement", schema=None) as batch_op:
        batch_op.drop_column("product")
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_account_parent_id_account"), type_="foreignkey")
        for name in ("parent_id", "country", "annual_revenue_minor", "employees", "size_band"):
            batch_op.drop_column(name)
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_person_team"))
        batch_op.drop_constraint(batch_op.f("fk_person_manager_id_person"), type_="foreignkey")
        for name in ("manager_id", "office", "team"):
            batch_op.drop_column(name)
