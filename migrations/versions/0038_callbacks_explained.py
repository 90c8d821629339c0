"""callbacks explained: the daily figures count the callbacks that found no real problem, and every stored day is
dropped so that the next refresh counts them too (until then the dashboard counts live)

Revision ID: 0038
Revises: 0037
Create Date: 2026-12-06 15:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0038'
down_revision = '0037'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute("DELETE FROM daily_figure_state")
    op.execute("DELETE FROM daily_figure")
    with op.batch_alter_table('daily_figure', schema=None) as batch_op:
        batch_op.add_column(sa.Column('callbacks_explained', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    with op.batch_alter_table('daily_figure', schema=None) as batch_op:
        batch_op.drop_column('callbacks_explained')
