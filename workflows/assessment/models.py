"""Assessment schemes (one row per version), campaigns, the points of each item and the appeals beside them."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.clock import now
from engine.db import Base, UtcDateTime


class SchemeVersion(Base):
    """One version of an assessment scheme (考核方案). A scheme is its ``code``; editing a version a campaign used
    adds the next version instead, so every campaign keeps the rules it was scored by. ``items`` are the
    indicators with their weights and scoring rules, ``bands`` the grades with their lower bounds and the contract's
    payment deduction (see :mod:`workflows.assessment.schemes`)."""

    __tablename__ = "assessment_scheme"
    __table_args__ = (UniqueConstraint("school_id", "code", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, default=1)
    name: Mapped[str] = mapped_column(String(200))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    contract: Mapped[str] = mapped_column(String(200), default="")  # the service contract it assesses
    schedule: Mapped[str] = mapped_column(String(20), default="monthly")
    items: Mapped[list] = mapped_column(JSON, default=list)
    bands: Mapped[list] = mapped_column(JSON, default=list)
    current: Mapped[bool] = mapped_column(Boolean, default=True)  # the version new campaigns use
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)


class Campaign(Base):
    """One assessment of one unit for one period under one scheme version; ``period_key`` makes the scheduled
    ones unique (``monthly:2026-11``), a special one carries its own number."""

    __tablename__ = "assessment_campaign"
    __table_args__ = (UniqueConstraint("school_id", "scheme_code", "period_key"),
                      Index("ix_assessment_campaign_school_status", "school_id", "status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    number: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    scheme_id: Mapped[int] = mapped_column(ForeignKey("assessment_scheme.id"), index=True)
    scheme_code: Mapped[str] = mapped_column(String(40))
    unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)  # inclusive, a local day
    period_key: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(20), default="scoring")
    total: Mapped[float | None] = mapped_column(Float)
    grade: Mapped[str | None] = mapped_column(String(20))
    deduction_percent: Mapped[float | None] = mapped_column(Float)
    appeal_due: Mapped[datetime | None] = mapped_column(UtcDateTime)
    accepted_by_silence: Mapped[bool] = mapped_column(Boolean, default=False)
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    approval_note: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    instance_id: Mapped[int | None] = mapped_column(Integer)
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)


class ItemScore(Base):
    """An item's result in a campaign: the measured value of a computed item, or the findings of a scored one
    (``[{"rule": code, "count": n, "note": …}]``) with their evidence, and the points they give."""

    __tablename__ = "assessment_score"
    __table_args__ = (UniqueConstraint("campaign_id", "item_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    campaign_id: Mapped[int] = mapped_column(ForeignKey("assessment_campaign.id", ondelete="CASCADE"), index=True)
    item_key: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(String(20))
    value: Mapped[float | None] = mapped_column(Float)
    basis: Mapped[int] = mapped_column(Integer, default=0)
    findings: Mapped[list] = mapped_column(JSON, default=list)
    evidence: Mapped[list] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    points: Mapped[float | None] = mapped_column(Float)
    scored_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    scored_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class Appeal(Base):
    """The unit's appeal against one item, kept beside the item: the points it had, the points the leader's
    decision gave (the same when rejected), and who said what."""

    __tablename__ = "assessment_appeal"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    campaign_id: Mapped[int] = mapped_column(ForeignKey("assessment_campaign.id", ondelete="CASCADE"), index=True)
    item_key: Mapped[str] = mapped_column(String(40))
    reason: Mapped[str] = mapped_column(Text)
    evidence: Mapped[list] = mapped_column(JSON, default=list)
    original_points: Mapped[float] = mapped_column(Float)
    decided_points: Mapped[float | None] = mapped_column(Float)
    decision: Mapped[str | None] = mapped_column(String(20))
    decision_note: Mapped[str | None] = mapped_column(Text)
    appealed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
