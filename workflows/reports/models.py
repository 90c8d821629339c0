"""A generated (or generating) service-analysis report, and who subscribed to which reports."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.clock import now
from engine.db import Base, UtcDateTime
from engine.statuses import JobStatus


class ServiceReport(Base):
    """One report of a period (``month`` or ``quarter``) for a school or one of its service units.

    ``status`` moves queued → running → done | failed; ``progress`` (0–100) and ``step`` feed the progress page.
    The files live in the runtime's reports directory under ``pdf_name`` and ``xlsx_name``.
    """

    __tablename__ = "service_report"
    __table_args__ = (Index("ix_service_report_scope", "school_id", "period", "period_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    period: Mapped[str] = mapped_column(String(10))  # month | quarter
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)  # last day, included
    locale: Mapped[str] = mapped_column(String(10), default="zh_CN")
    status: Mapped[str] = mapped_column(String(20), default=JobStatus.QUEUED)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    step: Mapped[str] = mapped_column(String(40), default="")
    pdf_name: Mapped[str | None] = mapped_column(String(120))
    xlsx_name: Mapped[str | None] = mapped_column(String(120))
    error: Mapped[str | None] = mapped_column(Text)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ReportSubscription(Base):
    """A user who gets a notification (in-app, and e-mail/webhook by their preferences) when a report of the
    school (``unit_id`` None) or of one service unit is ready."""

    __tablename__ = "report_subscription"
    __table_args__ = (UniqueConstraint("user_id", "school_id", "unit_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    unit_key: Mapped[int] = mapped_column(Integer, default=0)  # unit_id or 0: NULLs never collide in a unique key
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
