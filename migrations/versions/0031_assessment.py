"""assessment (考核评价): scheme versions, campaigns, item scores and appeals

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-05 21:40:00
"""
from alembic import op
import sqlalchemy as sa

import engine.db


revision = '0031'
down_revision = '0030'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'assessment_scheme',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False),
        sa.Column('code', sa.String(40), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(200), nullable=False),
        sa.Column('unit_id', sa.Integer(), sa.ForeignKey('org_unit.id'), nullable=False),
        sa.Column('contract', sa.String(200), nullable=False),
        sa.Column('schedule', sa.String(20), nullable=False),
        sa.Column('items', sa.JSON(), nullable=False),
        sa.Column('bands', sa.JSON(), nullable=False),
        sa.Column('current', sa.Boolean(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), sa.ForeignKey('app_user.id')),
        sa.Column('created_at', engine.db.UtcDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('school_id', 'code', 'version'),
    )
    op.create_table(
        'assessment_campaign',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False),
        sa.Column('number', sa.String(40), nullable=False, unique=True),
        sa.Column('kind', sa.String(20), nullable=False),
        sa.Column('title', sa.String(200), nullable=False),
        sa.Column('scheme_id', sa.Integer(), sa.ForeignKey('assessment_scheme.id'), nullable=False),
        sa.Column('scheme_code', sa.String(40), nullable=False),
        sa.Column('unit_id', sa.Integer(), sa.ForeignKey('org_unit.id'), nullable=False),
        sa.Column('period_start', sa.Date(), nullable=False),
        sa.Column('period_end', sa.Date(), nullable=False),
        sa.Column('period_key', sa.String(40), nullable=False),
        sa.Column('status', sa.String(20), nullable=False),
        sa.Column('total', sa.Float()),
        sa.Column('grade', sa.String(20)),
        sa.Column('deduction_percent', sa.Float()),
        sa.Column('appeal_due', engine.db.UtcDateTime(timezone=True)),
        sa.Column('accepted_by_silence', sa.Boolean(), nullable=False),
        sa.Column('confirmed_at', engine.db.UtcDateTime(timezone=True)),
        sa.Column('approval_note', sa.Text()),
        sa.Column('published_at', engine.db.UtcDateTime(timezone=True)),
        sa.Column('instance_id', sa.Integer()),
        sa.Column('started_by_id', sa.Integer(), sa.ForeignKey('app_user.id')),
        sa.Column('created_at', engine.db.UtcDateTime(timezone=True), nullable=False),
        sa.UniqueConstraint('school_id', 'scheme_code', 'period_key'),
    )
    op.create_index('ix_assessment_scheme_school_id', 'assessment_scheme', ['school_id'])
    op.create_index('ix_assessment_campaign_school_status', 'assessment_campaign', ['school_id', 'status'])
    op.create_index('ix_assessment_campaign_scheme_id', 'assessment_campaign', ['scheme_id'])
    op.create_index('ix_assessment_campaign_unit_id', 'assessment_campaign', ['unit_id'])
    op.create_table(
        'assessment_score',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False),
        sa.Column('campaign_id', sa.Integer(), sa.ForeignKey('assessment_campaign.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('item_key', sa.String(40), nullable=False),
        sa.Column('kind', sa.String(20), nullable=False),
        sa.Column('value', sa.Float()),
        sa.Column('basis', sa.Integer(), nullable=False),
        sa.Column('findings', sa.JSON(), nullable=False),
        sa.Column('evidence', sa.JSON(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('points', sa.Float()),
        sa.Column('scored_by_id', sa.Integer(), sa.ForeignKey('app_user.id')),
        sa.Column('scored_at', engine.db.UtcDateTime(timezone=True)),
        sa.UniqueConstraint('campaign_id', 'item_key'),
    )
    op.create_table(
        'assessment_appeal',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False),
        sa.Column('campaign_id', sa.Integer(), sa.ForeignKey('assessment_campaign.id', ondelete='CASCADE'),
                  nullable=False),
        sa.Column('item_key', sa.String(40), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('evidence', sa.JSON(), nullable=False),
        sa.Column('original_points', sa.Float(), nullable=False),
        sa.Column('decided_points', sa.Float()),
        sa.Column('decision', sa.String(20)),
        sa.Column('decision_note', sa.Text()),
        sa.Column('appealed_by_id', sa.Integer(), sa.ForeignKey('app_user.id')),
        sa.Column('decided_by_id', sa.Integer(), sa.ForeignKey('app_user.id')),
        sa.Column('created_at', engine.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column('decided_at', engine.db.UtcDateTime(timezone=True)),
    )
    op.create_index('ix_assessment_score_campaign_id', 'assessment_score', ['campaign_id'])
    op.create_index('ix_assessment_appeal_campaign_id', 'assessment_appeal', ['campaign_id'])


def downgrade() -> None:
    op.drop_table('assessment_appeal')
    op.drop_table('assessment_score')
    op.drop_table('assessment_campaign')
    op.drop_table('assessment_scheme')
