"""Notifications as outbox rows: written with the advance, sent after commit, retried with back-off.

Diagrams call the built-in ``notify`` helper; nothing is sent from inside a transaction that may
still roll back. A ``dedup_key`` makes a repeated reminder (catch-up bursts, redelivered tasks)
land once. Channel senders are registered by the domain (in-app, e-mail, webhooks).
"""
from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

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
PLAIN = (str, int, float, bool, type(None))  # values the stored words keep as they are


@runtime_checkable
class Worded(Protocol):
    """An error (or a sender's note of why it skipped a message) that offers its words apart: ``message``, a msgid of
    the domain's catalog with ``%(name)s`` placeholders, and ``params``, their values, any of which may be worded
    too. The outbox keeps them beside the English text so that a page can say the error in its reader's language;
    what the words mean is the domain's business."""

    @property
    def message(self) -> str: ...
    @property
    def params(self) -> Mapping[str, Any]: ...


def words(said: object) -> dict[str, Any] | None:
    """``said``'s words as the outbox keeps them, ``{"message": msgid, "values": {name: value}}``, each worded value in
    the same form and any other that JSON cannot hold as its text; ``None`` when ``said`` offers no words."""
    if not isinstance(said, Worded) or not isinstance(said.message, str) or not isinstance(said.params, Mapping):
        return None
    return {"message": said.message, "values": {name: _kept(value) for name, value in said.params.items()}}


def _kept(value: object) -> Any:
    worded = words(value)
    if worded is not None:
        return worded
    return value if isinstance(value, PLAIN) else str(value)


def keep_error(message: OutboxMessage, error: BaseException, text: str | None = None) -> None:
    """Keep why ``message`` was not delivered: ``text`` (by default the error's own) in English for operators and
    logs, and the error's words, when it offers them (:class:`Worded`), for the pages; a sender notes why it skipped
    a message the same way."""
    message.last_error = (str(error) if text is None else text)[:2000]
    message.last_error_words = words(error)


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

    A sender that raises is retried with back-off, up to :data:`MAX_ATTEMPTS`; the error is kept as
    "<its name>: <its text>", with its words when it offers them (:func:`keep_error`). A sender that returns
    ``OutboxStatus.FAILED`` was refused for good (the receiver knows no such recipient): the message fails at once
    with the error the sender kept, and whatever the sender queued instead (another channel) is kept."""
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
        keep_error(message, err, f"{type(err).__name__}: {err}")
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
