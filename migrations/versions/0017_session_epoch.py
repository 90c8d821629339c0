"""sessions can be ended: each account's session epoch is part of its login token

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 13:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('app_user') as batch:
        batch.add_column(sa.Column('session_epoch', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('app_user') as batch:
        batch.drop_column('session_epoch')
