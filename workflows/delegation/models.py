"""Delegated tasks (a tree through ``parent_id``) and their progress reports."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from engine.clock import now
from engine.db import Base, UtcDateTime
from workflows.colours import Colour


class DelegatedTask(Base):
    """A task assigned by ``assigner`` to a person or, when ``assignee_id`` is empty, to a unit.

    A sub-task's deadline is never later than its parent's; ``colour`` is the latest supervision slip.
    """

    __tablename__ = "delegated_task"
    __table_args__ = (Index("ix_delegated_task_school_status", "school_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    number: Mapped[str] = mapped_column(String(40), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("delegated_task.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    acceptance_criteria: Mapped[str] = mapped_column(Text, default="")
    priority: Mapped[str] = mapped_column(String(10), default="normal")
    deadline: Mapped[datetime] = mapped_column(UtcDateTime)
    assigner_id: Mapped[int] = mapped_column(ForeignKey("app_user.id"))
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    attachments: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20), default="open")
    colour: Mapped[str] = mapped_column(String(10), default=Colour.none)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    last_report_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    instance_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class ProgressReport(Base):
    __tablename__ = "progress_report"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    task_id: Mapped[int] = mapped_column(ForeignKey("delegated_task.id", ondelete="CASCADE"), index=True)
    percent: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    evidence: Mapped[list] = mapped_column(JSON, default=list)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
