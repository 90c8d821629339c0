"""daily dashboard figures, service-analysis reports and report subscriptions

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 23:00:00
"""
from alembic import op
import sqlalchemy as sa
import engine.db


revision = '0009'
down_revision = "0008"
branch_labels = None
depends_on = None

COUNTS = ('received', 'completed', 'reviewed', 'worked', 'open_green', 'open_yellow', 'open_red', 'solved_green',
          'solved_yellow', 'solved_red', 'good_ratings', 'bad_ratings', 'default_good', 'callbacks_pending',
          'ratings_excluded', 'callbacks_done', 'rectifications_on_time', 'rectifications_late')


def upgrade() -> None:
    op.create_table('daily_figure',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('campus_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    *[sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS],
    sa.Column('review_seconds', sa.Float(), nullable=False),
    sa.Column('complete_seconds', sa.Float(), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_daily_figure_school_id_school')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_daily_figure'))
    )
    with op.batch_alter_table('daily_figure', schema=None) as batch_op:
        batch_op.create_index('ix_daily_figure_scope', ['school_id', 'day'], unique=False)

    op.create_table('daily_figure_state',
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('through', sa.Date(), nullable=False),
    sa.Column('refreshed_at', engine.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_daily_figure_state_school_id_school')),
    sa.PrimaryKeyConstraint('school_id', name=op.f('pk_daily_figure_state'))
    )

    op.create_table('service_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('period', sa.String(length=10), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('locale', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=40), nullable=False),
    sa.Column('pdf_name', sa.String(length=120), nullable=True),
    sa.Column('xlsx_name', sa.String(length=120), nullable=True),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', engine.db.UtcDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', engine.db.UtcDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['requested_by_id'], ['app_user.id'], name=op.f('fk_service_report_requested_by_id_app_user')),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_service_report_school_id_school')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_service_report_unit_id_org_unit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_service_report'))
    )
    with op.batch_alter_table('service_report', schema=None) as batch_op:
        batch_op.create_index('ix_service_report_scope', ['school_id', 'period', 'period_start'], unique=False)

    op.create_table('report_subscription',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('school_id', sa.Integer(), nullable=False),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('unit_key', sa.Integer(), nullable=False),
    sa.Column('created_at', engine.db.UtcDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_report_subscription_school_id_school')),
    sa.ForeignKeyConstraint(['unit_id'], ['org_unit.id'], name=op.f('fk_report_subscription_unit_id_org_unit')),
    sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_report_subscription_user_id_app_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_subscription')),
    sa.UniqueConstraint('user_id', 'school_id', 'unit_key', name=op.f('uq_report_subscription_user_id_school_id_unit_key'))
    )
    with op.batch_alter_table('report_subscription', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_subscription_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_table('report_subscription')
    op.drop_table('service_report')
    op.drop_table('daily_figure_state')
    op.drop_table('daily_figure')
