"""When an instance next needs waking, and which instances are due.

``next_wake_at`` is computed from ``waiting_events()`` after every save, so the sweep is one
indexed range query and never deserialises a workflow. Because SpiffWorkflow fires only when
``due < now`` (strictly), wake-ups are scheduled one second after the due instant.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from sqlalchemy import Table, bindparam, or_, select
from sqlalchemy.orm import Session

from engine.clock import now
from engine.db import locking
from engine.models import ProcessInstance
from engine.statuses import InstanceStatus

if TYPE_CHECKING:
    from SpiffWorkflow.bpmn.workflow import BpmnWorkflow

WAKE_MARGIN = timedelta(seconds=1)
TIMER_TYPES = ("Timer", "TimeDate")  # duration and cycle timers, and timeDate (absolute instants)
ACTIVE_STATUSES = (InstanceStatus.RUNNING, InstanceStatus.ERROR)


def due_time(value: object) -> datetime | None:
    """Turn one ``PendingBpmnEvent.value`` into an aware instant (None for a finished cycle)."""
    if not isinstance(value, str):
        return None
    parsed = TimerEventDefinition.parse_time_or_duration(value)
    if not isinstance(parsed, datetime):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def next_due(workflow: BpmnWorkflow) -> datetime | None:
    """Earliest due time of any waiting timer in the workflow (subprocesses included)."""
    found = [due_time(ev.value) for ev in workflow.waiting_events() if any(t in ev.event_type for t in TIMER_TYPES)]
    dues = [d for d in found if d is not None]
    return min(dues) if dues else None


def wake_instant(due: datetime | None) -> datetime | None:
    return None if due is None else due + WAKE_MARGIN


def due_instance_ids(session: Session, *, until: datetime, limit: int = 1000) -> list[int]:
    """Ids of running instances whose wake-up instant is at or before ``until``."""
    stmt = (
        select(ProcessInstance.id)
        .where(ProcessInstance.next_wake_at <= until, ProcessInstance.status == InstanceStatus.RUNNING)
        .order_by(ProcessInstance.next_wake_at)
        .limit(limit)
    )
    return list(session.scalars(stmt))


RESEND_CAP = 32  # after three re-sends at resend_after, the wait doubles, up to this many times resend_after
STEADY_RESENDS = 3  # re-sends at the plain resend_after: a wake-up lost twice or thrice still fires within a minute


def claim_for_enqueue(session: Session, *, until: datetime, resend_after: timedelta | None = None,
                      limit: int = 1000) -> list[tuple[int, datetime]]:
    """Mark instances due before ``until`` as enqueued for their current wake instant.

    Returns (id, wake instant) pairs that were not already enqueued for that instant, so two
    overlapping beat runs never enqueue the same wake-up twice. With ``resend_after``, a claim still not
    done ``resend_after`` after its wake instant is taken again: its task was lost (worker killed, broker
    flushed, connection cut), and a repeated wake is harmless because ``wake`` only fires what is due. The
    first :data:`STEADY_RESENDS` re-sends come ``resend_after`` apart, then each doubles the wait (up to
    :data:`RESEND_CAP` times), so while no worker runs at all an overdue wake-up is queued a dozen times an
    hour, not once per sweep.
    """
    at = now()
    resendable = [ProcessInstance.wake_resend_at <= at] if resend_after is not None else []
    stmt = (
        select(ProcessInstance.id, ProcessInstance.next_wake_at,  # never the state: a sweep may claim a thousand
               ProcessInstance.wake_enqueued_for, ProcessInstance.wake_sends)
        .where(
            ProcessInstance.next_wake_at <= until,
            ProcessInstance.status == InstanceStatus.RUNNING,
            or_(ProcessInstance.wake_enqueued_for.is_(None), ProcessInstance.wake_enqueued_for != ProcessInstance.next_wake_at,
                *resendable),
        )
        .order_by(ProcessInstance.next_wake_at)
        .limit(limit)
    )
    stmt = locking(session, stmt, skip_locked=True, of=ProcessInstance)
    claims: list[dict[str, Any]] = []
    for instance_id, wake_at, enqueued_for, sends in session.execute(stmt):
        if wake_at is None:  # never: the query asks for next_wake_at <= until
            continue
        sends = (sends or 0) + 1 if enqueued_for == wake_at else 1
        resend_at = (max(wake_at, at) + resend_after * min(2 ** max(sends - 1 - STEADY_RESENDS, 0), RESEND_CAP)
                     if resend_after is not None else None)
        claims.append({"claimed_id": instance_id, "wake_at": wake_at, "resend_at": resend_at, "sends": sends})
    if claims:
        table = cast(Table, ProcessInstance.__table__)  # typed as any FromClause; a mapped class has a Table
        session.execute(table.update().where(table.c.id == bindparam("claimed_id"))
                        .values(wake_enqueued_for=bindparam("wake_at"), wake_resend_at=bindparam("resend_at"),
                                wake_sends=bindparam("sends")), claims)
    return [(int(claim["claimed_id"]), claim["wake_at"]) for claim in claims]
