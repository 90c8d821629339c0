"""duty management (值班管理): equipment and readings, posts, routes and points, rosters, presence, handovers,
anomalies

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-05 21:30:00
"""
from alembic import op
import sqlalchemy as sa

import engine.db


revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None

UTC = engine.db.UtcDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        'duty_post',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False, index=True),
        sa.Column('code', sa.String(40), nullable=False),
        sa.Column('name', sa.String(120), nullable=False),
        sa.Column('kind', sa.String(30), nullable=False),
        sa.Column('building_id', sa.Integer(), sa.ForeignKey('building.id')),
        sa.Column('place', sa.String(200), nullable=False),
        sa.Column('unit_id', sa.Integer(), sa.ForeignKey('org_unit.id')),
        sa.Column('night', sa.Boolean(), nullable=False),
        sa.Column('instructions', sa.Text(), nullable=False),
        sa.Column('token', sa.String(40), nullable=False, unique=True),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.UniqueConstraint('school_id', 'code', name='uq_duty_post_code'),
    )
    op.create_table(
        'duty_equipment',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False, index=True),
        sa.Column('code', sa.String(40), nullable=False),
        sa.Column('name', sa.String(120), nullable=False),
        sa.Column('kind', sa.String(20), nullable=False),
        sa.Column('building_id', sa.Integer(), sa.ForeignKey('building.id')),
        sa.Column('place', sa.String(200), nullable=False),
        sa.Column('unit_id', sa.Integer(), sa.ForeignKey('org_unit.id')),
        sa.Column('post_id', sa.Integer(), sa.ForeignKey('duty_post.id')),
        sa.Column('maintenance_due', sa.Date()),
        sa.Column('limits', sa.JSON(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.UniqueConstraint('school_id', 'code', name='uq_duty_equipment_code'),
    )
    op.create_table(
        'duty_reading',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False),
        sa.Column('equipment_id', sa.Integer(), sa.ForeignKey('duty_equipment.id'), nullable=False),
        sa.Column('metric', sa.String(40), nullable=False),
        sa.Column('value', sa.Float(), nullable=False),
        sa.Column('taken_at', UTC, nullable=False),
        sa.Column('received_at', UTC, nullable=False),
        sa.Column('source', sa.String(20), nullable=False),
        sa.Column('out_of_range', sa.Boolean(), nullable=False),
        sa.UniqueConstraint('equipment_id', 'metric', 'taken_at', name='uq_duty_reading'),
    )
    op.create_index('ix_duty_reading_school_taken', 'duty_reading', ['school_id', 'taken_at'])
    op.create_table(
        'duty_route',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False, index=True),
        sa.Column('post_id', sa.Integer(), sa.ForeignKey('duty_post.id'), nullable=False, index=True),
        sa.Column('name', sa.String(120), nullable=False),
    )
    op.create_table(
        'duty_point',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False, index=True),
        sa.Column('route_id', sa.Integer(), sa.ForeignKey('duty_route.id'), nullable=False, index=True),
        sa.Column('code', sa.String(40), nullable=False),
        sa.Column('name', sa.String(120), nullable=False),
        sa.Column('building_id', sa.Integer(), sa.ForeignKey('building.id')),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(40), nullable=False, unique=True),
        sa.UniqueConstraint('school_id', 'code', name='uq_duty_point_code'),
    )
    op.create_table(
        'duty_template',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False, index=True),
        sa.Column('post_id', sa.Integer(), sa.ForeignKey('duty_post.id'), nullable=False, index=True),
        sa.Column('name', sa.String(120), nullable=False),
        sa.Column('starts', sa.Time(), nullable=False),
        sa.Column('ends', sa.Time(), nullable=False),
        sa.Column('weekdays', sa.JSON(), nullable=False),
        sa.Column('rotation', sa.JSON(), nullable=False),
        sa.Column('valid_from', sa.Date(), nullable=False),
    )
    op.create_table(
        'duty_shift',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False),
        sa.Column('post_id', sa.Integer(), sa.ForeignKey('duty_post.id'), nullable=False),
        sa.Column('template_id', sa.Integer(), sa.ForeignKey('duty_template.id')),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('app_user.id'), index=True),
        sa.Column('rostered_id', sa.Integer(), sa.ForeignKey('app_user.id')),
        sa.Column('starts_at', UTC, nullable=False),
        sa.Column('ends_at', UTC, nullable=False),
        sa.Column('status', sa.String(20), nullable=False),
        sa.Column('checked_in_at', UTC),
        sa.Column('last_seen_at', UTC),
        sa.Column('presence_plan', sa.JSON(), nullable=False),
        sa.UniqueConstraint('post_id', 'starts_at', name='uq_duty_shift_start'),
    )
    op.create_index('ix_duty_shift_school_time', 'duty_shift', ['school_id', 'starts_at', 'ends_at'])
    op.create_table(
        'duty_change',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False, index=True),
        sa.Column('kind', sa.String(20), nullable=False),
        sa.Column('shift_id', sa.Integer(), sa.ForeignKey('duty_shift.id'), nullable=False),
        sa.Column('other_shift_id', sa.Integer(), sa.ForeignKey('duty_shift.id')),
        sa.Column('substitute_id', sa.Integer(), sa.ForeignKey('app_user.id')),
        sa.Column('requested_by_id', sa.Integer(), sa.ForeignKey('app_user.id'), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('status', sa.String(20), nullable=False),
        sa.Column('decided_by_id', sa.Integer(), sa.ForeignKey('app_user.id')),
        sa.Column('decided_at', UTC),
        sa.Column('created_at', UTC, nullable=False),
    )
    op.create_table(
        'duty_scan',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False, index=True),
        sa.Column('shift_id', sa.Integer(), sa.ForeignKey('duty_shift.id'), nullable=False, index=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('app_user.id')),
        sa.Column('kind', sa.String(20), nullable=False),
        sa.Column('point_id', sa.Integer(), sa.ForeignKey('duty_point.id')),
        sa.Column('at', UTC, nullable=False),
        sa.Column('source', sa.String(20), nullable=False),
        sa.UniqueConstraint('shift_id', 'kind', 'point_id', 'at', name='uq_duty_scan'),
    )
    op.create_index('ix_duty_scan_point_at', 'duty_scan', ['point_id', 'at'])
    op.create_table(
        'duty_presence_check',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False, index=True),
        sa.Column('shift_id', sa.Integer(), sa.ForeignKey('duty_shift.id'), nullable=False, index=True),
        sa.Column('asked_at', UTC, nullable=False),
        sa.Column('due_at', UTC, nullable=False),
        sa.Column('answered_at', UTC),
        sa.UniqueConstraint('shift_id', 'asked_at', name='uq_duty_presence'),
    )
    op.create_table(
        'duty_handover',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False, index=True),
        sa.Column('post_id', sa.Integer(), sa.ForeignKey('duty_post.id'), nullable=False),
        sa.Column('from_shift_id', sa.Integer(), sa.ForeignKey('duty_shift.id'), nullable=False),
        sa.Column('to_shift_id', sa.Integer(), sa.ForeignKey('duty_shift.id'), nullable=False),
        sa.Column('items', sa.Text(), nullable=False),
        sa.Column('open_issues', sa.Text(), nullable=False),
        sa.Column('handed_at', UTC),
        sa.Column('taken_at', UTC),
        sa.UniqueConstraint('to_shift_id', name='uq_duty_handover_to'),
    )
    op.create_table(
        'duty_anomaly',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False),
        sa.Column('number', sa.String(40), nullable=False, unique=True),
        sa.Column('kind', sa.String(20), nullable=False),
        sa.Column('subject', sa.String(200), nullable=False),
        sa.Column('post_id', sa.Integer(), sa.ForeignKey('duty_post.id'), index=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('app_user.id'), index=True),
        sa.Column('shift_id', sa.Integer(), sa.ForeignKey('duty_shift.id')),
        sa.Column('equipment_id', sa.Integer(), sa.ForeignKey('duty_equipment.id')),
        sa.Column('metric', sa.String(40)),
        sa.Column('unit_id', sa.Integer(), sa.ForeignKey('org_unit.id')),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('evidence', sa.JSON(), nullable=False),
        sa.Column('photos', sa.JSON(), nullable=False),
        sa.Column('occurred_at', UTC, nullable=False),
        sa.Column('detected_at', UTC, nullable=False),
        sa.Column('episode_open', sa.Boolean(), nullable=False),
        sa.Column('repeats', sa.Integer(), nullable=False),
        sa.Column('stage', sa.String(20), nullable=False),
        sa.Column('colour', sa.String(10), nullable=False),
        sa.Column('rounds', sa.Integer(), nullable=False),
        sa.Column('cause', sa.Text()),
        sa.Column('corrective', sa.Text()),
        sa.Column('preventive', sa.Text()),
        sa.Column('deadline', sa.Date()),
        sa.Column('done_note', sa.Text()),
        sa.Column('check_note', sa.Text()),
        sa.Column('close_due', UTC),
        sa.Column('instance_id', sa.Integer()),
        sa.Column('closed_at', UTC),
        sa.UniqueConstraint('school_id', 'subject', name='uq_duty_anomaly_subject'),
    )
    op.create_index('ix_duty_anomaly_school_detected', 'duty_anomaly', ['school_id', 'detected_at'])
    op.create_index('ix_duty_anomaly_open_episode', 'duty_anomaly', ['equipment_id', 'metric'],
                    postgresql_where=sa.text('episode_open'))


def downgrade() -> None:
    for table in ('duty_anomaly', 'duty_handover', 'duty_presence_check', 'duty_scan', 'duty_change', 'duty_shift',
                  'duty_template', 'duty_point', 'duty_route', 'duty_reading', 'duty_equipment', 'duty_post'):
        op.drop_table(table)
