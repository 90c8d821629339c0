"""A process owner's bulk move through a real Celery worker on Redis and PostgreSQL: the job queued by the page
is taken by the worker (the task the page's after-commit kick sends), moved batch by batch, and left done."""
from __future__ import annotations

import uuid

import pytest
from celery import Celery

from engine import migration_jobs
from engine.actor import Actor
from engine.models import MigrationJob, ProcessDefinition
from integration.test_celery_timer import _poll, services  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


def test_the_worker_moves_a_queued_migration_job(runtime, pg_url, redis_url, services):
    rt = runtime(pg_url)
    rt.deploy_scenario("timer_task")
    people = rt.people()
    ids = [rt.start("timer_task", business_key=f"WO-M{n}", school_id=people.school_id,
                    data={"worker_id": people.worker_id, "job_due": "PT12H"}) for n in range(30)]
    v2 = rt.deploy_scenario("timer_task", **{'name="Done"': 'name="Done, version 2"'})
    with rt.session() as session:
        job = migration_jobs.queue(session, target=session.get(ProcessDefinition, v2), instance_ids=[*ids, 999999],
                                   actor=Actor(id=None, name="owner"), reason="the new end")
        job_id = job.id
    services.start("worker", "worker", "--pool=solo", "--loglevel=INFO", "-n", f"houqin-test-{uuid.uuid4().hex[:8]}@%h",
                   "--without-gossip", "--without-mingle", "--without-heartbeat")
    client = Celery("houqin-test", broker=redis_url)
    try:
        client.send_task("houqin.run_periodic_job", args=[migration_jobs.JOB_NAME])
    finally:
        client.close()

    def finished():
        with rt.session() as session:
            found = session.get(MigrationJob, job_id)
            return found if found.status == "done" else None

    done = _poll(services, "the migration job", finished)
    assert (done.moved, done.position) == (30, 31)
    assert [r["id"] for r in done.refused] == [999999] and "does not exist" in done.refused[0]["reason"]
    assert {rt.instance(i).definition_id for i in ids} == {v2}
    assert len(rt.audit(action="instance.migrated")) == 30
