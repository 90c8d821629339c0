"""inspection findings beside the checklist: a finding's item is optional (a problem the inspector saw that is no
item of the checklist, described in its own words) and a finding says where within its place it is

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-07 09:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0034'
down_revision = '0033'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('inspection_finding', schema=None) as batch_op:
        batch_op.alter_column('item_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('spot', sa.String(200), nullable=False, server_default=''))


def downgrade() -> None:
    """Findings beside the checklist have no item to go back to: the downgrade stops while there are any."""
    with op.batch_alter_table('inspection_finding', schema=None) as batch_op:
        batch_op.drop_column('spot')
        batch_op.alter_column('item_id', existing_type=sa.Integer(), nullable=False)
