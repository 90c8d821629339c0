"""Signals and messages between instances, in a plain JSON form the dispatcher can carry.

An event thrown by one instance is delivered after commit to the other running instances with
the same business key that wait for it, each in its own transaction: never two locks at once.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from SpiffWorkflow.bpmn import BpmnEvent
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.spiff.specs.event_definitions import SignalEventDefinition

from engine.db import unit_of_work
from engine.models import ProcessInstance


def from_bpmn_event(event: BpmnEvent) -> dict[str, Any]:
    definition = event.event_definition
    kind = "message" if isinstance(definition, MessageEventDefinition) else "signal"
    return {"name": definition.name, "kind": kind, "payload": event.payload}


def to_bpmn_event(event: dict[str, Any]) -> BpmnEvent:
    if event["kind"] == "message":
        return BpmnEvent(MessageEventDefinition(event["name"]), event.get("payload"))
    return BpmnEvent(SignalEventDefinition(event["name"]), event.get("payload"))


def broadcast(host, *, source_id: int, business_key: str | None, event: dict[str, Any]) -> int:
    """Deliver ``event`` to every other running instance sharing ``business_key``; return deliveries."""
    from engine.advance import deliver

    if business_key is None:
        return 0
    with unit_of_work(host.session_factory) as session:
        targets = list(session.scalars(select(ProcessInstance.id).where(
            ProcessInstance.business_key == business_key, ProcessInstance.status == "running",
            ProcessInstance.id != source_id)))
    delivered = 0
    for target in targets:
        with unit_of_work(host.session_factory) as session:
            delivered += deliver(host, session, instance_id=target, event=event).status == "advanced"
    return delivered
