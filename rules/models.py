"""Stored rule sets: every save is a new version with author, time and comment; never edited in place."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.clock import now
from engine.db import Base, UtcDateTime
from engine.statuses import JobStatus


class RuleSet(Base):
    __tablename__ = "rule_set"
    __table_args__ = (UniqueConstraint("school_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    author: Mapped[str] = mapped_column(String(120))
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    restored_from: Mapped[int | None] = mapped_column(Integer)


class RearmJob(Base):
    """Re-arming open instances after a rule change; ``cursor`` moves in the same transaction as each
    instance's re-arm, so a crashed or repeated run never re-arms an instance twice."""

    __tablename__ = "rule_rearm_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    rule_version: Mapped[int] = mapped_column(Integer)
    keys: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default=JobStatus.PENDING)
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    changed: Mapped[int] = mapped_column(Integer, default=0)
    cursor: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
