"""Signals and messages between instances, in a plain JSON form the dispatcher can carry.

An event thrown by one instance is delivered after commit to the other running instances with
the same business key that wait for it, each in its own transaction: never two locks at once.
A delivery that fails is logged and written to the target's audit trail, the other targets still
get theirs, and the failed targets are returned so that the Celery task can try them again.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Iterable

from sqlalchemy import select
from SpiffWorkflow.bpmn import BpmnEvent
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.spiff.specs.event_definitions import SignalEventDefinition

from engine.audit import record
from engine.db import unit_of_work
from engine.models import ProcessInstance

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Broadcast:
    delivered: int  # instances the event advanced
    failed: tuple[int, ...] = ()  # instances whose delivery raised: nothing of it was kept


def from_bpmn_event(event: BpmnEvent) -> dict[str, Any]:
    definition = event.event_definition
    kind = "message" if isinstance(definition, MessageEventDefinition) else "signal"
    return {"name": definition.name, "kind": kind, "payload": event.payload}


def to_bpmn_event(event: dict[str, Any]) -> BpmnEvent:
    if event["kind"] == "message":
        return BpmnEvent(MessageEventDefinition(event["name"]), event.get("payload"))
    return BpmnEvent(SignalEventDefinition(event["name"]), event.get("payload"))


def broadcast(host, *, source_id: int, business_key: str | None, event: dict[str, Any],
              only: Iterable[int] | None = None) -> Broadcast:
    """Deliver ``event`` to every other running instance sharing ``business_key`` (to those of ``only`` when
    given: a retry of the ones that failed)."""
    from engine.advance import deliver

    if business_key is None:
        return Broadcast(0)
    with unit_of_work(host.session_factory) as session:
        stmt = select(ProcessInstance.id).where(ProcessInstance.business_key == business_key,
                                                ProcessInstance.status == "running", ProcessInstance.id != source_id)
        if only is not None:
            stmt = stmt.where(ProcessInstance.id.in_(list(only)))
        targets = list(session.scalars(stmt.order_by(ProcessInstance.id)))
    delivered, failed = 0, []
    for target in targets:
        try:
            with unit_of_work(host.session_factory) as session:
                delivered += deliver(host, session, instance_id=target, event=event).status == "advanced"
        except Exception as err:  # one target's failure must not keep the event from the others
            log.exception("delivering %s %r to instance %s failed", event["kind"], event["name"], target)
            _record_failure(host, target, event, err)
            failed.append(target)
    return Broadcast(delivered, tuple(failed))


def _record_failure(host, target: int, event: dict[str, Any], err: Exception) -> None:
    """Note the failure on the target's audit trail; if even that fails (the database is away), the log has it."""
    try:
        with unit_of_work(host.session_factory) as session:
            instance = session.get(ProcessInstance, target)
            record(session, action="event.delivery_failed", instance=instance,
                   details={"event": event["name"], "kind": event["kind"], "error": f"{type(err).__name__}: {err}"[:500]})
    except Exception:
        log.exception("could not record the failed delivery to instance %s", target)
