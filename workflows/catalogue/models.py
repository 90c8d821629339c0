"""Service catalogue (全覆盖: every service a school offers) and locations: campus → building → floor → room."""
from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column

from engine.db import Base
from workflows.bilingual import BilingualName


class CatalogueItem(BilingualName, Base):
    """A category (``parent_id`` None) or a service item under it, with the team that usually does it."""

    __tablename__ = "catalogue_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("catalogue_item.id"))
    code: Mapped[str] = mapped_column(String(40))
    default_team_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Building(Base):
    """A building of a campus; deactivated like a campus (kept for old orders, no longer offered on intake)."""

    __tablename__ = "building"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    campus_id: Mapped[int] = mapped_column(ForeignKey("campus.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class Room(Base):
    """A room of a building, on a floor (a label such as ``3`` or ``B1``); ``number`` is unique in its building,
    which is what a re-import of the location sheet matches on."""

    __tablename__ = "room"
    __table_args__ = (UniqueConstraint("building_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("building.id"), index=True)
    floor: Mapped[str] = mapped_column(String(20))
    number: Mapped[str] = mapped_column(String(40))
    name: Mapped[str | None] = mapped_column(String(120))
