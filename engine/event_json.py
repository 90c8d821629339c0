"""BPMN events in the plain JSON form the dispatcher carries between processes and the outbox stores."""
from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn import BpmnEvent
from SpiffWorkflow.bpmn.specs.event_definitions.item_aware_event import SignalEventDefinition as BaseSignalEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.spiff.specs.event_definitions import SignalEventDefinition


def crosses_instances(event: BpmnEvent) -> bool:
    """A named signal or message, the only events meant for other instances. The library also hands out, as
    uncaught, events it finishes itself (a terminate end): those stay inside their instance."""
    definition = event.event_definition
    return isinstance(definition, (MessageEventDefinition, BaseSignalEventDefinition)) and bool(definition.name)


def from_bpmn_event(event: BpmnEvent) -> dict[str, Any]:
    definition = event.event_definition
    kind = "message" if isinstance(definition, MessageEventDefinition) else "signal"
    return {"name": definition.name, "kind": kind, "payload": event.payload}


def to_bpmn_event(event: dict[str, Any]) -> BpmnEvent:
    if event["kind"] == "message":
        return BpmnEvent(MessageEventDefinition(event["name"]), event.get("payload"))
    return BpmnEvent(SignalEventDefinition(event["name"]), event.get("payload"))
