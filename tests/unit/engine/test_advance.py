"""The advance routine: completing tasks (and every way that is refused), the audit trail it
writes, and that a refused or rolled-back advance leaves no trace."""
from __future__ import annotations

from datetime import timedelta
from uuid import UUID

import pytest
from factories import actor

from engine import advance
from engine.errors import NotAllowed, NotFound, TaskNotReady
from engine.wakeups import wake_due


def test_full_audit_trail_of_an_instance(rt, people, job, clock):
    iid, task_id = job
    clock.advance(hours=12, seconds=1)
    wake_due(rt.host)
    clock.advance(hours=1)
    rt.complete(task_id, actor(people.worker_id, school_id=people.school_id, name="worker"), {"note": "fixed it"})

    trail = [(e.action, e.task_name, e.actor) for e in rt.audit(iid)]
    assert trail == [
        ("instance.started", None, "system"),
        ("step.completed", "Start", "system"),
        ("task.created", "Do the job", None),
        ("step.completed", "Job overdue", "system"),
        ("step.completed", "Send reminder", "system"),
        ("step.completed", "Reminder sent", "system"),
        ("task.completed", "Do the job", f"worker#{people.worker_id}"),
        ("step.completed", "Done", f"worker#{people.worker_id}"),
        ("task.closed", "Do the job", None),
        ("instance.completed", None, f"worker#{people.worker_id}"),
    ]
    events = rt.audit(iid)
    assert all(e.business_key == "WO-1" and e.school_id == people.school_id for e in events)
    assert [e.at for e in events] == sorted(e.at for e in events)
    completed = next(e for e in events if e.action == "task.completed")
    assert completed.task_id == task_id and completed.details == {"added": {"note": "fixed it"}}
    assert completed.at == clock.now == clock.start + timedelta(hours=13, seconds=1)


def test_audit_diff_shortens_long_values_and_reports_changes(rt, people, job):
    iid, task_id = job
    long_note = "x" * 5000
    rt.complete(task_id, actor(people.worker_id), {"note": long_note, "worker_id": people.worker_id, "job_due": "PT1H"})
    [completed] = rt.audit(iid, "task.completed")
    assert len(completed.details["added"]["note"]) <= 200
    assert completed.details["changed"] == {"job_due": "PT1H"}


def test_completing_returns_the_instance_and_records_the_actor_variable(rt, people):
    source = {"<spiffworkflow:property name=\"due\" value=\"job_due\" />":
              "<spiffworkflow:property name=\"due\" value=\"job_due\" />\n"
              "          <spiffworkflow:property name=\"recordActorAs\" value=\"done_by\" />"}
    rt.deploy_scenario("timer_task", **source)
    iid = rt.start("timer_task", data={"worker_id": people.worker_id, "job_due": "PT1H"})
    rt.complete(rt.task(iid, "do_job").id, actor(people.worker_id), {"note": "ok"})
    assert rt.data(iid)["done_by"] == people.worker_id


@pytest.mark.parametrize(("who", "refusal"), [("other user", NotAllowed), ("role without assignment", NotAllowed),
                                               ("other school", TaskNotReady)])  # another school's task is not named
def test_not_allowed_changes_nothing(rt, people, job, who, refusal):
    iid, task_id = job
    intruder = {
        "other user": actor(people.clerk_id, school_id=people.school_id),
        "role without assignment": actor(people.clerk_id, "worker", school_id=people.school_id),
        "other school": actor(people.worker_id, school_id=people.school_id + 1),
    }[who]
    before, totals = rt.snapshot(iid), rt.totals()

    with pytest.raises(refusal):
        rt.complete(task_id, intruder, {"note": "mine now"})

    assert rt.snapshot(iid) == before and rt.totals() == totals


def test_double_submission_is_refused_and_changes_nothing(rt, people, job):
    iid, task_id = job
    worker = actor(people.worker_id)
    assert rt.complete(task_id, worker, {"note": "first"}) == "completed"
    after_first, totals = rt.snapshot(iid), rt.totals()

    with pytest.raises(TaskNotReady):
        rt.complete(task_id, worker, {"note": "second"})

    assert rt.snapshot(iid) == after_first and rt.totals() == totals
    assert len(rt.audit(iid, "task.completed")) == 1
    assert rt.data(iid)["note"] == "first"


