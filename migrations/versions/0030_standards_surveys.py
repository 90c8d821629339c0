"""service standards library (服务标准) and satisfaction surveys (满意度调查)

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-05 21:30:00
"""
from alembic import op
import sqlalchemy as sa

import engine.db


revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'standard_document',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False),
        sa.Column('code', sa.String(40), nullable=False),
        sa.Column('service_type', sa.String(20), nullable=False),
        sa.Column('catalogue_item_id', sa.Integer(), sa.ForeignKey('catalogue_item.id')),
        sa.Column('current_version', sa.Integer(), nullable=False),
        sa.Column('created_at', engine.db.UtcDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('school_id', 'code'),
    )
    op.create_index('ix_standard_document_school_id', 'standard_document', ['school_id'])
    op.create_table(
        'standard_version',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False),
        sa.Column('document_id', sa.Integer(), sa.ForeignKey('standard_document.id', ondelete='CASCADE'), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(200), nullable=False),
        sa.Column('items', sa.JSON(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('search_text', sa.Text(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), sa.ForeignKey('app_user.id')),
        sa.Column('created_at', engine.db.UtcDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('document_id', 'version'),
    )
    op.create_index('ix_standard_version_school', 'standard_version', ['school_id'])
    op.create_table(
        'survey',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False),
        sa.Column('number', sa.String(40), nullable=False, unique=True),
        sa.Column('title_zh', sa.String(200), nullable=False),
        sa.Column('title_en', sa.String(200), nullable=False),
        sa.Column('intro_zh', sa.Text(), nullable=False),
        sa.Column('intro_en', sa.Text(), nullable=False),
        sa.Column('unit_id', sa.Integer(), sa.ForeignKey('org_unit.id')),
        sa.Column('audience', sa.String(20), nullable=False),
        sa.Column('audience_campus_id', sa.Integer(), sa.ForeignKey('campus.id')),
        sa.Column('audience_building_id', sa.Integer(), sa.ForeignKey('building.id')),
        sa.Column('audience_text', sa.String(200), nullable=False),
        sa.Column('anonymous', sa.Boolean(), nullable=False),
        sa.Column('opens_at', engine.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column('closes_at', engine.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column('status', sa.String(20), nullable=False),
        sa.Column('questions', sa.JSON(), nullable=False),
        sa.Column('link_key', sa.String(40), nullable=False, unique=True),
        sa.Column('instance_id', sa.Integer()),
        sa.Column('created_by_id', sa.Integer(), sa.ForeignKey('app_user.id')),
        sa.Column('created_at', engine.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column('opened_at', engine.db.UtcDateTime(timezone=True)),
        sa.Column('closed_at', engine.db.UtcDateTime(timezone=True)),
    )
    op.create_index('ix_survey_school_status', 'survey', ['school_id', 'status'])
    op.create_table(
        'survey_invitee',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False),
        sa.Column('survey_id', sa.Integer(), sa.ForeignKey('survey.id', ondelete='CASCADE'), nullable=False),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('app_user.id')),
        sa.Column('name', sa.String(120), nullable=False),
        sa.Column('token_hash', sa.String(64), unique=True),
        sa.Column('answered_at', engine.db.UtcDateTime(timezone=True)),
        sa.Column('reminders', sa.Integer(), nullable=False),
        sa.Column('last_reminded_at', engine.db.UtcDateTime(timezone=True)),
        sa.UniqueConstraint('survey_id', 'user_id'),
    )
    op.create_index('ix_survey_invitee_survey_id', 'survey_invitee', ['survey_id'])
    op.create_table(
        'survey_response',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False),
        sa.Column('survey_id', sa.Integer(), sa.ForeignKey('survey.id', ondelete='CASCADE'), nullable=False),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('app_user.id')),
        sa.Column('channel', sa.String(20), nullable=False),
        sa.Column('answers', sa.JSON(), nullable=False),
        sa.Column('submitted_at', engine.db.UtcDateTime(timezone=True), nullable=False),
    )
    op.create_index('ix_survey_response_survey_submitted', 'survey_response', ['survey_id', 'submitted_at'])


def downgrade() -> None:
    op.drop_table('survey_response')
    op.drop_table('survey_invitee')
    op.drop_table('survey')
    op.drop_table('standard_version')
    op.drop_table('standard_document')
