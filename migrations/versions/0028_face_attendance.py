"""face-recognition attendance: enrolments and encodings, check-in points, check-ins, unknown faces, frames seen,
shift templates and rosters

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-05 21:30:00
"""
from alembic import op
import sqlalchemy as sa

import engine.db


revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None


def _at(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, engine.db.UtcDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        'face_enrolment',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False),
        sa.Column('staff_id', sa.Integer(), sa.ForeignKey('staff_member.id'), nullable=False),
        sa.Column('status', sa.String(20), nullable=False),
        _at('consent_at', False),
        sa.Column('consent_recorded_by_id', sa.Integer(), sa.ForeignKey('app_user.id')),
        sa.Column('consent_note', sa.Text(), nullable=False),
        sa.Column('photos_total', sa.Integer(), nullable=False),
        sa.Column('photos_done', sa.Integer(), nullable=False),
        sa.Column('problems', sa.JSON(), nullable=False),
        sa.Column('batch', sa.String(40), nullable=False),
        _at('withdrawn_at'),
        sa.Column('withdrawn_reason', sa.Text(), nullable=False),
        _at('created_at', False),
        _at('updated_at', False),
        sa.UniqueConstraint('staff_id'),
    )
    op.create_index('ix_face_enrolment_school_status', 'face_enrolment', ['school_id', 'status'])
    op.create_table(
        'face_pending_photo',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('enrolment_id', sa.Integer(), sa.ForeignKey('face_enrolment.id', ondelete='CASCADE'), nullable=False),
        sa.Column('data', sa.LargeBinary(), nullable=False),
    )
    op.create_index('ix_face_pending_photo_enrolment_id', 'face_pending_photo', ['enrolment_id'])
    op.create_table(
        'face_encoding',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False),
        sa.Column('staff_id', sa.Integer(), sa.ForeignKey('staff_member.id'), nullable=False),
        sa.Column('encoding', sa.LargeBinary(), nullable=False),
        sa.Column('photo', sa.LargeBinary()),
        _at('created_at', False),
    )
    op.create_index('ix_face_encoding_school', 'face_encoding', ['school_id'])
    op.create_index('ix_face_encoding_staff_id', 'face_encoding', ['staff_id'])
    op.create_table(
        'face_gallery',
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), primary_key=True),
        sa.Column('version', sa.Integer(), nullable=False),
    )
    op.create_table(
        'checkin_point',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False),
        sa.Column('kind', sa.String(20), nullable=False),
        sa.Column('name', sa.String(120), nullable=False),
        sa.Column('post_id', sa.Integer(), sa.ForeignKey('staff_post.id'), nullable=False),
        sa.Column('building_id', sa.Integer(), sa.ForeignKey('building.id')),
        sa.Column('token_hash', sa.String(64), unique=True),
        sa.Column('code', sa.String(40), unique=True),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_by_id', sa.Integer(), sa.ForeignKey('app_user.id')),
        _at('created_at', False),
        _at('last_seen_at'),
    )
    op.create_index('ix_checkin_point_school_id', 'checkin_point', ['school_id'])
    op.create_table(
        'checkin',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False),
        sa.Column('staff_id', sa.Integer(), sa.ForeignKey('staff_member.id'), nullable=False),
        _at('at', False),
        sa.Column('post_id', sa.Integer(), sa.ForeignKey('staff_post.id')),
        sa.Column('point_id', sa.Integer(), sa.ForeignKey('checkin_point.id')),
        sa.Column('channel', sa.String(20), nullable=False),
        sa.Column('distance', sa.Float()),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('app_user.id')),
        sa.Column('reason', sa.Text(), nullable=False),
        _at('cancelled_at'),
        _at('created_at', False),
    )
    op.create_index('ix_checkin_school_at', 'checkin', ['school_id', 'at'])
    op.create_index('ix_checkin_staff_at', 'checkin', ['staff_id', 'at'])
    op.create_table(
        'face_unknown_attempt',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False),
        _at('at', False),
        sa.Column('point_id', sa.Integer(), sa.ForeignKey('checkin_point.id')),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('app_user.id')),
        sa.Column('distance', sa.Float()),
        sa.Column('frame', sa.LargeBinary(), nullable=False),
    )
    op.create_index('ix_face_unknown_school_at', 'face_unknown_attempt', ['school_id', 'at'])
    op.create_table(
        'face_frame_seen',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False),
        sa.Column('digest', sa.String(64), nullable=False),
        _at('seen_at', False),
        sa.UniqueConstraint('school_id', 'digest'),
    )
    op.create_index('ix_face_frame_seen_seen_at', 'face_frame_seen', ['seen_at'])
    op.create_table(
        'shift_template',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False),
        sa.Column('post_id', sa.Integer(), sa.ForeignKey('staff_post.id'), nullable=False),
        sa.Column('name', sa.String(60), nullable=False),
        sa.Column('starts', sa.Time(), nullable=False),
        sa.Column('ends', sa.Time(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
    )
    op.create_index('ix_shift_template_school_id', 'shift_template', ['school_id'])
    op.create_table(
        'roster_entry',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False),
        sa.Column('staff_id', sa.Integer(), sa.ForeignKey('staff_member.id'), nullable=False),
        sa.Column('shift_id', sa.Integer(), sa.ForeignKey('shift_template.id'), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.UniqueConstraint('staff_id', 'day', 'shift_id'),
    )
    op.create_index('ix_roster_school_day', 'roster_entry', ['school_id', 'day'])


def downgrade() -> None:
    for table in ('roster_entry', 'shift_template', 'face_frame_seen', 'face_unknown_attempt', 'checkin', 'checkin_point',
                  'face_gallery', 'face_encoding', 'face_pending_photo', 'face_enrolment'):
        op.drop_table(table)
