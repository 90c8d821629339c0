"""process owners' bulk migrations run in the background

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 14:20:00.000000
"""
import sqlalchemy as sa
from alembic import op

from engine.db import UtcDateTime

revision = '0014'
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'migration_job',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('process_key', sa.String(length=120), nullable=False),
        sa.Column('target_id', sa.Integer(), nullable=False),
        sa.Column('instance_ids', sa.JSON(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('moved', sa.Integer(), nullable=False),
        sa.Column('refused', sa.JSON(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('error', sa.Text(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=True),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('actor_name', sa.String(length=120), nullable=False),
        sa.Column('created_at', UtcDateTime(), nullable=False),
        sa.Column('finished_at', UtcDateTime(), nullable=True),
        sa.ForeignKeyConstraint(['target_id'], ['process_definition.id'],
                                name=op.f('fk_migration_job_target_id_process_definition')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_migration_job')),
    )
    op.create_index('ix_migration_job_status', 'migration_job', ['status'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_migration_job_status', table_name='migration_job')
    op.drop_table('migration_job')
