"""Bulk migration in the background: a process owner's chosen instances moved batch by batch.

Moving thousands of instances must not depend on a browser tab staying open. The page queues a job and
watches its progress; the job runs under Celery (enqueued after the request commits, re-enqueued while work
remains, with beat as a safety net) or in the embedded mode's scheduler, a few seconds per pass so timers
and the outbox are not held up. Each batch is one transaction that moves its instances (each in a
savepoint, so one refusal does not undo the others) and advances the job's position, so a job resumed after
a crash continues exactly where the last commit left it.

A refusal (the instance cannot move safely, or is gone) is kept with its reason and the job goes on. Any
other failure (a lock timeout, a lost connection) ends the batch before that instance so a later run tries
it again; an instance that fails that way :data:`MAX_ATTEMPTS` times is noted as refused with the error. A
job whose batch fails as a whole is marked failed with the error, so it never holds up the jobs queued
after it.
"""
from __future__ import annotations

import logging
import time
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import migration
from engine.actor import Actor
from engine.audit import record
from engine.audit_actions import AuditAction
from engine.clock import now
from engine.db import locking, unit_of_work
from engine.errors import NotFound
from engine.host import Host
from engine.models import MigrationJob, ProcessDefinition
from engine.registry import Registry
from engine.statuses import JobStatus

JOB_NAME = "migration_jobs"
BATCH = 25
MAX_ATTEMPTS = 3
PASS_SECONDS = 10.0  # one run stops starting batches after this; the next run continues
UNFINISHED = (JobStatus.QUEUED, JobStatus.RUNNING)

log = logging.getLogger(__name__)


def queue(session: Session, *, target: ProcessDefinition, instance_ids: list[int], actor: Actor, reason: str) -> MigrationJob:
    """Record a request to move ``instance_ids`` to ``target``; it runs after the caller commits."""
    job = MigrationJob(process_key=target.process_key, target_id=target.id, instance_ids=list(instance_ids),
                       reason=reason, school_id=actor.school_id, actor_id=actor.id, actor_name=actor.name, created_at=now())
    session.add(job)
    session.flush()
    record(session, action=AuditAction.MIGRATION_QUEUED, actor=actor.label,
           details={"job": job.id, "process_key": target.process_key, "to_version": target.version,
                    "instances": len(job.instance_ids), "reason": reason})
    return job


def run_pending(host: Host, *, budget: float = PASS_SECONDS, max_batches: int | None = None) -> tuple[int, bool]:
    """Move instances of unfinished jobs, a batch per transaction, until none is left, ``budget`` seconds
    passed or ``max_batches`` ran. Returns (instances moved, whether work was left for another run)."""
    started, moved, batches = time.monotonic(), 0, 0
    while time.monotonic() - started < budget and (max_batches is None or batches < max_batches):
        batches, job_id = batches + 1, None
        try:
            with unit_of_work(host.session_factory) as session:
                job = _next_job(session)
                if job is None:
                    return moved, False
                job_id = job.id
                moved += _run_batch(host, session, job)
        except Exception as err:  # the job cannot go on: mark it, so it does not block the ones after it
            if job_id is None:
                raise
            log.exception("migration job %s failed", job_id)
            _fail(host, job_id, f"{type(err).__name__}: {err}")
    return moved, True


def register(registry: Registry) -> None:
    """Every scheduler pass picks up unfinished jobs; under Celery a run with work left enqueues the next."""

    def run(host: Host, _session: Session, _at: datetime) -> int:
        moved, more = run_pending(host)
        if more:
            host.dispatcher.kick_job(JOB_NAME)
        return moved

    registry.periodic(JOB_NAME, "Move instances that process owners queued for another version")(run)


def _next_job(session: Session) -> MigrationJob | None:
    stmt = select(MigrationJob).where(MigrationJob.status.in_(UNFINISHED)).order_by(MigrationJob.id).limit(1)
    stmt = locking(session, stmt, skip_locked=True)  # two runners never take the same batch
    return session.scalar(stmt)


def _run_batch(host: Host, session: Session, job: MigrationJob) -> int:
    target = session.get_one(ProcessDefinition, job.target_id)
    actor = Actor(id=job.actor_id, name=job.actor_name, school_id=job.school_id)
    refused, moved, handled = list(job.refused), 0, 0
    for instance_id in job.instance_ids[job.position:job.position + BATCH]:
        try:
            with session.begin_nested():
                migration.migrate(host, session, instance_id=instance_id, target=target, actor=actor, reason=job.reason)
            moved += 1
        except (migration.MigrationRefused, NotFound) as err:
            refused.append({"id": instance_id, "reason": str(err)[:500]})
        except Exception as err:  # maybe passing (a lock, a connection): stop here, a later run tries it again
            job.attempts += 1
            if job.attempts < MAX_ATTEMPTS:
                log.warning("moving instance %s failed (try %s): %s", instance_id, job.attempts, err)
                break
            refused.append({"id": instance_id, "reason": f"{type(err).__name__}: {err}"[:500]})
        job.attempts = 0
        handled += 1
    job.status, job.position, job.moved, job.refused = "running", job.position + handled, job.moved + moved, refused
    if job.position >= len(job.instance_ids):
        job.status, job.finished_at = JobStatus.DONE, now()
        record(session, action=AuditAction.MIGRATION_FINISHED, actor=actor.label,
               details={"job": job.id, "process_key": job.process_key, "to_version": target.version,
                        "moved": job.moved, "refused": len(job.refused)})
    return moved


def _fail(host: Host, job_id: int, error: str) -> None:
    with unit_of_work(host.session_factory) as session:
        job = session.get_one(MigrationJob, job_id)
        job.status, job.error, job.finished_at = JobStatus.FAILED, error[:2000], now()
        record(session, action=AuditAction.MIGRATION_FAILED, actor=job.actor_name,
               details={"job": job.id, "process_key": job.process_key, "error": job.error})
