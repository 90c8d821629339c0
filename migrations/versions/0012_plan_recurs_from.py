"""work plans remember the first day their current recurrence applies

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 00:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('work_plan', sa.Column('recurs_from', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('work_plan') as batch_op:
        batch_op.drop_column('recurs_from')
