"""Waking due instances and retrying pending outbox rows, one pass at a time.

``houqin tick``, the embedded scheduler thread and the tests all call :func:`run_once`; the Celery
path enqueues the very same :func:`engine.advance.wake` per instance at its due instant instead.
"""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime

from engine import outbox
from engine.advance import Outcome, wake
from engine.clock import now
from engine.db import unit_of_work
from engine.timers import due_instance_ids

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PassResult:
    woken: list[Outcome]
    sent: int
    jobs: dict[str, int] = field(default_factory=dict)


def wake_due(host, *, at: datetime | None = None, limit: int = 1000) -> list[Outcome]:
    """Advance every instance whose wake-up instant has passed, each in its own transaction."""
    at = at or now()
    with unit_of_work(host.session_factory) as session:
        ids = due_instance_ids(session, until=at, limit=limit)
    outcomes = []
    for instance_id in ids:
        with unit_of_work(host.session_factory) as session:
            outcomes.append(wake(host, session, instance_id=instance_id, background=True))
    return outcomes


def send_pending(host, *, at: datetime | None = None) -> int:
    """Send (or retry) outbox rows whose next attempt is due; return how many went out."""
    with unit_of_work(host.session_factory) as session:
        ids = outbox.pending_ids(session, until=at or now())
    sent = 0
    for message_id in ids:
        with unit_of_work(host.session_factory) as session:
            sent += outbox.send(session, host.registry, message_id) == "sent"
    return sent


def run_jobs(host, *, at: datetime | None = None) -> dict[str, int]:
    """Run every periodic job the domain registered (e.g. generating plan occurrences), each in its own
    transaction; they run before the wake-ups so that what they start is woken in the same pass."""
    done = {}
    for job in host.registry.periodic_jobs.values():
        with unit_of_work(host.session_factory) as session:
            done[job.name] = job.func(host, session, at or now())
    return done


def run_once(host, *, at: datetime | None = None) -> PassResult:
    jobs = run_jobs(host, at=at)
    return PassResult(wake_due(host, at=at), send_pending(host, at=at), jobs)


class EmbeddedScheduler(threading.Thread):
    """Background thread for the embedded mode (no Redis): one :func:`run_once` every few seconds."""

    def __init__(self, host, interval: float = 5.0):
        super().__init__(name="houqin-scheduler", daemon=True)
        self.host = host
        self.interval = interval
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(self.interval):
            try:
                run_once(self.host)
            except Exception:  # keep the thread alive; the next pass retries what failed
                log.exception("scheduler pass failed")

    def stop(self) -> None:
        self._stop_event.set()