def test_task_cancelled_by_a_timer_can_no_longer_be_completed(rt, clock):
    rt.deploy_scenario("escalation")
    iid = rt.start("escalation", data={"unit_id": 7, "supervisor_ids": [5]})
    approve = rt.task(iid, "approve").id
    clock.advance(hours=2, seconds=1)
    wake_due(rt.host)
    before, totals = rt.snapshot(iid), rt.totals()

    with pytest.raises(TaskNotReady):
        rt.complete(approve, actor(1, "clerk"), {"note": "too late"})

    assert rt.snapshot(iid) == before and rt.totals() == totals


@pytest.mark.parametrize("task_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_unknown_task_ids_are_not_ready(rt, job, task_id):
    totals = rt.totals()
    with pytest.raises(TaskNotReady):
        rt.complete(task_id, actor(1, "worker"), {})
    assert rt.totals() == totals


def test_projection_row_out_of_step_with_the_workflow_is_refused(rt, people, job):
    """A stale projection row (the task moved on in the workflow) must not be completable."""
    from engine.models import HumanTask

    iid, task_id = job
    rt.complete(task_id, actor(people.worker_id), {"note": "done"})
    with rt.session() as session:
        session.add(HumanTask(id=task_id, instance_id=iid, process_key="timer_task", task_name="do_job",
                              title="Do the job", role="worker", assignee_id=people.worker_id))
    before, totals = rt.snapshot(iid), rt.totals()
    with pytest.raises(TaskNotReady):
        rt.complete(task_id, actor(people.worker_id), {"note": "again"})
    assert rt.snapshot(iid) == before and rt.totals() == totals


def test_starting_an_undeployed_process_is_not_found(rt):
    with pytest.raises(NotFound):
        rt.start("no_such_process")
    assert rt.audit() == []


def test_a_rolled_back_advance_leaves_no_rows_and_sends_nothing(rt, people):
    sent = []
    rt.registry.channel("recorder", lambda session, message: sent.append(message.id))
    rt.deploy_scenario("notify_channel")

    class Abort(Exception):
        pass

    with pytest.raises(Abort):
        with rt.session() as session:
            advance.start(rt.host, session, process_key="notify_channel",
                          data={"user_ids": [people.clerk_id], "role_names": [], "channel": "recorder", "subject": "hi"})
            raise Abort

    assert rt.audit(action="instance.started") == [] and rt.outbox() == [] and rt.tasks() == []
    assert sent == []

    iid = rt.start("notify_channel", data={"user_ids": [people.clerk_id], "role_names": [], "channel": "recorder", "subject": "hi"})
    assert sent == [rt.outbox(iid)[0].id]


def test_script_failure_puts_the_instance_in_error_with_an_audit_row(rt):
    rt.deploy_scenario("script_step", SCRIPT_BODY="result = 1 / divisor")
    iid = rt.start("script_step", data={"divisor": 0})

    inst = rt.instance(iid)
    assert inst.status == "error" and "division by zero" in inst.error
    [error] = rt.audit(iid, "instance.error")
    assert error.task_name == "Compute" and "division by zero" in error.details["error"]
    assert rt.tasks(iid) == [] and inst.next_wake_at is None


def test_version_counter_refuses_a_stale_write(rt, people, job):
    """Two sessions load the same instance; the one that saves second must not overwrite the first."""
    from engine.errors import ConcurrentUpdate
    from engine.models import ProcessInstance

    iid, task_id = job
    stale = rt.host.session_factory()
    try:
        stale_instance = stale.get(ProcessInstance, iid)
        stale.commit()  # release SQLite's write lock; expire_on_commit=False keeps the (soon stale) object
        rt.complete(task_id, actor(people.worker_id), {"note": "first"})
        workflow = advance.load_workflow(rt.host, stale_instance)
        stale_task = workflow.get_task_from_id(UUID(task_id))
        stale_task.data["note"] = "second"
        stale_task.run()  # the stale copy completes the task as well
        with pytest.raises(ConcurrentUpdate):
            advance._run_and_save(rt.host, stale, stale_instance, workflow, actor(people.worker_id))
        stale.rollback()
    finally:
        stale.close()
    assert rt.instance(iid).status == "completed" and rt.data(iid)["note"] == "first"
    assert len(rt.audit(iid, "task.completed")) == 1 and rt.tasks(iid) == []
