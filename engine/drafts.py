"""Unfinished edits of a process: one draft per process, saved from the editor, never run.

A draft holds the editor's XML as it was last saved; it is deployed (validated, then stored as
a new version) or discarded. Keeping it apart from ``process_definition`` means a half-made
diagram can never become active.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String, Text, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from engine.audit import record
from engine.audit_actions import AuditAction
from engine.clock import now
from engine.db import Base, UtcDateTime


class ProcessDraft(Base):
    __tablename__ = "process_draft"

    process_key: Mapped[str] = mapped_column(String(120), primary_key=True)
    sources: Mapped[dict[str, str]] = mapped_column(JSON)  # file name -> XML text
    base_version: Mapped[int | None] = mapped_column()
    saved_by: Mapped[str | None] = mapped_column(String(120))
    saved_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now)
    comment: Mapped[str | None] = mapped_column(Text)


def save_draft(session: Session, *, process_key: str, sources: dict[str, str], base_version: int | None,
               actor: str | None, comment: str | None = None) -> ProcessDraft:
    """Store (or replace) the draft of ``process_key``; audited."""
    draft = session.get(ProcessDraft, process_key)
    if draft is None:
        draft = ProcessDraft(process_key=process_key)
        session.add(draft)
    draft.sources, draft.base_version, draft.saved_by, draft.saved_at, draft.comment = (
        dict(sources), base_version, actor, now(), comment)
    session.flush()
    record(session, action=AuditAction.DEFINITION_DRAFT_SAVED, actor=actor,
           details={"process_key": process_key, "base_version": base_version})
    return draft


def draft_of(session: Session, process_key: str) -> ProcessDraft | None:
    return session.scalar(select(ProcessDraft).where(ProcessDraft.process_key == process_key))


def discard_draft(session: Session, *, process_key: str, actor: str | None) -> None:
    draft = session.get(ProcessDraft, process_key)
    if draft is not None:
        session.delete(draft)
        record(session, action=AuditAction.DEFINITION_DRAFT_DISCARDED, actor=actor, details={"process_key": process_key})
