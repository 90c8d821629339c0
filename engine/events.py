"""Signals and messages between instances, in a plain JSON form the dispatcher can carry.

An event thrown by one instance is delivered after commit to the other running instances with
the same business key that wait for it, each in its own transaction: never two locks at once.
A delivery that fails is logged and written to the target's audit trail, the other targets still
get theirs, and the event is queued again for the failed target as an outbox message on the
``event`` channel: the outbox sweep (Celery beat, or the embedded scheduler) retries it with
growing pauses, and the admins' outbox page shows it and can send it again.
"""
from __future__ import annotations

import logging
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import advance, outbox
from engine.audit import record
from engine.audit_actions import AuditAction
from engine.clock import now
from engine.db import unit_of_work
from engine.host import Host
from engine.models import OutboxMessage, ProcessInstance
from engine.statuses import InstanceStatus

REDELIVERY_CHANNEL = "event"
FIRST_RETRY_AFTER = timedelta(seconds=30)

log = logging.getLogger(__name__)


def broadcast(host: Host, *, source_id: int, business_key: str | None, event: dict[str, Any]) -> int:
    """Deliver ``event`` to every other running instance sharing ``business_key``; return how many it advanced."""
    if business_key is None:
        return 0
    with unit_of_work(host.session_factory) as session:
        targets = list(session.scalars(select(ProcessInstance.id).where(
            ProcessInstance.business_key == business_key, ProcessInstance.status == InstanceStatus.RUNNING,
            ProcessInstance.id != source_id).order_by(ProcessInstance.id)))
    delivered = 0
    for target in targets:
        try:
            with unit_of_work(host.session_factory) as session:
                delivered += advance.deliver(host, session, instance_id=target, event=event).status == "advanced"
        except Exception as err:  # one target's failure must not keep the event from the others
            log.exception("delivering %s %r to instance %s failed", event["kind"], event["name"], target)
            _queue_redelivery(host, target, event, err)
    return delivered


def redeliver(host: Host, session: Session, message: OutboxMessage) -> None:
    """The ``event`` channel's sender: deliver a queued event to its instance (nothing if it no longer waits)."""
    advance.deliver(host, session, instance_id=message.recipients["instance_id"], event=message.payload)


def _queue_redelivery(host: Host, target: int, event: dict[str, Any], err: Exception) -> None:
    """Audit the failure on the target and queue the event for it again; if even that fails, the log has it."""
    error, at = f"{type(err).__name__}: {err}"[:500], now()
    try:
        with unit_of_work(host.session_factory) as session:
            instance = session.get_one(ProcessInstance, target)
            record(session, action=AuditAction.EVENT_DELIVERY_FAILED, instance=instance,
                   details={"event": event["name"], "kind": event["kind"], "error": error})
            row = OutboxMessage(instance_id=target, business_key=instance.business_key, school_id=instance.school_id,
                                kind=f"event.{event['kind']}", channel=REDELIVERY_CHANNEL, recipients={"instance_id": target},
                                payload=event, attempts=1, created_at=at, next_attempt_at=at + FIRST_RETRY_AFTER)
            outbox.keep_error(row, err, error)  # in words too when it offers them, as the outbox keeps a retry's
            session.add(row)
    except Exception:
        log.exception("could not queue the failed delivery to instance %s again", target)


def register_redelivery(host: Host) -> None:
    """Give ``host``'s outbox the ``event`` channel: events whose delivery failed wait there and are delivered
    again by this host. Called once at bootstrap, after the host exists."""
    host.registry.channel(REDELIVERY_CHANNEL, lambda session, message: redeliver(host, session, message))
