"""A survey, the people asked (and whether they answered), and the answers.

Who answered and what was answered are separate rows: an anonymous survey's answers carry no person, while the
invitee row still says that person answered, so nobody answers twice and reminders go only to those who have not.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.clock import now
from engine.db import Base, UtcDateTime


class Survey(Base):
    """One questionnaire (``questions``: sections of questions, see :mod:`workflows.surveys.questions`), the unit
    it rates, its audience, its dates and ``link_key``, the secret part of its public link and QR code."""

    __tablename__ = "survey"
    __table_args__ = (Index("ix_survey_school_status", "school_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    number: Mapped[str] = mapped_column(String(40), unique=True)
    title_zh: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    intro_zh: Mapped[str] = mapped_column(Text, default="")
    intro_en: Mapped[str] = mapped_column(Text, default="")
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    audience: Mapped[str] = mapped_column(String(20))
    audience_campus_id: Mapped[int | None] = mapped_column(ForeignKey("campus.id"))
    audience_building_id: Mapped[int | None] = mapped_column(ForeignKey("building.id"))
    audience_text: Mapped[str] = mapped_column(String(200), default="")  # the canteen, in words
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    opens_at: Mapped[datetime] = mapped_column(UtcDateTime)
    closes_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    questions: Mapped[dict] = mapped_column(JSON, default=dict)
    link_key: Mapped[str] = mapped_column(String(40), unique=True)
    instance_id: Mapped[int | None] = mapped_column(Integer)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    opened_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class SurveyInvitee(Base):
    """One person asked: an account (``user_id``) or someone handed a one-time link (only the hash of its token is
    kept). ``answered_at`` is set once, when they answer; reminders count here."""

    __tablename__ = "survey_invitee"
    __table_args__ = (UniqueConstraint("survey_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    name: Mapped[str] = mapped_column(String(120), default="")
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    reminders: Mapped[int] = mapped_column(Integer, default=0)
    last_reminded_at: Mapped[datetime | None] = mapped_column(UtcDateTime)


class SurveyResponse(Base):
    """One set of answers (``{question id: value}``, visible questions only). ``user_id`` is empty when the survey
    is anonymous or the answer came by a one-time link."""

    __tablename__ = "survey_response"
    __table_args__ = (Index("ix_survey_response_survey_submitted", "survey_id", "submitted_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    channel: Mapped[str] = mapped_column(String(20))
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
