"""a rectification round's deadline, set from the rules when the callback asked for it

Rounds already recorded get the deadline the figures assumed until now: 48 hours after their callback.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05 04:00:00
"""
from datetime import timedelta

from alembic import op
import sqlalchemy as sa

import engine.db


revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None

_rectification = sa.table('rectification', sa.column('id', sa.Integer), sa.column('order_id', sa.Integer),
                          sa.column('round', sa.Integer), sa.column('started_at', sa.DateTime(timezone=True)),
                          sa.column('completed_at', sa.DateTime(timezone=True)), sa.column('due_at', sa.DateTime(timezone=True)))
_callback = sa.table('callback', sa.column('order_id', sa.Integer), sa.column('round', sa.Integer),
                     sa.column('kind', sa.String), sa.column('created_at', sa.DateTime(timezone=True)))


def upgrade() -> None:
    with op.batch_alter_table('rectification') as batch:
        batch.add_column(sa.Column('due_at', engine.db.UtcDateTime(timezone=True), nullable=True))
    connection = op.get_bind()
    asked = (sa.select(sa.func.min(_callback.c.created_at))
             .where(_callback.c.order_id == _rectification.c.order_id, _callback.c.round == _rectification.c.round - 1,
                    _callback.c.kind == 'callback').scalar_subquery())
    rows = connection.execute(sa.select(_rectification.c.id, asked.label('asked'), _rectification.c.completed_at)).all()
    for row_id, asked_at, completed_at in rows:
        connection.execute(sa.update(_rectification).where(_rectification.c.id == row_id).values(
            started_at=asked_at or completed_at, due_at=(asked_at + timedelta(hours=48)) if asked_at else completed_at))


def downgrade() -> None:
    with op.batch_alter_table('rectification') as batch:
        batch.drop_column('due_at')
