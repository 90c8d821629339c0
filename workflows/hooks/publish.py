"""A business event as one outbox row per subscriber that takes it, written in the caller's transaction.

Rows written with the step or the intake that caused the event are sent only after that transaction commits, so a
rolled-back step posts nothing; each row then has the outbox's retries and back-off. The body is fixed here (one
``id`` per event, the same for every subscriber and every retry, so a receiver can drop repeats); only the
timestamp and the signature are made at each attempt (:mod:`workflows.hooks.sender`).
"""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import context, outbox
from engine.host import Dispatcher
from workflows.hooks.enums import CHANNEL, BusinessEvent
from workflows.hooks.models import HookSubscriber
from workflows.people.models import School


def deliveries(session: Session, event: BusinessEvent, *, school_id: int, data: dict[str, Any],
               at: datetime) -> list[dict[str, Any]]:
    """The outbox items (as :func:`engine.outbox.notify` queues them) posting ``event`` to each active subscriber
    of the school that chose it; none when nobody did."""
    subscribers = [s for s in session.scalars(select(HookSubscriber).where(HookSubscriber.school_id == school_id,
                                                                           HookSubscriber.active.is_(True))
                                              .order_by(HookSubscriber.id)) if event in (s.events or [])]
    if not subscribers:
        return []
    event_id = uuid.uuid4().hex
    body = {"event": str(event), "id": event_id, "occurred_at": at.isoformat(),
            "school": session.get_one(School, school_id).code, "data": data}
    return [{"kind": str(event), "channel": CHANNEL, "dedup_key": f"hook:{s.id}:{event_id}", "payload": body,
             "recipients": {"subscriber_id": s.id}} for s in subscribers]


def emit_in_step(event: BusinessEvent, *, school_id: int, data: dict[str, Any]) -> None:
    """Publish ``event`` from a diagram step: the advance writes the rows and sends them after its commit."""
    ctx = context.current()
    ctx.outbox.extend(deliveries(ctx.session, event, school_id=school_id, data=data, at=ctx.at))


def emit(session: Session, dispatcher: Dispatcher, event: BusinessEvent, *, school_id: int, business_key: str,
         data: dict[str, Any], at: datetime) -> None:
    """Publish ``event`` from outside an advance (an order taken in), sent after ``session`` commits."""
    for item in deliveries(session, event, school_id=school_id, data=data, at=at):
        outbox.queue(session, dispatcher, channel=item["channel"], kind=item["kind"], school_id=school_id,
                     recipients=item["recipients"], dedup_key=item["dedup_key"], payload=item["payload"],
                     business_key=business_key)
