"""Admin changes in the audit log: who changed what, with the values before and after.

Every admin service (people, org chart, catalogue, locations, imports) records through :func:`record_change`
in the same transaction as the change, so the log and the data never disagree.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from engine import audit
from engine.models import AuditEvent


def record_change(session: Session, *, actor: str, action: str, school_id: int | None, target: str,
                  before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
                  **extra: Any) -> AuditEvent:
    """Append one audit row: ``action`` (``admin.user.update``…) by ``actor`` on ``target`` (``user:12``)."""
    details: dict[str, Any] = {"target": target, **extra}
    if before is not None:
        details["before"] = before
    if after is not None:
        details["after"] = after
    event = audit.record(session, action=action, actor=actor, details=details)
    event.school_id = school_id
    return event


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the fields that differ, as (before, after)."""
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}
