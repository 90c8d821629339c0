"""Celery tasks. Each wrapper is a few lines around a plain engine function and returns its outcome.

All are idempotent (a redelivered task finds nothing due, or a message already sent) so they
run with ``acks_late``; a locked instance is retried shortly rather than waited for.
"""
from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from celery import shared_task

from engine import events, outbox
from engine.advance import wake
from engine.celery_app import host_of
from engine.clock import now
from engine.db import unit_of_work
from engine.timers import claim_for_enqueue
from engine.wakeups import run_job

if TYPE_CHECKING:
    from celery import Task

    from engine.host import Host

STALE_CLAIM = timedelta(seconds=20)  # a wake still not done this long after it was due is enqueued again (its worker died)


def _host(task: Task[Any, Any]) -> Host:
    return host_of(task.app)


@shared_task(bind=True, name="houqin.advance", max_retries=20)
def advance(self: Task[Any, Any], instance_id: int) -> str:
    host = _host(self)
    with unit_of_work(host.session_factory) as session:
        outcome = wake(host, session, instance_id=instance_id, background=True)
    if outcome.status == "locked":
        raise self.retry(countdown=2)
    return outcome.status


@shared_task(bind=True, name="houqin.sweep_timers")
def sweep_timers(self: Task[Any, Any]) -> int:
    """Enqueue an ``advance`` at the due instant of every instance due within the look-ahead."""
    host = _host(self)
    at = now()
    until = at + timedelta(seconds=self.app.conf.houqin_lookahead_seconds)
    with unit_of_work(host.session_factory) as session:
        claimed = claim_for_enqueue(session, until=until, resend_after=STALE_CLAIM)
    for instance_id, wake_at in claimed:
        advance.apply_async((instance_id,), eta=wake_at)
    return len(claimed)


@shared_task(bind=True, name="houqin.send_outbox")
def send_outbox(self: Task[Any, Any], message_id: int) -> str:
    host = _host(self)
    with unit_of_work(host.session_factory) as session:
        return outbox.send(session, host.registry, message_id)


@shared_task(bind=True, name="houqin.sweep_outbox")
def sweep_outbox(self: Task[Any, Any]) -> int:
    host = _host(self)
    with unit_of_work(host.session_factory) as session:
        ids = outbox.pending_ids(session, until=now())
    for message_id in ids:
        send_outbox.delay(message_id)
    return len(ids)


@shared_task(bind=True, name="houqin.broadcast_event")
def broadcast_event(self: Task[Any, Any], source_id: int, business_key: str | None, event: dict[str, Any]) -> int:
    """Deliver a thrown event; a failed target gets it again through the outbox."""
    return events.broadcast(_host(self), source_id=source_id, business_key=business_key, event=event)


@shared_task(bind=True, name="houqin.run_periodic_job", soft_time_limit=900, time_limit=960)
def run_periodic_job(self: Task[Any, Any], name: str) -> int:
    """Beat entry for one registered periodic job (one entry per job, at the job's own interval)."""
    return run_job(_host(self), name)
