"""Waking due instances and retrying pending outbox rows, one pass at a time.

``houqin tick``, the embedded scheduler thread and the tests all call :func:`run_once`; the Celery
path enqueues the very same :func:`engine.advance.wake` per instance at its due instant instead.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from engine import outbox
from engine.advance import Outcome, wake
from engine.clock import now
from engine.db import unit_of_work
from engine.statuses import OutboxStatus
from engine.timers import due_instance_ids

if TYPE_CHECKING:
    from engine.host import Host

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PassResult:
    woken: list[Outcome]
    sent: int
    jobs: dict[str, int] = field(default_factory=dict)


def wake_due(host: Host, *, at: datetime | None = None, limit: int = 1000) -> list[Outcome]:
    """Advance every instance whose wake-up instant has passed, each in its own transaction."""
    at = at or now()
    with unit_of_work(host.session_factory) as session:
        ids = due_instance_ids(session, until=at, limit=limit)
    outcomes = []
    for instance_id in ids:
        with unit_of_work(host.session_factory) as session:
            outcomes.append(wake(host, session, instance_id=instance_id, background=True))
    return outcomes


def send_pending(host: Host, *, at: datetime | None = None) -> int:
    """Send (or retry) outbox rows whose next attempt is due; return how many went out."""
    with unit_of_work(host.session_factory) as session:
        ids = outbox.pending_ids(session, until=at or now())
    sent = 0
    for message_id in ids:
        with unit_of_work(host.session_factory) as session:
            sent += outbox.send(session, host.registry, message_id) == OutboxStatus.SENT
    return sent


def run_job(host: Host, name: str, *, at: datetime | None = None) -> int:
    """Run one registered periodic job now, in its own transaction (its command for cron, and the beat task)."""
    with unit_of_work(host.session_factory) as session:
        return host.registry.periodic_jobs[name].func(host, session, at or now())


def run_jobs(host: Host, *, at: datetime | None = None, last_run: dict[str, datetime] | None = None) -> dict[str, int]:
    """Run every periodic job the domain registered (e.g. generating plan occurrences), each in its own
    transaction; they run before the wake-ups so that what they start is woken in the same pass.

    Jobs with an interval (``every``: refreshing figures, making reports) belong to long-lived schedulers: the
    embedded thread passes ``last_run`` and runs each one ``every`` seconds after it started and then at that
    pace; Celery beat has its own entry per job. A single pass (``houqin tick``, a test's clock) runs only the
    jobs without an interval; the others have their own commands for cron."""
    at = at or now()
    done = {}
    for job in host.registry.periodic_jobs.values():
        if job.every:
            if last_run is None:
                continue
            if (at - last_run.setdefault(job.name, at)).total_seconds() < job.every:
                continue
        done[job.name] = run_job(host, job.name, at=at)
        if last_run is not None:
            last_run[job.name] = at
    return done


def run_once(host: Host, *, at: datetime | None = None, last_run: dict[str, datetime] | None = None) -> PassResult:
    jobs = run_jobs(host, at=at, last_run=last_run)
    return PassResult(wake_due(host, at=at), send_pending(host, at=at), jobs)


class EmbeddedScheduler(threading.Thread):
    """Background thread for the embedded mode (no Redis): one :func:`run_once` every few seconds."""

    def __init__(self, host: Host, interval: float = 5.0) -> None:
        super().__init__(name="houqin-scheduler", daemon=True)
        self.host = host
        self.interval = interval
        self._stop_event = threading.Event()
        self._last_run: dict[str, datetime] = {}

    def run(self) -> None:
        while not self._stop_event.wait(self.interval):
            try:
                run_once(self.host, last_run=self._last_run)
            except Exception:  # keep the thread alive; the next pass retries what failed
                log.exception("scheduler pass failed")

    def stop(self) -> None:
        self._stop_event.set()
