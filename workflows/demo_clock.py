"""Firing the demo's timers at their own instants: the one loop the demo seeders that move the clock share
(:mod:`workflows.demo_replay` for the orders under way, :mod:`workflows.demo_complaints`)."""
from __future__ import annotations

from datetime import datetime

import time_machine
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from engine.advance import wake
from engine.clock import now
from engine.host import Host
from engine.models import ProcessInstance
from engine.statuses import InstanceStatus


def wake_due(session: Session, host: Host, clock: time_machine.Traveller, until: datetime,
             *which: ColumnElement[bool]) -> None:
    """Fire the timers of the running instances ``which`` selects in the order they fall due, each at the instant it
    falls due (never moving the clock back), up to ``until``; each firing is committed as a background wake-up's."""
    fired: set[tuple[int, datetime]] = set()
    while True:
        first = session.execute(select(ProcessInstance.id, ProcessInstance.next_wake_at).where(
            *which, ProcessInstance.status == InstanceStatus.RUNNING, ProcessInstance.next_wake_at <= until)
            .order_by(ProcessInstance.next_wake_at, ProcessInstance.id).limit(1)).first()
        if first is None:
            return
        instance_id, due = first
        assert due is not None  # it is due by ``until``
        if (instance_id, due) in fired:
            raise RuntimeError(f"instance {instance_id} stays due at {due} after waking")
        fired.add((instance_id, due))
        clock.move_to(max(due, now()))
        wake(host, session, instance_id=instance_id, background=False)
        session.commit()
