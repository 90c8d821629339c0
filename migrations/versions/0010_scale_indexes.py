"""indexes the scale benchmarks asked for: inbox rows by order, orders by colour

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 23:45:00.000000
"""
from alembic import op


revision = '0010'
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.create_index('ix_human_task_business', ['business_key'], unique=False)
    with op.batch_alter_table('work_order', schema=None) as batch_op:
        batch_op.create_index('ix_work_order_school_colour', ['school_id', 'colour'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('work_order', schema=None) as batch_op:
        batch_op.drop_index('ix_work_order_school_colour')
    with op.batch_alter_table('human_task', schema=None) as batch_op:
        batch_op.drop_index('ix_human_task_business')
