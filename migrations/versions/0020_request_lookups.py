"""indexes for what every request asks: a unit's subtree (org_unit.parent_id) and acting cover (covers_user_id)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05 12:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('org_unit') as batch:
        batch.create_index('ix_org_unit_parent_id', ['parent_id'], unique=False)
    with op.batch_alter_table('role_assignment') as batch:
        batch.create_index('ix_role_assignment_covers', ['covers_user_id'], unique=False,
                           postgresql_where=sa.text('covers_user_id IS NOT NULL'),
                           sqlite_where=sa.text('covers_user_id IS NOT NULL'))


def downgrade() -> None:
    with op.batch_alter_table('role_assignment') as batch:
        batch.drop_index('ix_role_assignment_covers')
    with op.batch_alter_table('org_unit') as batch:
        batch.drop_index('ix_org_unit_parent_id')
