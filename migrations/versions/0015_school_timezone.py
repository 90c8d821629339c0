"""each school has a time zone (IANA name): its local days date order numbers and bound the dashboard's days

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05 10:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('school') as batch:
        batch.add_column(sa.Column('timezone', sa.String(length=64), nullable=False, server_default='Asia/Shanghai'))


def downgrade() -> None:
    with op.batch_alter_table('school') as batch:
        batch.drop_column('timezone')
