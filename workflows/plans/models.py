"""Work plans and their occurrences; one occurrence per plan and date (the generator relies on it)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.clock import now
from engine.db import Base, UtcDateTime
from workflows.colours import Colour


class RecurrenceColumns:
    """The columns a recurrence is read from (:class:`workflows.plans.recurrence.Recurring`): a work plan's, and any
    other row on the same calendar (an inspection schedule's)."""

    recurrence: Mapped[str] = mapped_column(String(20))
    interval: Mapped[int] = mapped_column(Integer, default=1)
    weekdays: Mapped[list] = mapped_column(JSON, default=list)
    season_from: Mapped[int | None] = mapped_column(Integer)
    season_to: Mapped[int | None] = mapped_column(Integer)
    starts_on: Mapped[date] = mapped_column(Date)
    until: Mapped[date | None] = mapped_column(Date)
    recurs_from: Mapped[date | None] = mapped_column(Date)


class WorkPlan(RecurrenceColumns, Base):
    """A duty a service unit must carry out, once or on a recurrence, checked by a supervisor.

    ``interval`` counts weeks (weekly, seasonal), months (monthly, monthly_weekday) or years (yearly);
    ``weekdays`` (0 Monday … 6 Sunday) are the days of a weekly or seasonal plan's weeks when it falls on several
    (empty: the first date's weekday);
    ``season_from``/``season_to`` bound a seasonal plan to months of the year (6, 9: June–September).
    ``checklist_standards`` runs beside ``checklist``: per line the standard item it checks
    (``{"document_id": 3, "number": "1.2"}``, see :mod:`workflows.standards.links`) or null.
    ``recurs_from`` is the day an edit of the recurrence or a reactivation took effect: no occurrence is
    generated before it, so neither fills in dates behind it.
    """

    __tablename__ = "work_plan"
    __table_args__ = (Index("ix_work_plan_school_unit", "school_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    title: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    responsible_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    places: Mapped[list] = mapped_column(JSON, default=list)
    duration_days: Mapped[int] = mapped_column(Integer, default=1)
    checklist: Mapped[list] = mapped_column(JSON, default=list)
    checklist_standards: Mapped[list] = mapped_column(JSON, default=list)
    evidence: Mapped[list] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)

    occurrences: Mapped[list[PlanOccurrence]] = relationship(back_populates="plan", order_by="PlanOccurrence.occurs_on")


class PlanOccurrence(Base):
    """One date of a plan, carried by its own process instance (business key ``number``)."""

    __tablename__ = "plan_occurrence"
    __table_args__ = (UniqueConstraint("plan_id", "occurs_on"), Index("ix_plan_occurrence_school_start", "school_id", "starts_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    plan_id: Mapped[int] = mapped_column(ForeignKey("work_plan.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    occurs_on: Mapped[date] = mapped_column(Date)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime)
    due_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(20), default="scheduled")
    colour: Mapped[str] = mapped_column(String(10), default=Colour.none)
    instance_id: Mapped[int | None] = mapped_column(Integer)
    checklist_done: Mapped[list] = mapped_column(JSON, default=list)
    evidence: Mapped[list] = mapped_column(JSON, default=list)
    execution_note: Mapped[str | None] = mapped_column(Text)
    meter_readings: Mapped[str | None] = mapped_column(Text)
    score: Mapped[int | None] = mapped_column(Integer)
    passed: Mapped[bool | None] = mapped_column(Boolean)
    review_comment: Mapped[str | None] = mapped_column(Text)
    rectification_rounds: Mapped[int] = mapped_column(Integer, default=0)
    reminded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    executed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    plan: Mapped[WorkPlan] = relationship(back_populates="occurrences", lazy="joined")
