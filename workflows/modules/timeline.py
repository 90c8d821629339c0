"""A business object's timeline: the audit rows filed under its business key in its school, oldest first,
as the plain dictionaries pages and the API share."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.models import AuditEvent


def audit_rows(session: Session, *, school_id: int, key: str) -> list[AuditEvent]:
    return list(session.scalars(select(AuditEvent).where(AuditEvent.business_key == key, AuditEvent.school_id == school_id)
                                .order_by(AuditEvent.at, AuditEvent.id)))


def event_dict(event: AuditEvent) -> dict[str, Any]:
    return {"at": event.at.isoformat() if event.at else None, "action": event.action, "actor": event.actor,
            "task": event.task_name, "details": event.details}


def events(session: Session, *, school_id: int, key: str) -> list[dict[str, Any]]:
    return [event_dict(e) for e in audit_rows(session, school_id=school_id, key=key)]
