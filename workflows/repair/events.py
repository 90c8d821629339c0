"""The repair process's business events for webhook subscribers: which steps are events, and what they say.

Published in the transaction that records them (the intake's, or the step's inside the advance), so a step that
rolls back publishes nothing. The data is the order as another platform knows it: number, status and colour, its
channel and, for an imported order, the id it had there.
"""
from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from engine.host import Dispatcher
from workflows.hooks.enums import BusinessEvent
from workflows.hooks.publish import emit, emit_in_step
from workflows.repair.models import WorkOrder


def order_data(order: WorkOrder) -> dict[str, Any]:
    return {"number": order.number, "status": order.status, "colour": order.colour, "channel": order.channel,
            "catalogue_item_id": order.catalogue_item_id, "campus_id": order.campus_id, "unit_id": order.unit_id,
            "external_source": order.external_source, "external_id": order.external_id,
            "created_at": order.created_at.isoformat()}


def _step_event(name: str, details: dict[str, Any]) -> BusinessEvent | None:
    if name == "closed":
        return BusinessEvent.order_closed
    if name == "rated" and details.get("bad"):
        return BusinessEvent.rating_bad
    if name == "coloured":
        return BusinessEvent.order_escalated
    return None


def publish_step(order: WorkOrder, name: str, details: dict[str, Any]) -> None:
    """Publish the event step ``name`` (with what it recorded, ``details``) is, if it is one."""
    event = _step_event(name, details)
    if event is not None:  # one occurrence per order and what the step recorded (the round rated, the colour)
        occurrence = f"{order.number}:{json.dumps(details, sort_keys=True, default=str)}"
        emit_in_step(event, school_id=order.school_id, occurrence=occurrence, data={**order_data(order), "step": details})


def publish_created(session: Session, dispatcher: Dispatcher, order: WorkOrder) -> None:
    emit(session, dispatcher, BusinessEvent.order_created, school_id=order.school_id, business_key=order.number,
         data=order_data(order), at=order.created_at)
