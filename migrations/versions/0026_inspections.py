"""inspections (巡查): checklists and their items, schedules, rounds and results, findings

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-05 21:30:00
"""
from alembic import op
import sqlalchemy as sa

import engine.db


revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def _at(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, engine.db.UtcDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        'inspection_template',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False),
        sa.Column('name', sa.String(200), nullable=False),
        sa.Column('service_type', sa.String(20), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        _at('created_at', nullable=False),
    )
    op.create_index('ix_inspection_template_school_id', 'inspection_template', ['school_id'])
    op.create_table(
        'inspection_item',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('template_id', sa.Integer(), sa.ForeignKey('inspection_template.id'), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('text', sa.String(300), nullable=False),
        sa.Column('standard', sa.Text(), nullable=False),
        sa.Column('scoring', sa.String(20), nullable=False),
        sa.Column('points', sa.Integer(), nullable=False),
        sa.Column('photo_required', sa.Boolean(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
    )
    op.create_index('ix_inspection_item_template_id', 'inspection_item', ['template_id'])
    op.create_table(
        'inspection_schedule',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False),
        sa.Column('template_id', sa.Integer(), sa.ForeignKey('inspection_template.id'), nullable=False),
        sa.Column('building_id', sa.Integer(), sa.ForeignKey('building.id'), nullable=False),
        sa.Column('unit_id', sa.Integer(), sa.ForeignKey('org_unit.id'), nullable=False),
        sa.Column('inspector_id', sa.Integer(), sa.ForeignKey('app_user.id'), nullable=False),
        sa.Column('recurrence', sa.String(20), nullable=False),
        sa.Column('interval', sa.Integer(), nullable=False),
        sa.Column('weekdays', sa.JSON(), nullable=False),
        sa.Column('season_from', sa.Integer()),
        sa.Column('season_to', sa.Integer()),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('until', sa.Date()),
        sa.Column('recurs_from', sa.Date()),
        sa.Column('active', sa.Boolean(), nullable=False),
        _at('created_at', nullable=False),
    )
    op.create_index('ix_inspection_schedule_school_id', 'inspection_schedule', ['school_id'])
    op.create_table(
        'inspection_round',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False),
        sa.Column('number', sa.String(40), nullable=False, unique=True),
        sa.Column('kind', sa.String(20), nullable=False),
        sa.Column('status', sa.String(20), nullable=False),
        sa.Column('template_id', sa.Integer(), sa.ForeignKey('inspection_template.id'), nullable=False),
        sa.Column('schedule_id', sa.Integer(), sa.ForeignKey('inspection_schedule.id')),
        sa.Column('building_id', sa.Integer(), sa.ForeignKey('building.id'), nullable=False),
        sa.Column('spot', sa.String(200), nullable=False),
        sa.Column('unit_id', sa.Integer(), sa.ForeignKey('org_unit.id'), nullable=False),
        sa.Column('inspector_id', sa.Integer(), sa.ForeignKey('app_user.id'), nullable=False),
        sa.Column('planned_on', sa.Date()),
        sa.Column('score', sa.Integer()),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('confirmed_by', sa.String(120), nullable=False),
        sa.Column('confirmed', sa.Boolean(), nullable=False),
        _at('created_at', nullable=False),
        _at('done_at'),
        sa.UniqueConstraint('schedule_id', 'planned_on'),
    )
    op.create_index('ix_inspection_round_school_id', 'inspection_round', ['school_id'])
    op.create_index('ix_inspection_round_school_building', 'inspection_round', ['school_id', 'building_id'])
    op.create_table(
        'inspection_result',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('round_id', sa.Integer(), sa.ForeignKey('inspection_round.id'), nullable=False),
        sa.Column('item_id', sa.Integer(), sa.ForeignKey('inspection_item.id'), nullable=False),
        sa.Column('passed', sa.Boolean(), nullable=False),
        sa.Column('points', sa.Integer(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('photos', sa.JSON(), nullable=False),
    )
    op.create_index('ix_inspection_result_round_id', 'inspection_result', ['round_id'])
    op.create_table(
        'inspection_finding',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('school_id', sa.Integer(), sa.ForeignKey('school.id'), nullable=False),
        sa.Column('number', sa.String(40), nullable=False, unique=True),
        sa.Column('round_id', sa.Integer(), sa.ForeignKey('inspection_round.id'), nullable=False),
        sa.Column('item_id', sa.Integer(), sa.ForeignKey('inspection_item.id'), nullable=False),
        sa.Column('building_id', sa.Integer(), sa.ForeignKey('building.id'), nullable=False),
        sa.Column('unit_id', sa.Integer(), sa.ForeignKey('org_unit.id'), nullable=False),
        sa.Column('inspector_id', sa.Integer(), sa.ForeignKey('app_user.id'), nullable=False),
        sa.Column('severity', sa.String(20), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('photos', sa.JSON(), nullable=False),
        sa.Column('status', sa.String(20), nullable=False),
        sa.Column('colour', sa.String(10), nullable=False),
        _at('first_due_at', nullable=False),
        _at('due_at', nullable=False),
        sa.Column('fix_note', sa.Text(), nullable=False),
        sa.Column('fix_photos', sa.JSON(), nullable=False),
        _at('rectified_at'),
        sa.Column('rounds', sa.Integer(), nullable=False),
        sa.Column('repeat', sa.Boolean(), nullable=False),
        sa.Column('instance_id', sa.Integer()),
        _at('created_at', nullable=False),
        _at('closed_at'),
    )
    op.create_index('ix_inspection_finding_round_id', 'inspection_finding', ['round_id'])
    op.create_index('ix_inspection_finding_unit_id', 'inspection_finding', ['unit_id'])
    op.create_index('ix_inspection_finding_school_status', 'inspection_finding', ['school_id', 'status'])
    op.create_index('ix_inspection_finding_place', 'inspection_finding', ['school_id', 'building_id', 'item_id'])


def downgrade() -> None:
    for table in ('inspection_finding', 'inspection_result', 'inspection_round', 'inspection_schedule',
                  'inspection_item', 'inspection_template'):
        op.drop_table(table)
