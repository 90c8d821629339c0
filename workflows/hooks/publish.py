"""A business event as one outbox row per subscriber that takes it, written in the caller's transaction.

Rows written with the step or the intake that caused the event are sent only after that transaction commits, so a
rolled-back step posts nothing; each row then has the outbox's retries and back-off. The body is fixed here (one
``id`` per event, the same for every subscriber and every retry, so a receiver can drop repeats); only the
timestamp and the signature are made at each attempt (:mod:`workflows.hooks.sender`). The id is derived from what
happened (the school, the event and its occurrence), so the same occurrence published twice (a step run again
after a redelivery) is the same event: the outbox keeps one row per subscriber, and a receiver sees one id.
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


def event_id(*, school_id: int, event: BusinessEvent, occurrence: str) -> str:
    """The event's id: the same for the same occurrence (an order's creation, its bad rating of one round …)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, f"houqin:{school_id}:{event}:{occurrence}").hex


def deliveries(session: Session, event: BusinessEvent, *, school_id: int, occurrence: str, data: dict[str, Any],
               at: datetime) -> list[dict[str, Any]]:
    """The outbox items (as :func:`engine.outbox.notify` queues them) posting ``event`` to each active subscriber
    of the school that chose it; none when nobody did. ``occurrence`` names this happening of the event among all
    of the school's (see :func:`event_id`)."""
    subscribers = [s for s in session.scalars(select(HookSubscriber).where(HookSubscriber.school_id == school_id,
                                                                           HookSubscriber.active.is_(True))
                                              .order_by(HookSubscriber.id)) if event in (s.events or [])]
    if not subscribers:
        return []
    identity = event_id(school_id=school_id, event=event, occurrence=occurrence)
    body = {"event": str(event), "id": identity, "occurred_at": at.isoformat(),
            "school": session.get_one(School, school_id).code, "data": data}
    return [{"kind": str(event), "channel": CHANNEL, "dedup_key": f"hook:{s.id}:{identity}", "payload": body,
             "recipients": {"subscriber_id": s.id}} for s in subscribers]


def emit_in_step(event: BusinessEvent, *, school_id: int, occurrence: str, data: dict[str, Any]) -> None:
    """Publish ``event`` from a diagram step: the advance writes the rows and sends them after its commit."""
    ctx = context.current()
    ctx.outbox.extend(deliveries(ctx.session, event, school_id=school_id, occurrence=occurrence, data=data, at=ctx.at))


def emit(session: Session, dispatcher: Dispatcher, event: BusinessEvent, *, school_id: int, business_key: str,
         data: dict[str, Any], at: datetime) -> None:
    """Publish ``event`` from outside an advance (an order taken in), sent after ``session`` commits; the business
    key is the occurrence."""
    for item in deliveries(session, event, school_id=school_id, occurrence=business_key, data=data, at=at):
        outbox.queue(session, dispatcher, channel=item["channel"], kind=item["kind"], school_id=school_id,
                     recipients=item["recipients"], dedup_key=item["dedup_key"], payload=item["payload"],
                     business_key=business_key)
