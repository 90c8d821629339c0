"""A complaint, suggestion or praise, with what it is about, who handles it and how it ended."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.clock import now
from engine.db import Base, UtcDateTime
from workflows.colours import Colour


class Complaint(Base):
    """One complaint. ``complainant_id`` is empty when it was made anonymously (or phoned in by someone without an
    account); ``unit_id`` is the responsible unit (the target unit until triage names another). The deadlines are
    set at triage from the rules, so the figures compare each response with the deadline it had."""

    __tablename__ = "complaint"
    __table_args__ = (Index("ix_complaint_school_status", "school_id", "status"),
                      Index("ix_complaint_school_created", "school_id", "created_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    number: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(20))
    channel: Mapped[str] = mapped_column(String(20))
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    complainant_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    target_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    target_person_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    target_place: Mapped[str] = mapped_column(String(200), default="")  # where it happened, in words
    description: Mapped[str] = mapped_column(Text)
    attachments: Mapped[list] = mapped_column(JSON, default=list)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="triage")
    colour: Mapped[str] = mapped_column(String(10), default=Colour.none)
    triage_decision: Mapped[str | None] = mapped_column(String(20))
    forward_reason: Mapped[str | None] = mapped_column(Text)
    first_response_due: Mapped[datetime | None] = mapped_column(UtcDateTime)
    first_response_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    resolution_due: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reply: Mapped[str | None] = mapped_column(Text)
    replied_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    satisfied: Mapped[bool | None] = mapped_column(Boolean)
    rounds: Mapped[int] = mapped_column(Integer, default=0)  # times handled again after a "not satisfied"
    instance_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
