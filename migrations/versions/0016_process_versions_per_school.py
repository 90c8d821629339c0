"""process versions per school: a school's own versions and drafts beside the platform's

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 12:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('process_definition') as batch:
        batch.add_column(sa.Column('school_id', sa.Integer(), nullable=True))
        batch.drop_constraint('uq_process_definition_process_key_content_hash', type_='unique')
        batch.create_index('ix_process_definition_school_id', ['school_id'])
    op.create_table(
        'process_draft_scoped',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('process_key', sa.String(length=120), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=True),
        sa.Column('sources', sa.JSON(), nullable=False),
        sa.Column('base_version', sa.Integer(), nullable=True),
        sa.Column('saved_by', sa.String(length=120), nullable=True),
        sa.Column('saved_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('comment', sa.Text(), nullable=True),
    )
    op.execute("INSERT INTO process_draft_scoped (process_key, school_id, sources, base_version, saved_by, saved_at, comment) "
               "SELECT process_key, NULL, sources, base_version, saved_by, saved_at, comment FROM process_draft")
    op.drop_table('process_draft')
    op.rename_table('process_draft_scoped', 'process_draft')
    with op.batch_alter_table('process_draft') as batch:
        batch.create_index('ix_process_draft_process_key', ['process_key'])


def downgrade() -> None:
    op.execute("DELETE FROM process_draft WHERE school_id IS NOT NULL")
    with op.batch_alter_table('process_draft') as batch:
        batch.drop_index('ix_process_draft_process_key')
        batch.drop_column('id')
        batch.drop_column('school_id')
        batch.create_primary_key('pk_process_draft', ['process_key'])
    op.execute("DELETE FROM process_definition WHERE school_id IS NOT NULL")
    with op.batch_alter_table('process_definition') as batch:
        batch.drop_index('ix_process_definition_school_id')
        batch.drop_column('school_id')
        batch.create_unique_constraint('uq_process_definition_process_key_content_hash', ['process_key', 'content_hash'])
