"""Celery task: re-arm a school's open instances after a rule change, in the background.

The web page saves the new rule set, creates a :class:`~rules.models.RearmJob` and enqueues
``houqin.rules_rearm(job_id)``. :func:`rules.rearm.run_job` moves the job's cursor in the same
transaction as each instance, so a redelivered task (``acks_late``), a retry after the soft time
limit or a second worker all resume where the job stopped and never re-arm an instance twice.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from engine.celery_app import host_of
from rules import rearm
from rules.store import RuleStore

if TYPE_CHECKING:
    from celery import Celery, Task


def _store(app: Celery) -> RuleStore:
    """The runtime's rule store (set by ``workflows.bootstrap``); a fresh one over the shipped defaults
    otherwise. Re-arming only reads books, so the roles used to validate saves do not matter here."""
    store = getattr(app, "houqin_rules", None)
    return store if store is not None else RuleStore.with_shipped_defaults(roles=set())


@shared_task(bind=True, name="houqin.rules_rearm", acks_late=True, max_retries=None)
def rules_rearm(self: Task[Any, Any], job_id: int) -> dict[str, Any]:
    try:
        job = rearm.run_job(host_of(self.app), _store(self.app), job_id)
    except SoftTimeLimitExceeded:
        # a long job: carry on in a fresh task from the saved cursor
        raise self.retry(countdown=0) from None
    return {"id": job.id, "status": job.status, "total": job.total, "done": job.done, "changed": job.changed}
