"""After a rule change: preview what open instances would do, and re-arm them in a background job.

The admin chooses to keep current deadlines (nothing to do: new waits use the new rules) or to
re-arm: every open instance of the school whose waiting timers name a changed key gets deadline =
when the wait began + the new duration. The job walks instances in id order with a cursor saved
in the same transaction as each instance, so it is exactly-once even if it is retried.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine import rearm as engine_rearm
from engine.actor import Actor
from engine.clock import now
from engine.db import get_locked, unit_of_work
from engine.models import ProcessInstance
from engine.statuses import InstanceStatus, JobStatus
from rules.book import RuleBook, scope_of_code
from rules.helpers import scope_of
from rules.models import RearmJob
from rules.store import RuleStore

if TYPE_CHECKING:
    from engine.host import Host

BATCH = 50


def changed_keys(before: RuleBook, after: RuleBook) -> set[str]:
    """Keys whose deadlines may differ between two books: changed values, changed working-day
    flags, and every working-day rule when the calendar itself changed."""
    categories = [scope_of_code(code) for code in set(before.categories) | set(after.categories)] + [None]
    changed = {key for key in after.keys for c in categories
               if before.value(key, c) != after.value(key, c) or (key in before.working_days) != (key in after.working_days)}
    if before.calendar != after.calendar:
        changed |= set(before.working_days) | set(after.working_days)
    return changed


def deadline_in(book: RuleBook) -> engine_rearm.Deadline:
    def deadline(key: str, started: datetime, data: dict[str, Any]) -> datetime:
        return book.deadline(key, started, scope_of(data))

    return deadline


def _open_instances(session: Session, school_id: int, after_id: int = 0, limit: int | None = None) -> list[int]:
    stmt = (select(ProcessInstance.id).where(ProcessInstance.school_id == school_id, ProcessInstance.status == InstanceStatus.RUNNING,
                                             ProcessInstance.id > after_id).order_by(ProcessInstance.id))
    return list(session.scalars(stmt.limit(limit) if limit else stmt))


@dataclass(frozen=True)
class PreviewRow:
    business_key: str | None
    timer: str
    before: datetime | None
    after: datetime
    due_now: bool


def preview(host: Host, session: Session, *, school_id: int, current: RuleBook, proposed: RuleBook) -> tuple[int, list[PreviewRow]]:
    """(open instances that would change, every timer change); ``due_now`` marks those that fire at once."""
    keys = changed_keys(current, proposed)
    rows, affected = [], 0
    if not keys:
        return 0, []
    at = now()
    for instance_id in _open_instances(session, school_id):
        instance = session.get_one(ProcessInstance, instance_id)
        changes = engine_rearm.preview(host, instance, keys, deadline_in(proposed))
        affected += bool(changes)
        rows += [PreviewRow(instance.business_key, c.timer, c.before, c.after, c.after <= at) for c in changes]
    return affected, rows


def start_job(session: Session, *, school_id: int, version: int, keys: set[str], author: str) -> RearmJob:
    job = RearmJob(school_id=school_id, rule_version=version, keys=sorted(keys), created_by=author, created_at=now(),
                   total=len(_open_instances(session, school_id)))
    session.add(job)
    session.flush()
    return job


def run_job(host: Host, store: RuleStore, job_id: int) -> RearmJob:
    """Process the job to the end in batches; safe to call again after a crash (resumes at the cursor)."""
    while True:
        with unit_of_work(host.session_factory) as session:
            job = session.get_one(RearmJob, job_id)
            if job.status == JobStatus.DONE:
                return job
            job.status = JobStatus.RUNNING
            batch = _open_instances(session, job.school_id, job.cursor, BATCH)
            if not batch:
                job.status, job.finished_at = JobStatus.DONE, now()
                return job
        for instance_id in batch:
            _rearm_one(host, store, job_id, instance_id)


def _rearm_one(host: Host, store: RuleStore, job_id: int, instance_id: int) -> None:
    with unit_of_work(host.session_factory) as session:
        job = get_locked(session, RearmJob, job_id)
        if job is None or instance_id <= job.cursor:
            return  # gone, or done by an earlier run
        book = store.book(session, job.school_id)
        changes = engine_rearm.rearm(host, session, instance_id=instance_id, changed=set(job.keys),
                                     deadline=deadline_in(book), actor=Actor(id=None, name=job.created_by),
                                     note={"rule_version": job.rule_version})
        job.cursor, job.done = instance_id, job.done + 1
        job.changed += bool(changes)


def progress(session: Session, job_id: int) -> dict[str, Any]:
    job = session.get_one(RearmJob, job_id)
    return {"id": job.id, "status": job.status, "total": job.total, "done": job.done, "changed": job.changed}


def latest_jobs(session: Session, school_id: int, limit: int = 10) -> list[RearmJob]:
    return list(session.scalars(select(RearmJob).where(RearmJob.school_id == school_id)
                                .order_by(RearmJob.id.desc()).limit(limit)))


def open_count(session: Session, school_id: int) -> int:
    return session.scalar(select(func.count(ProcessInstance.id)).where(
        ProcessInstance.school_id == school_id, ProcessInstance.status == InstanceStatus.RUNNING)) or 0
