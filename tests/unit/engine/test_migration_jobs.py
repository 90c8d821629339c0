"""Bulk moves in the background: refusals are kept and passed over, a passing failure is tried again, an instance
that keeps failing is given up with its error, and a job that fails as a whole does not hold up the next one."""
from __future__ import annotations

from engine import migration, migration_jobs
from engine.actor import Actor
from engine.models import MigrationJob, ProcessDefinition

OWNER = Actor(id=None, name="owner")


def _setup(rt, count: int):
    rt.deploy_scenario("timer_task")
    people = rt.people()
    ids = [rt.start("timer_task", business_key=f"WO-{n}", school_id=people.school_id,
                    data={"worker_id": people.worker_id, "job_due": "PT12H"}) for n in range(count)]
    return ids, rt.deploy_scenario("timer_task", **{'name="Done"': 'name="Done, version 2"'})


def _queue(rt, target_id: int, ids: list[int]) -> int:
    with rt.session() as session:
        return migration_jobs.queue(session, target=session.get(ProcessDefinition, target_id), instance_ids=ids,
                                    actor=OWNER, reason="tidy up").id


def _job(rt, job_id: int) -> MigrationJob:
    with rt.session() as session:
        return session.get(MigrationJob, job_id)


def test_a_passing_failure_is_tried_again_and_one_that_keeps_failing_is_given_up(rt, monkeypatch):
    ids, v2 = _setup(rt, 3)
    flaky, stuck = ids[1], ids[2]
    failures = {flaky: 1, stuck: 99}
    real = migration.migrate

    def migrate(host, session, *, instance_id, **kwargs):
        if failures.get(instance_id, 0) > 0:
            failures[instance_id] -= 1
            raise TimeoutError("lock wait timeout")
        return real(host, session, instance_id=instance_id, **kwargs)

    monkeypatch.setattr(migration, "migrate", migrate)
    job_id = _queue(rt, v2, ids)
    assert migration_jobs.run_pending(rt.host, max_batches=1) == (1, True)  # stopped before the flaky one
    assert (_job(rt, job_id).position, _job(rt, job_id).attempts) == (1, 1)
    moved, more = migration_jobs.run_pending(rt.host)
    job = _job(rt, job_id)
    assert (moved, more, job.status, job.moved) == (1, False, "done", 2)
    assert job.refused == [{"id": stuck, "reason": "TimeoutError: lock wait timeout"}]
    assert rt.instance(flaky).definition_id == v2 and rt.instance(stuck).definition_id != v2


def test_a_job_that_fails_as_a_whole_is_marked_and_the_next_one_still_runs(rt, monkeypatch):
    ids, v2 = _setup(rt, 2)
    broken, fine = _queue(rt, v2, ids[:1]), _queue(rt, v2, ids[1:])
    real = migration_jobs._run_batch

    def run_batch(host, session, job):
        if job.id == broken:
            raise RuntimeError("the job's bookkeeping broke")
        return real(host, session, job)

    monkeypatch.setattr(migration_jobs, "_run_batch", run_batch)
    assert migration_jobs.run_pending(rt.host) == (1, False)
    assert (_job(rt, broken).status, _job(rt, broken).error) == ("failed", "RuntimeError: the job's bookkeeping broke")
    assert _job(rt, fine).status == "done" and rt.instance(ids[1]).definition_id == v2
    assert [e.details["job"] for e in rt.audit(action="migration.failed")] == [broken]
