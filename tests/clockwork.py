"""Driving a frozen clock through every wake-up that falls due, in order (shared by scenario helpers)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select

from engine.clock import now
from engine.db import unit_of_work
from engine.models import ProcessInstance
from engine.wakeups import run_once


def advance_to(host, traveller, when: datetime) -> None:
    """Move the clock to ``when``, running every wake-up that falls due on the way, in order."""
    while True:
        with unit_of_work(host.session_factory) as session:
            due = session.scalar(select(func.min(ProcessInstance.next_wake_at)).where(ProcessInstance.status == "running"))
        if due is None or due > when:
            break
        traveller.move_to(max(due, now()))
        run_once(host)
    traveller.move_to(when)
    run_once(host)
