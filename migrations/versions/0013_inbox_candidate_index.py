"""inbox at scale: candidate lists as JSONB with a GIN index on PostgreSQL

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 00:30:00.000000
"""
from alembic import op


revision = '0013'
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":  # SQLite keeps JSON text; its inbox reads it with json_each
        return
    op.execute("ALTER TABLE human_task ALTER COLUMN candidate_ids TYPE JSONB USING candidate_ids::jsonb")
    op.create_index('ix_human_task_candidates', 'human_task', ['candidate_ids'], unique=False,
                    postgresql_using='gin', postgresql_ops={'candidate_ids': 'jsonb_path_ops'})


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index('ix_human_task_candidates', table_name='human_task')
    op.execute("ALTER TABLE human_task ALTER COLUMN candidate_ids TYPE JSON USING candidate_ids::json")
