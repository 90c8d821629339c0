"""campuses and buildings can be deactivated (no longer offered on intake, kept for old orders)

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 00:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("campus", "building"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    for table in ("campus", "building"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("active")
