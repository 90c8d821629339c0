"""process drafts saved from the diagram editor

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa
import engine.db


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "process_draft",
        sa.Column("process_key", sa.String(length=120), nullable=False),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("saved_by", sa.String(length=120), nullable=True),
        sa.Column("saved_at", engine.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("process_key", name=op.f("pk_process_draft")),
    )


def downgrade() -> None:
    op.drop_table("process_draft")
