"""personal messages: WeCom / WeChat bindings and their one-time tickets, preferences per notification kind

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-08 10:00:00
"""
from alembic import op
import sqlalchemy as sa

import engine.db


revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('notification_preference') as batch:
        batch.add_column(sa.Column('kind', sa.String(length=60), nullable=False, server_default=''))
        batch.drop_constraint('uq_notification_preference_user_id_channel', type_='unique')
        batch.create_unique_constraint('uq_notification_preference_user_id_channel_kind', ['user_id', 'channel', 'kind'])

    op.create_table(
        'personal_binding',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('address', sa.String(length=128), nullable=False),
        sa.Column('created_at', engine.db.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_personal_binding_school_id_school')),
        sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_personal_binding_user_id_app_user'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_personal_binding')),
        sa.UniqueConstraint('user_id', 'channel', name=op.f('uq_personal_binding_user_id_channel')),
        sa.UniqueConstraint('school_id', 'channel', 'address', name=op.f('uq_personal_binding_school_id_channel_address')),
    )
    op.create_index(op.f('ix_personal_binding_user_id'), 'personal_binding', ['user_id'], unique=False)

    op.create_table(
        'binding_ticket',
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('school_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('created_at', engine.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', engine.db.UtcDateTime(timezone=True), nullable=False),
        sa.Column('used_at', engine.db.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['school_id'], ['school.id'], name=op.f('fk_binding_ticket_school_id_school')),
        sa.ForeignKeyConstraint(['user_id'], ['app_user.id'], name=op.f('fk_binding_ticket_user_id_app_user'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('digest', name=op.f('pk_binding_ticket')),
    )
    op.create_index(op.f('ix_binding_ticket_user_id'), 'binding_ticket', ['user_id'], unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_binding_ticket_user_id'), table_name='binding_ticket')
    op.drop_table('binding_ticket')
    op.drop_index(op.f('ix_personal_binding_user_id'), table_name='personal_binding')
    op.drop_table('personal_binding')
    op.execute("DELETE FROM notification_preference WHERE kind <> ''")
    with op.batch_alter_table('notification_preference') as batch:
        batch.drop_constraint('uq_notification_preference_user_id_channel_kind', type_='unique')
        batch.create_unique_constraint('uq_notification_preference_user_id_channel', ['user_id', 'channel'])
        batch.drop_column('kind')
