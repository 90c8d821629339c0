"""The in-app channel: turn an outbox message into one notification per recipient user."""
from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, cast

from sqlalchemy import CursorResult, func, select, update
from sqlalchemy.orm import Session

from engine.clock import now
from engine.models import OutboxMessage
from workflows.notifications import personal
from workflows.notifications.channels import fan_out_webhooks
from workflows.notifications.enums import PersonalChannel
from workflows.notifications.models import Notification
from workflows.people.service import holder_ids


def recipients(session: Session, message: OutboxMessage) -> set[int]:
    spec = message.recipients or {}
    ids = {int(u) for u in spec.get("users", []) if u is not None}
    for role in spec.get("roles", []):
        ids |= holder_ids(session, role=role, school_id=message.school_id, org_unit_id=spec.get("org_unit_id"))
    return ids


def send_inapp(session: Session, message: OutboxMessage, *, personal_order: tuple[PersonalChannel, ...] = (),
               webhooks: bool = False) -> None:
    """Outbox channel sender (idempotent: a retried message does not notify twice).

    After the notifications it fans out: one personal message per recipient on the first channel of
    ``personal_order`` that reaches them (:mod:`workflows.notifications.personal`) and, with ``webhooks``, one row
    per group-bot target; each deduplicated by the source row, so a re-run queues nothing twice.
    """
    already = set(session.scalars(select(Notification.user_id).where(Notification.outbox_id == message.id)))
    users = recipients(session, message)
    for user_id in sorted(users - already):
        session.add(Notification(user_id=user_id, school_id=message.school_id, outbox_id=message.id, kind=message.kind,
                                 business_key=message.business_key, payload=message.payload, created_at=now()))
    personal.fan_out(session, message, users, personal_order)
    if webhooks:
        fan_out_webhooks(session, message)


def inapp_sender(personal_order: tuple[PersonalChannel, ...] = (), *,
                 webhooks: bool = True) -> Callable[[Session, OutboxMessage], None]:
    """The ``inapp`` sender that also sends personal messages along ``personal_order`` and to group bots."""
    return partial(send_inapp, personal_order=tuple(personal_order), webhooks=webhooks)


def unread_count(session: Session, *, user_id: int) -> int:
    return session.scalar(select(func.count()).where(Notification.user_id == user_id, Notification.read_at.is_(None))) or 0


def latest(session: Session, *, user_id: int, limit: int = 20) -> list[Notification]:
    return list(session.scalars(select(Notification).where(Notification.user_id == user_id)
                                .order_by(Notification.id.desc()).limit(limit)))


def mark_read(session: Session, *, user_id: int, notification_id: int | None = None) -> int:
    stmt = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if notification_id is not None:
        stmt = stmt.where(Notification.id == notification_id)
    return cast("CursorResult[Any]", session.execute(stmt.values(read_at=now()))).rowcount  # an UPDATE's result is a cursor's
