"""Notifications as outbox rows: written with the advance, sent after commit, retried with back-off.

Diagrams call the built-in ``notify`` helper; nothing is sent from inside a transaction that may
still roll back. A ``dedup_key`` makes a repeated reminder (catch-up bursts, redelivered tasks)
land once. Channel senders are registered by the domain (in-app, e-mail, webhooks).
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import aftercommit, context
from engine.clock import now
from engine.db import get_locked
from engine.models import OutboxMessage
from engine.registry import Registry
from engine.statuses import OutboxStatus

if TYPE_CHECKING:
    from engine.host import Dispatcher

MAX_ATTEMPTS = 6
BASE_BACKOFF = timedelta(seconds=30)


def notify(kind: str, roles: list[str] | None = None, users: list[int] | None = None, org_unit: int | None = None,
           key: str | None = None, channel: str = "inapp", **payload: Any) -> bool:
    """Diagram helper: queue a notification to roles (in ``org_unit``) and/or users.

    ``key`` makes the message unique per instance and kind (e.g. the reminder's ordinal).
    """
    ctx = context.current()
    dedup = f"{ctx.instance.id}:{kind}:{key}" if key is not None else None
    ctx.outbox.append({
        "kind": kind, "channel": channel, "dedup_key": dedup, "payload": payload,
        "recipients": {"roles": list(roles or []), "users": list(users or []), "org_unit_id": org_unit},
    })
    return True


def register_builtins(registry: Registry) -> None:
    registry.helper("notify", "Queue a notification (in-app and other channels) to roles or users")(notify)


def write(session: Session, ctx: context.AdvanceContext) -> list[OutboxMessage]:
    """Add the context's queued messages to the session, skipping any whose dedup key already exists; they get
    their ids in the advance's one flush, which sends them with the step's other rows.

    Identical messages queued in the same advance collapse into one: after downtime a reminder
    cycle catches up several firings in one pass, and the auditor should get one reminder, not five.
    """
    rows, seen = [], set()
    for item in ctx.outbox:
        identity = json.dumps([item["kind"], item["channel"], item["recipients"], item["payload"]], sort_keys=True, default=str)
        if identity in seen:
            continue
        seen.add(identity)
        if item["dedup_key"] and session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedup_key == item["dedup_key"])):
            continue
        row = OutboxMessage(instance_id=ctx.instance.id, business_key=ctx.instance.business_key,
                            school_id=ctx.instance.school_id, created_at=ctx.at, next_attempt_at=ctx.at, **item)
        session.add(row)
        rows.append(row)
    return rows


def post(session: Session, dispatcher: Dispatcher, *, kind: str, school_id: int | None, users: list[int], dedup_key: str,
         payload: dict[str, Any], business_key: str | None = None) -> OutboxMessage | None:
    """Queue an in-app message from outside an advance (a background job's result), sent after commit.

    Returns ``None`` when a message with ``dedup_key`` exists already: a re-run of the job notifies nobody twice.
    """
    return queue(session, dispatcher, channel="inapp", kind=kind, school_id=school_id,
                 recipients={"roles": [], "users": sorted(set(users)), "org_unit_id": None}, dedup_key=dedup_key,
                 payload=payload, business_key=business_key)


def queue(session: Session, dispatcher: Dispatcher, *, channel: str, kind: str, school_id: int | None,
          recipients: dict[str, Any], dedup_key: str, payload: dict[str, Any],
          business_key: str | None = None) -> OutboxMessage | None:
    """Queue a message on ``channel`` from outside an advance, sent after commit (and never if the caller's
    transaction rolls back); ``None`` when a message with ``dedup_key`` exists already."""
    if session.scalar(select(OutboxMessage.id).where(OutboxMessage.dedup_key == dedup_key)):
        return None
    at = now()
    row = OutboxMessage(business_key=business_key, school_id=school_id, kind=kind, channel=channel,
                        recipients=recipients, payload=payload, dedup_key=dedup_key, created_at=at, next_attempt_at=at)
    session.add(row)
    session.flush()
    message_id = row.id
    aftercommit.defer(session, lambda: dispatcher.send_outbox(message_id))
    return row


def send(session: Session, registry: Registry, message_id: int) -> str:
    """Send one message; return 'sent', 'skipped' (already handled) or 'retry'/'failed'.

    A sender that raises is retried with back-off, up to :data:`MAX_ATTEMPTS`. A sender that returns
    ``OutboxStatus.FAILED`` was refused for good (the receiver knows no such recipient): the message fails at once
    with the ``last_error`` the sender wrote, and whatever the sender queued instead (another channel) is kept."""
    message = get_locked(session, OutboxMessage, message_id)
    if message is None or message.status != OutboxStatus.PENDING:
        return "skipped"
    sender = registry.channels.get(message.channel)
    try:
        if sender is None:
            raise LookupError(f"no sender for channel {message.channel!r}")
        # a savepoint, flushed on exit: rows a failing sender wrote are undone, and a failure that
        # only shows at flush (a constraint) counts as a failed attempt instead of rolling it back
        with session.begin_nested():
            outcome = sender(session, message)
    except Exception as err:  # any sender failure is recorded and retried later, never lost
        message.attempts += 1
        message.last_error = f"{type(err).__name__}: {err}"[:2000]
        if message.attempts >= MAX_ATTEMPTS:
            message.status = OutboxStatus.FAILED
            return OutboxStatus.FAILED
        message.next_attempt_at = now() + BASE_BACKOFF * (2 ** (message.attempts - 1))
        return "retry"
    message.attempts += 1  # counted with the outcome, in the one update the message gets
    if outcome == OutboxStatus.FAILED:
        message.status = OutboxStatus.FAILED
        return OutboxStatus.FAILED
    message.status = OutboxStatus.SENT
    message.sent_at = now()
    return OutboxStatus.SENT


def pending_ids(session: Session, *, until: datetime, limit: int = 500) -> list[int]:
    stmt = (select(OutboxMessage.id).where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= until)
            .order_by(OutboxMessage.id).limit(limit))
    return list(session.scalars(stmt))
