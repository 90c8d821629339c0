"""The audit log: one append-only row per state change, written in the same transaction."""
from __future__ import annotations

from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from engine import context
from engine.models import AuditEvent, ProcessInstance

_MAX_VALUE_CHARS = 200


def record(session: Session, *, action: str, actor: str | None = None, instance: ProcessInstance | None = None, task_id: str | None = None,
           task_name: str | None = None, details: dict[str, Any] | None = None, school_id: int | None = None,
           business_key: str | None = None) -> None:
    """One audit row; filed under the instance's school and business key, else ``school_id`` and ``business_key``
    (a school's own diagram versions; a business act outside any process step).

    Inside an advance on ``session`` the row joins the advance's own, which :func:`write_advance_rows` inserts in
    one statement, in the order they happened, once everything recorded before the advance is flushed: a step
    writes half a dozen rows, and as ORM objects their bookkeeping cost more than the rest of the step's flush.
    A row recorded inside a savepoint a step opened stays an ORM object, so that it goes if the savepoint does."""
    row = {"action": action, "actor": actor, "task_id": task_id, "task_name": task_name, "details": details or {},
           "instance_id": getattr(instance, "id", None),
           "business_key": getattr(instance, "business_key", None) if instance is not None else business_key,
           "school_id": getattr(instance, "school_id", None) if instance is not None else school_id}
    advance = context.current_or_none()
    if advance is not None and advance.session is session and session.get_nested_transaction() is advance.savepoint:
        advance.audit.append(row)
    else:
        session.add(AuditEvent(**row))


def write_enclosing_rows(session: Session) -> None:
    """Before an advance starts inside another on ``session`` (a step started or woke it), or opens a savepoint:
    what the running one recorded so far happened first, and must not go with a savepoint that rolls back. What was
    recorded before those rows is flushed first, as it happened before them."""
    running = context.current_or_none()
    if running is not None and running.session is session and running.audit:
        session.flush()
        write_advance_rows(session, running)


def write_advance_rows(session: Session, advance: context.AdvanceContext) -> None:
    """Insert the advance's rows so far, in order, once the session is flushed (the advance's own flush, or
    :func:`write_enclosing_rows`'): rows recorded before them went out first."""
    if advance.audit:
        session.execute(insert(AuditEvent).execution_options(render_nulls=True), advance.audit)
        advance.audit.clear()


def _short(value: Any) -> Any:
    text = repr(value)
    return value if len(text) <= _MAX_VALUE_CHARS and isinstance(value, (str, int, float, bool, type(None))) else text[:_MAX_VALUE_CHARS]


def data_diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """Summarise what a step changed in task data: added, changed and removed top-level keys."""
    added = {k: _short(after[k]) for k in after.keys() - before.keys()}
    changed = {k: _short(after[k]) for k in after.keys() & before.keys() if after[k] != before[k]}
    removed = sorted(before.keys() - after.keys())
    return {key: val for key, val in (("added", added), ("changed", changed), ("removed", removed)) if val}
