"""school rules version: the version of a school's rules in force, kept on its row beside its time zone

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-06 04:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0033'
down_revision = '0032'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rules_version', sa.Integer(), nullable=False, server_default='0'))
    op.execute("UPDATE school SET rules_version = coalesce("
               "(SELECT max(rule_set.version) FROM rule_set WHERE rule_set.school_id = school.id), 0)")


def downgrade() -> None:
    with op.batch_alter_table('school', schema=None) as batch_op:
        batch_op.drop_column('rules_version')
