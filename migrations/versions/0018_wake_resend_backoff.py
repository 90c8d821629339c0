"""a lost wake-up is re-sent with a growing wait: when it may be sent again and how often it was sent

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 10:00:00
"""
from alembic import op
import sqlalchemy as sa

import engine.db


revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('process_instance') as batch:
        batch.add_column(sa.Column('wake_resend_at', engine.db.UtcDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('wake_sends', sa.Integer(), nullable=False, server_default='0'))
    # claims made before this revision may be re-sent once their wake instant has passed, as they could before
    op.execute("UPDATE process_instance SET wake_resend_at = wake_enqueued_for, wake_sends = 1 "
               "WHERE wake_enqueued_for IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table('process_instance') as batch:
        batch.drop_column('wake_sends')
        batch.drop_column('wake_resend_at')
