"""Suspend, resume, terminate and retry: each needs a reason, is audited, and does what it says to the instance,
its open tasks and its wake-ups; the viewer's reading of the task tree marks each element's state."""
from __future__ import annotations

import pytest
from factories import actor, scenario

from engine import instance_view
from engine.errors import TaskNotReady
from engine.instance_control import ActionRefused, resume, retry, suspend, terminate

ADMIN = actor(None, name="admin")


def _act(rt, action, instance_id, **kwargs):
    with rt.session() as session:
        return action(rt.host, session, instance_id=instance_id, actor=ADMIN, **kwargs).status


def _actions(rt, instance_id):
    return [(e.action, e.details.get("reason")) for e in rt.audit() if e.instance_id == instance_id
            and e.action.startswith(("instance.suspended", "instance.resumed", "instance.terminated", "task.retried"))]


def test_suspend_hides_tasks_and_timers_until_resumed(rt, clock):
    rt.deploy(scenario("timer_task"))
    instance_id = rt.start("timer_task", data={"worker_id": 7, "job_due": "PT1H"})
    assert rt.tasks(instance_id) and rt.instance(instance_id).next_wake_at
    with pytest.raises(ActionRefused):
        _act(rt, suspend, instance_id, reason="  ")
    assert _act(rt, suspend, instance_id, reason="supplier strike") == "suspended"
    assert rt.tasks(instance_id) == [] and rt.instance(instance_id).next_wake_at is None
    clock.advance(days=30)
    assert rt.wake(instance_id).status == "idle"
    assert _act(rt, resume, instance_id, reason="strike over") == "running"
    assert rt.tasks(instance_id)
    assert _actions(rt, instance_id) == [("instance.suspended", "supplier strike"), ("instance.resumed", "strike over")]


def test_a_suspended_instance_refuses_task_completion(rt):
    rt.deploy(scenario("script_step", SCRIPT_BODY="x = 1"))
    instance_id = rt.start("script_step")
    [task] = rt.tasks(instance_id)
    _act(rt, suspend, instance_id, reason="audit")
    with pytest.raises(TaskNotReady):
        rt.complete(task.id, actor(1, "clerk"), {"note": "x"})


def test_terminate_cancels_everything(rt):
    rt.deploy(scenario("timer_task"))
    instance_id = rt.start("timer_task", data={"worker_id": 7, "job_due": "PT1H"})
    assert _act(rt, terminate, instance_id, reason="duplicate request") == "terminated"
    instance = rt.instance(instance_id)
    assert rt.tasks(instance_id) == [] and instance.next_wake_at is None and instance.ended_at is not None
    with pytest.raises(ActionRefused):
        _act(rt, terminate, instance_id, reason="again")


def test_retry_an_errored_script_after_fixing_its_data(rt):
    rt.deploy(scenario("script_step", SCRIPT_BODY="share = total / people"))
    instance_id = rt.start("script_step", data={"total": 10, "people": 0})
    assert rt.instance(instance_id).status == "error"
    workflow = rt.workflow(instance_id)
    assert instance_view.element_marks(workflow)["compute"] == "errored"
    [failed] = [s for s in instance_view.steps(workflow) if s.state == "errored"]
    assert _act(rt, retry, instance_id, task_id=failed.task_id, reason="people was missing",
                data={"people": 2}) == "running"
    marks = instance_view.element_marks(rt.workflow(instance_id))
    assert marks["compute"] == "completed" and marks["check"] == "active"
    assert [t.task_name for t in rt.tasks(instance_id)] == ["check"]
    assert _actions(rt, instance_id) == [("task.retried", "people was missing")]


def test_the_viewer_lists_waiting_timers_with_their_due_time(rt, clock):
    rt.deploy(scenario("timer_task"))
    instance_id = rt.start("timer_task", data={"worker_id": 7, "job_due": "PT1H"})
    timers = instance_view.waiting_timers(rt.workflow(instance_id))
    assert timers and timers[0].due > clock.now
    assert instance_view.element_marks(rt.workflow(instance_id))[timers[0].element] == "waiting"
