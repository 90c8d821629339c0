"""Unfinished edits of a process: one draft per process and scope (a school's, or the platform's), saved from the
editor, never run.

A draft holds the editor's XML as it was last saved; it is deployed (validated, then stored as
a new version) or discarded. Keeping it apart from ``process_definition`` means a half-made
diagram can never become active.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Integer, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from engine.audit import record
from engine.audit_actions import AuditAction
from engine.clock import now
from engine.db import Base, UtcDateTime


class ProcessDraft(Base):
    __tablename__ = "process_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    process_key: Mapped[str] = mapped_column(String(120), index=True)
    school_id: Mapped[int | None] = mapped_column(Integer)  # None: a draft of a platform version
    sources: Mapped[dict[str, str]] = mapped_column(JSON)  # file name -> XML text
    base_version: Mapped[int | None] = mapped_column()
    saved_by: Mapped[str | None] = mapped_column(String(120))
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    comment: Mapped[str | None] = mapped_column(Text)


def save_draft(session: Session, *, process_key: str, sources: dict[str, str], base_version: int | None,
               actor: str | None, comment: str | None = None, school_id: int | None = None) -> ProcessDraft:
    """Store (or replace) the draft of ``process_key`` in ``school_id``'s scope; audited."""
    draft = draft_of(session, process_key, school_id)
    if draft is None:
        draft = ProcessDraft(process_key=process_key, school_id=school_id)
        session.add(draft)
    draft.sources, draft.base_version, draft.saved_by, draft.saved_at, draft.comment = (
        dict(sources), base_version, actor, now(), comment)
    session.flush()
    record(session, action=AuditAction.DEFINITION_DRAFT_SAVED, actor=actor, school_id=school_id,
           details={"process_key": process_key, "base_version": base_version})
    return draft


def draft_of(session: Session, process_key: str, school_id: int | None = None) -> ProcessDraft | None:
    scope = ProcessDraft.school_id.is_(None) if school_id is None else ProcessDraft.school_id == school_id
    return session.scalar(select(ProcessDraft).where(ProcessDraft.process_key == process_key, scope))


def discard_draft(session: Session, *, process_key: str, actor: str | None, school_id: int | None = None) -> None:
    draft = draft_of(session, process_key, school_id)
    if draft is not None:
        session.delete(draft)
        record(session, action=AuditAction.DEFINITION_DRAFT_DISCARDED, actor=actor, school_id=school_id,
               details={"process_key": process_key})
