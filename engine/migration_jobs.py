"""Bulk migration in the background: a process owner's chosen instances moved batch by batch.

Moving thousands of instances must not depend on a browser tab staying open. The page queues a job and
watches its progress; the job runs under Celery (enqueued after the request commits, with beat as a safety
net) or in the embedded mode's scheduler. Each batch is one transaction that moves its instances (each in
a savepoint, so one refusal does not undo the others) and advances the job's position, so a job resumed
after a crash continues exactly where the last commit left it.
"""
from __future__ import annotations

import time

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import migration
from engine.audit import record
from engine.clock import now
from engine.db import unit_of_work
from engine.host import Actor, Host
from engine.models import MigrationJob, ProcessDefinition
from engine.registry import Registry

JOB_NAME = "migration_jobs"
BATCH = 25
TIME_BUDGET_SECONDS = 60.0  # one run stops starting batches after this; the next run continues


def queue(session: Session, *, target: ProcessDefinition, instance_ids: list[int], actor: Actor, reason: str) -> MigrationJob:
    """Record a request to move ``instance_ids`` to ``target``; it runs after the caller commits."""
    job = MigrationJob(process_key=target.process_key, target_id=target.id, instance_ids=list(instance_ids),
                       reason=reason, school_id=actor.school_id, actor_id=actor.id, actor_name=actor.name, created_at=now())
    session.add(job)
    session.flush()
    record(session, action="migration.queued", actor=actor.label,
           details={"job": job.id, "process_key": target.process_key, "to_version": target.version,
                    "instances": len(job.instance_ids), "reason": reason})
    return job


def run_pending(host: Host, *, budget: float = TIME_BUDGET_SECONDS, max_batches: int | None = None) -> int:
    """Move instances of every unfinished job, a batch per transaction, until done, out of time or
    ``max_batches`` ran; return how many moved."""
    started, moved, batches = time.monotonic(), 0, 0
    while time.monotonic() - started < budget and (max_batches is None or batches < max_batches):
        batches += 1
        with unit_of_work(host.session_factory) as session:
            job = _next_job(session)
            if job is None:
                break
            moved += _run_batch(host, session, job)
    return moved


def register(registry: Registry) -> None:
    """Every scheduler pass picks up unfinished jobs: the embedded mode's runner, and Celery's safety net."""
    registry.periodic(JOB_NAME, "Move instances that process owners queued for another version")(
        lambda host, _session, _at: run_pending(host))


def _next_job(session: Session) -> MigrationJob | None:
    stmt = select(MigrationJob).where(MigrationJob.status != "done").order_by(MigrationJob.id).limit(1)
    if session.get_bind().dialect.name != "sqlite":  # two runners never take the same batch
        stmt = stmt.with_for_update(skip_locked=True)
    return session.scalar(stmt)


def _run_batch(host: Host, session: Session, job: MigrationJob) -> int:
    target = session.get(ProcessDefinition, job.target_id)
    actor = Actor(id=job.actor_id, name=job.actor_name, school_id=job.school_id)
    batch = job.instance_ids[job.position:job.position + BATCH]
    refused, moved = list(job.refused), 0
    for instance_id in batch:
        try:
            with session.begin_nested():
                migration.migrate(host, session, instance_id=instance_id, target=target, actor=actor, reason=job.reason)
            moved += 1
        except Exception as err:  # refused, gone, or failing: noted on the job, the others still move
            refused.append({"id": instance_id, "reason": str(err)[:500]})
    job.status, job.position, job.moved, job.refused = "running", job.position + len(batch), job.moved + moved, refused
    if job.position >= len(job.instance_ids):
        job.status, job.finished_at = "done", now()
        record(session, action="migration.finished", actor=actor.label,
               details={"job": job.id, "process_key": job.process_key, "to_version": target.version,
                        "moved": job.moved, "refused": len(job.refused)})
    return moved
