"""service staff (服务人员管理): posts, certificate types and certificates, the staff register, staffing plans
and their shortfall episodes

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-05 21:30:00
"""
from alembic import op
import sqlalchemy as sa

import engine.db


revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def _stamps() -> list[sa.Column]:
    return [sa.Column('created_at', engine.db.UtcDateTime(timezone=True), nullable=False),
            sa.Column('updated_at', engine.db.UtcDateTime(timezone=True), nullable=False)]


def upgrade() -> None:
    op.create_table(
        'staff_post',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False),
        sa.Column('code', sa.String(40), nullable=False),
        sa.Column('name_zh', sa.String(120), nullable=False),
        sa.Column('name_en', sa.String(120), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.UniqueConstraint('school_id', 'code'),
    )
    op.create_index('ix_staff_post_school_id', 'staff_post', ['school_id'])
    op.create_table(
        'certificate_type',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False),
        sa.Column('code', sa.String(40), nullable=False),
        sa.Column('name_zh', sa.String(120), nullable=False),
        sa.Column('name_en', sa.String(120), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.UniqueConstraint('school_id', 'code'),
    )
    op.create_index('ix_certificate_type_school_id', 'certificate_type', ['school_id'])
    op.create_table(
        'post_certificate_type',
        sa.Column('post_id', sa.Integer(), sa.ForeignKey('staff_post.id'), primary_key=True),
        sa.Column('certificate_type_id', sa.Integer(), sa.ForeignKey('certificate_type.id'), primary_key=True),
    )
    op.create_table(
        'item_certificate_type',
        sa.Column('catalogue_item_id', sa.Integer(), sa.ForeignKey('catalogue_item.id'), primary_key=True),
        sa.Column('certificate_type_id', sa.Integer(), sa.ForeignKey('certificate_type.id'), primary_key=True),
    )
    op.create_table(
        'staff_member',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False),
        sa.Column('unit_id', sa.Integer(), sa.ForeignKey('org_unit.id'), nullable=False),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('app_user.id')),
        sa.Column('number', sa.String(40), nullable=False),
        sa.Column('name', sa.String(120), nullable=False),
        sa.Column('kind', sa.String(20), nullable=False),
        sa.Column('contractor', sa.String(200), nullable=False),
        sa.Column('post_id', sa.Integer(), sa.ForeignKey('staff_post.id')),
        sa.Column('phone', sa.String(40), nullable=False),
        sa.Column('started_on', sa.Date(), nullable=False),
        sa.Column('left_on', sa.Date()),
        sa.Column('leave_reason', sa.Text(), nullable=False),
        *_stamps(),
        sa.UniqueConstraint('school_id', 'number'),
    )
    op.create_index('ix_staff_member_school_unit', 'staff_member', ['school_id', 'unit_id'])
    op.create_index('ix_staff_member_user_id', 'staff_member', ['user_id'])
    op.create_index('ix_staff_member_post_id', 'staff_member', ['post_id'])
    op.create_table(
        'certificate',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False),
        sa.Column('business_key', sa.String(40), nullable=False),
        sa.Column('staff_id', sa.Integer(), sa.ForeignKey('staff_member.id'), nullable=False),
        sa.Column('type_id', sa.Integer(), sa.ForeignKey('certificate_type.id'), nullable=False),
        sa.Column('number', sa.String(80), nullable=False),
        sa.Column('issuer', sa.String(200), nullable=False),
        sa.Column('valid_from', sa.Date(), nullable=False),
        sa.Column('valid_until', sa.Date(), nullable=False),
        sa.Column('scan', sa.JSON()),
        sa.Column('status', sa.String(20), nullable=False),
        sa.Column('renews_id', sa.Integer(), sa.ForeignKey('certificate.id')),
        sa.Column('uploaded_by_id', sa.Integer(), sa.ForeignKey('app_user.id')),
        sa.Column('reviewed_by_id', sa.Integer(), sa.ForeignKey('app_user.id')),
        sa.Column('reviewed_at', engine.db.UtcDateTime(timezone=True)),
        sa.Column('review_note', sa.Text(), nullable=False),
        sa.Column('instance_id', sa.Integer()),
        *_stamps(),
    )
    op.create_index('ix_certificate_school_until', 'certificate', ['school_id', 'valid_until'])
    op.create_index('ix_certificate_staff_id', 'certificate', ['staff_id'])
    op.create_index('ix_certificate_business_key', 'certificate', ['business_key'])
    op.create_table(
        'staffing_plan',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False),
        sa.Column('unit_id', sa.Integer(), sa.ForeignKey('org_unit.id'), nullable=False),
        sa.Column('post_id', sa.Integer(), sa.ForeignKey('staff_post.id'), nullable=False),
        sa.Column('shift', sa.String(60), nullable=False),
        sa.Column('headcount', sa.Integer(), nullable=False),
        sa.Column('effective_from', sa.Date(), nullable=False),
        sa.Column('effective_until', sa.Date()),
        *_stamps(),
    )
    op.create_index('ix_staffing_plan_school_unit', 'staffing_plan', ['school_id', 'unit_id'])
    op.create_table(
        'staffing_shortfall',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False),
        sa.Column('unit_id', sa.Integer(), sa.ForeignKey('org_unit.id'), nullable=False),
        sa.Column('post_id', sa.Integer(), sa.ForeignKey('staff_post.id'), nullable=False),
        sa.Column('started_on', sa.Date(), nullable=False),
        sa.Column('ended_on', sa.Date()),
        sa.Column('active', sa.Integer(), nullable=False),
        sa.Column('planned', sa.Integer(), nullable=False),
        sa.Column('notified_at', engine.db.UtcDateTime(timezone=True)),
    )
    op.create_index('ix_staffing_shortfall_open', 'staffing_shortfall', ['school_id', 'unit_id', 'post_id', 'ended_on'])


def downgrade() -> None:
    for table in ('staffing_shortfall', 'staffing_plan', 'certificate', 'staff_member', 'item_certificate_type',
                  'post_certificate_type', 'certificate_type', 'staff_post'):
        op.drop_table(table)
