"""complaints and suggestions (投诉建议): one row per complaint

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-05 05:00:00
"""
from alembic import op
import sqlalchemy as sa

import engine.db


revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'complaint',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False),
        sa.Column('number', sa.String(40), nullable=False, unique=True),
        sa.Column('kind', sa.String(20), nullable=False),
        sa.Column('category', sa.String(20), nullable=False),
        sa.Column('channel', sa.String(20), nullable=False),
        sa.Column('urgent', sa.Boolean(), nullable=False),
        sa.Column('anonymous', sa.Boolean(), nullable=False),
        sa.Column('complainant_id', sa.Integer(), sa.ForeignKey('app_user.id')),
        sa.Column('contact_name', sa.String(120), nullable=False),
        sa.Column('contact_phone', sa.String(40), nullable=False),
        sa.Column('entered_by_id', sa.Integer(), sa.ForeignKey('app_user.id')),
        sa.Column('target_unit_id', sa.Integer(), sa.ForeignKey('org_unit.id')),
        sa.Column('target_person_id', sa.Integer(), sa.ForeignKey('app_user.id')),
        sa.Column('target_place', sa.String(200), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('attachments', sa.JSON(), nullable=False),
        sa.Column('unit_id', sa.Integer(), sa.ForeignKey('org_unit.id')),
        sa.Column('status', sa.String(20), nullable=False),
        sa.Column('colour', sa.String(10), nullable=False),
        sa.Column('triage_decision', sa.String(20)),
        sa.Column('forward_reason', sa.Text()),
        sa.Column('first_response_due', engine.db.UtcDateTime(timezone=True)),
        sa.Column('first_response_at', engine.db.UtcDateTime(timezone=True)),
        sa.Column('resolution_due', engine.db.UtcDateTime(timezone=True)),
        sa.Column('reply', sa.Text()),
        sa.Column('replied_at', engine.db.UtcDateTime(timezone=True)),
        sa.Column('satisfied', sa.Boolean()),
        sa.Column('rounds', sa.Integer(), nullable=False),
        sa.Column('instance_id', sa.Integer()),
        sa.Column('created_at', engine.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column('closed_at', engine.db.UtcDateTime(timezone=True)),
    )
    op.create_index('ix_complaint_school_status', 'complaint', ['school_id', 'status'])
    op.create_index('ix_complaint_school_created', 'complaint', ['school_id', 'created_at'])
    op.create_index('ix_complaint_complainant_id', 'complaint', ['complainant_id'])
    op.create_index('ix_complaint_unit_id', 'complaint', ['unit_id'])


def downgrade() -> None:
    op.drop_table('complaint')
