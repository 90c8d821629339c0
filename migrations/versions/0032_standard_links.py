"""standard links: inspection checklist items and work plan checklist lines name a standards library item

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-05 22:50:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('inspection_item', schema=None) as batch_op:
        batch_op.add_column(sa.Column('standard_document_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('standard_number', sa.String(20), nullable=True))
        batch_op.create_foreign_key('fk_inspection_item_standard_document', 'standard_document',
                                    ['standard_document_id'], ['id'], ondelete='SET NULL')
    with op.batch_alter_table('work_plan', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checklist_standards', sa.JSON(), nullable=False, server_default='[]'))


def downgrade() -> None:
    with op.batch_alter_table('work_plan', schema=None) as batch_op:
        batch_op.drop_column('checklist_standards')
    with op.batch_alter_table('inspection_item', schema=None) as batch_op:
        batch_op.drop_constraint('fk_inspection_item_standard_document', type_='foreignkey')
        batch_op.drop_column('standard_number')
        batch_op.drop_column('standard_document_id')
