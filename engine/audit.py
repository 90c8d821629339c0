"""The audit log: one append-only row per state change, written in the same transaction."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from engine.models import AuditEvent, ProcessInstance

_MAX_VALUE_CHARS = 200


def record(session: Session, *, action: str, actor: str | None = None, instance: ProcessInstance | None = None, task_id: str | None = None,
           task_name: str | None = None, details: dict[str, Any] | None = None, school_id: int | None = None,
           business_key: str | None = None) -> AuditEvent:
    """One audit row; filed under the instance's school and business key, else ``school_id`` and ``business_key``
    (a school's own diagram versions; a business act outside any process step)."""
    event = AuditEvent(
        action=action, actor=actor, task_id=task_id, task_name=task_name, details=details or {},
        instance_id=getattr(instance, "id", None),
        business_key=getattr(instance, "business_key", None) if instance is not None else business_key,
        school_id=getattr(instance, "school_id", None) if instance is not None else school_id,
    )
    session.add(event)
    return event


def _short(value: Any) -> Any:
    text = repr(value)
    return value if len(text) <= _MAX_VALUE_CHARS and isinstance(value, (str, int, float, bool, type(None))) else text[:_MAX_VALUE_CHARS]


def data_diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Summarise what a step changed in task data: added, changed and removed top-level keys."""
    added = {k: _short(after[k]) for k in after.keys() - before.keys()}
    changed = {k: _short(after[k]) for k in after.keys() & before.keys() if after[k] != before[k]}
    removed = sorted(before.keys() - after.keys())
    return {key: val for key, val in (("added", added), ("changed", changed), ("removed", removed)) if val}
