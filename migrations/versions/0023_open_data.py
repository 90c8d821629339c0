"""open data: subscribers to signed business-event webhooks, and orders imported from another platform (by its id)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05 05:00:00
"""
from alembic import op
import sqlalchemy as sa

import engine.db


revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'hook_subscriber',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('url', sa.String(length=500), nullable=False),
        sa.Column('secret', sa.String(length=200), nullable=False),
        sa.Column('events', sa.JSON(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', engine.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_hook_subscriber_school_id_school')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hook_subscriber')),
    )
    op.create_index(op.f('ix_hook_subscriber_school_id'), 'hook_subscriber', ['school_id'], unique=False)
    with op.batch_alter_table('work_order') as batch:
        batch.add_column(sa.Column('external_source', sa.String(length=60), nullable=True))
        batch.add_column(sa.Column('external_id', sa.String(length=120), nullable=True))
        batch.add_column(sa.Column('reported_at', engine.db.UtcDateTime(timezone=True), nullable=True))
        batch.create_unique_constraint('uq_work_order_school_id_external_source_external_id',
                                       ['school_id', 'external_source', 'external_id'])


def downgrade() -> None:
    with op.batch_alter_table('work_order') as batch:
        batch.drop_constraint('uq_work_order_school_id_external_source_external_id', type_='unique')
        batch.drop_column('reported_at')
        batch.drop_column('external_id')
        batch.drop_column('external_source')
    op.drop_index(op.f('ix_hook_subscriber_school_id'), table_name='hook_subscriber')
    op.drop_table('hook_subscriber')
