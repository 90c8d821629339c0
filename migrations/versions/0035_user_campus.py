"""user campus: the campus an account belongs to (optional), so a survey of one campus's students or staff asks
only them and a requester's report form starts on their own campus

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-08 09:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0035'
down_revision = '0034'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('campus_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_app_user_campus_id_campus'), 'campus', ['campus_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('app_user', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_app_user_campus_id_campus'), type_='foreignkey')
        batch_op.drop_column('campus_id')
