"""Admin changes in the audit log: who changed what, with the values before and after.

Every admin service (people, org chart, catalogue, locations, imports) records through :func:`record_change`
in the same transaction as the change, so the log and the data never disagree.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import audit
from engine.models import AuditEvent
from engine.paging import PER_PAGE, Page, paged

PREFIX = "admin."


def record_change(session: Session, *, actor: str, action: str, school_id: int | None, target: str,
                  before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
                  **extra: Any) -> None:
    """Append one audit row: ``action`` (``admin.user.update``…) by ``actor`` on ``target`` (``user:12``)."""
    details: dict[str, Any] = {"target": target, **extra}
    if before is not None:
        details["before"] = before
    if after is not None:
        details["after"] = after
    audit.record(session, action=action, actor=actor, school_id=school_id, details=details)


def changes_page(session: Session, *, school_id: int, actor: str = "", subject: str = "", page: int = 1,
                 per_page: int = PER_PAGE) -> Page:
    """The school's admin changes, newest first; ``subject`` narrows to one kind (``user``, ``unit``, ``role``…)."""
    where = [AuditEvent.school_id == school_id, AuditEvent.action.startswith(PREFIX + subject if subject else PREFIX)]
    if actor:
        where.append(AuditEvent.actor == actor)
    stmt = select(AuditEvent).where(*where).order_by(AuditEvent.id.desc())
    return paged(session, stmt, select(func.count(AuditEvent.id)).where(*where), page, per_page)


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that differ, as (before, after)."""
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
