"""The in-app channel: turn an outbox message into one notification per recipient user."""
from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from engine.clock import now
from engine.models import OutboxMessage
from workflows.notifications.models import Notification
from workflows.people.service import users_with_role


def recipients(session: Session, message: OutboxMessage) -> set[int]:
    spec = message.recipients or {}
    ids = {int(u) for u in spec.get("users", []) if u is not None}
    for role in spec.get("roles", []):
        ids.update(u.id for u in users_with_role(session, role=role, school_id=message.school_id,
                                                 org_unit_id=spec.get("org_unit_id")))
    return ids


def send_inapp(session: Session, message: OutboxMessage) -> None:
    """Outbox channel sender (idempotent: a retried message does not notify twice)."""
    already = set(session.scalars(select(Notification.user_id).where(Notification.outbox_id == message.id)))
    for user_id in sorted(recipients(session, message) - already):
        session.add(Notification(user_id=user_id, school_id=message.school_id, outbox_id=message.id, kind=message.kind,
                                 business_key=message.business_key, payload=message.payload, created_at=now()))


def unread_count(session: Session, *, user_id: int) -> int:
    return session.scalar(select(func.count()).where(Notification.user_id == user_id, Notification.read_at.is_(None))) or 0


def latest(session: Session, *, user_id: int, limit: int = 20) -> list[Notification]:
    return list(session.scalars(select(Notification).where(Notification.user_id == user_id)
                                .order_by(Notification.id.desc()).limit(limit)))


def mark_read(session: Session, *, user_id: int, notification_id: int | None = None) -> int:
    stmt = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    return session.execute(stmt.values(read_at=now())).rowcount
