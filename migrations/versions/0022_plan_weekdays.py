"""a weekly plan may fall on several days of its weeks (Monday, Wednesday and Friday)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05 04:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('work_plan') as batch:
        batch.add_column(sa.Column('weekdays', sa.JSON(), nullable=False, server_default='[]'))


def downgrade() -> None:
    with op.batch_alter_table('work_plan') as batch:
        batch.drop_column('weekdays')
