"""Work orders and what happens to them: photos, ratings (三对应), callbacks, rectifications, urgings."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.clock import now
from engine.db import Base, UtcDateTime
from workflows.colours import Colour


class WorkOrder(Base):
    __tablename__ = "work_order"
    __table_args__ = (
        UniqueConstraint("school_id", "number"),
        UniqueConstraint("school_id", "external_source", "external_id"),  # an imported order comes in once
        Index("ix_work_order_school_status", "school_id", "status"),
        Index("ix_work_order_school_created", "school_id", "created_at"),
        Index("ix_work_order_school_colour", "school_id", "colour"),  # the inbox's colour filter
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    number: Mapped[str] = mapped_column(String(30))
    channel: Mapped[str] = mapped_column(String(20))
    requester_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"), index=True)
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    contact_name: Mapped[str] = mapped_column(String(120))
    contact_phone: Mapped[str] = mapped_column(String(40))
    campus_id: Mapped[int] = mapped_column(ForeignKey("campus.id"))
    building_id: Mapped[int | None] = mapped_column(ForeignKey("building.id"))
    room: Mapped[str | None] = mapped_column(String(60))
    catalogue_item_id: Mapped[int] = mapped_column(ForeignKey("catalogue_item.id"))
    description: Mapped[str] = mapped_column(Text)
    urgency: Mapped[str] = mapped_column(String(20), default="normal")
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    colour: Mapped[str] = mapped_column(String(10), default=Colour.none)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    instance_id: Mapped[int | None] = mapped_column(Integer)
    rectification_rounds: Mapped[int] = mapped_column(Integer, default=0)
    reject_reason: Mapped[str | None] = mapped_column(Text)
    result_note: Mapped[str | None] = mapped_column(Text)
    materials: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    accepted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    external_source: Mapped[str | None] = mapped_column(String(60))  # the platform an imported order came from
    external_id: Mapped[str | None] = mapped_column(String(120))  # its id there
    reported_at: Mapped[datetime | None] = mapped_column(UtcDateTime)  # when it was reported there

    photos: Mapped[list[OrderPhoto]] = relationship(back_populates="order", lazy="selectin", order_by="OrderPhoto.id")


class OrderPhoto(Base):
    """A re-encoded image stored outside the web root; ``stage`` says report, result or rectification."""

    __tablename__ = "order_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("work_order.id", ondelete="CASCADE"), index=True)
    stage: Mapped[str] = mapped_column(String(20))
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)

    order: Mapped[WorkOrder] = relationship(back_populates="photos")


class Rating(Base):
    """One rating, tied to requester, service item and the worker who did the job (三对应).

    Ratings are never deleted or edited; an appeal records a decision beside the rating.
    """

    __tablename__ = "rating"
    __table_args__ = (UniqueConstraint("order_id", "round"), Index("ix_rating_school_created", "school_id", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    order_id: Mapped[int] = mapped_column(ForeignKey("work_order.id"), index=True)
    round: Mapped[int] = mapped_column(Integer, default=0)
    requester_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    catalogue_item_id: Mapped[int] = mapped_column(ForeignKey("catalogue_item.id"))
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    overall: Mapped[int] = mapped_column(Integer)
    quality: Mapped[int | None] = mapped_column(Integer)
    efficiency: Mapped[int | None] = mapped_column(Integer)
    attitude: Mapped[int | None] = mapped_column(Integer)
    comment: Mapped[str | None] = mapped_column(Text)
    is_bad: Mapped[bool] = mapped_column(Boolean, default=False)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    appeal_status: Mapped[str | None] = mapped_column(String(20))  # filed | upheld | dismissed


class Callback(Base):
    """An auditor's phone call to the requester after a bad rating (回访), or the follow-up after a fix."""

    __tablename__ = "callback"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    order_id: Mapped[int] = mapped_column(ForeignKey("work_order.id"), index=True)
    round: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(20))  # callback | followup
    auditor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    requester_said: Mapped[str] = mapped_column(Text)
    real_problem: Mapped[bool | None] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)


class Rectification(Base):
    __tablename__ = "rectification"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    order_id: Mapped[int] = mapped_column(ForeignKey("work_order.id"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    result_note: Mapped[str] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)  # when the callback asked for it
    completed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    # the rules' deadline when it was asked for: "on time" keeps meaning what it meant then
    due_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Urging(Base):
    """What a service-hall clerk or leader did about an order that turned green, yellow or red."""

    __tablename__ = "urging"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    order_id: Mapped[int] = mapped_column(ForeignKey("work_order.id"), index=True)
    colour: Mapped[str] = mapped_column(String(10))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    action_note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)


class ColourChange(Base):
    """Each time an order crossed a threshold; with the order's close time this gives solved-per-colour."""

    __tablename__ = "colour_change"
    __table_args__ = (UniqueConstraint("order_id", "colour"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("work_order.id"), index=True)
    colour: Mapped[str] = mapped_column(String(10))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)


class Appeal(Base):
    """An auditor's appeal against an unfair rating, decided by a leader; the rating itself stays."""

    __tablename__ = "rating_appeal"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    rating_id: Mapped[int] = mapped_column(ForeignKey("rating.id"), index=True)
    filed_by_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    reason: Mapped[str] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decision: Mapped[str | None] = mapped_column(String(20))  # upheld | dismissed
    decision_note: Mapped[str | None] = mapped_column(Text)
    filed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
