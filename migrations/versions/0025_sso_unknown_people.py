"""a school says what single sign-on does with people it does not know (refuse, or create as requester)

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-05 04:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('school') as batch:
        batch.add_column(sa.Column('sso_unknown', sa.String(length=20), nullable=False, server_default='refuse'))


def downgrade() -> None:
    with op.batch_alter_table('school') as batch:
        batch.drop_column('sso_unknown')
