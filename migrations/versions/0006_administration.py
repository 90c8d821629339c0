"""administration: unit deactivation, staff/student numbers, dated and acting role assignments, token scope and
expiry, rooms

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 23:10:00
"""
from alembic import op
import sqlalchemy as sa
import engine.db


revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("org_unit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()))

    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("number", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("kind", sa.String(length=20), nullable=True))
        batch_op.create_unique_constraint(batch_op.f("uq_app_user_school_id_number"), ["school_id", "number"])

    with op.batch_alter_table("role_assignment", schema=None) as batch_op:
        batch_op.add_column(sa.Column("starts_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("ends_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("covers_user_id", sa.Integer(), nullable=True))

    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.add_column(sa.Column("scope", sa.String(length=20), nullable=False, server_default="write"))
        batch_op.add_column(sa.Column("expires_at", engine.db.UtcDateTime(timezone=True), nullable=True))

    op.create_table("room",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("school_id", sa.Integer(), nullable=False),
    sa.Column("building_id", sa.Integer(), nullable=False),
    sa.Column("floor", sa.String(length=20), nullable=False),
    sa.Column("number", sa.String(length=40), nullable=False),
    sa.Column("name", sa.String(length=120), nullable=True),
    sa.ForeignKeyConstraint(["building_id"], ["building.id"], name=op.f("fk_room_building_id_building")),
    sa.ForeignKeyConstraint(["school_id"], ["school.id"], name=op.f("fk_room_school_id_school")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_room")),
    sa.UniqueConstraint("building_id", "number", name=op.f("uq_room_building_id_number"))
    )
    with op.batch_alter_table("room", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_room_building_id"), ["building_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_room_school_id"), ["school_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("room", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_room_school_id"))
        batch_op.drop_index(batch_op.f("ix_room_building_id"))
    op.drop_table("room")

    with op.batch_alter_table("api_token", schema=None) as batch_op:
        batch_op.drop_column("expires_at")
        batch_op.drop_column("scope")

    with op.batch_alter_table("role_assignment", schema=None) as batch_op:
        batch_op.drop_column("covers_user_id")
        batch_op.drop_column("ends_on")
        batch_op.drop_column("starts_on")

    with op.batch_alter_table("app_user", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_app_user_school_id_number"), type_="unique")
        batch_op.drop_column("kind")
        batch_op.drop_column("number")

    with op.batch_alter_table("org_unit", schema=None) as batch_op:
        batch_op.drop_column("active")
