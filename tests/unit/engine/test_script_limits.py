"""Diagram scripts run within a time and size budget, and an instance never saves more than its state budget:
a script that loops or builds a huge value errs the instance at once (nothing hangs), a step by a person that
would outgrow the budget is refused with nothing saved, a timer or event step that would is marked on the
instance, and an instance that errs outside any step (a timer expression) shows as errored and can be run again."""
from __future__ import annotations

import time

import pytest
from factories import actor

from engine import instance_control, script_limits
from engine.actor import Actor
from engine.errors import StateTooLarge
from engine.statuses import InstanceStatus

ADMIN = Actor(id=None, name="owner")


@pytest.mark.parametrize("body, says", [
    ("while True: pass", "ran longer than"),
    ('result = "a" * 10**8', "more than 100000 items"),
    ("result = 7 ** 100000", "more than 10000 bits"),
    ("result = [0] * divisor * 10**6", "more than 100000 items"),
])
def test_a_costly_script_errs_the_instance_at_once(rt, monkeypatch, body, says):
    monkeypatch.setattr(script_limits, "SECONDS", 0.3)
    rt.deploy_scenario("script_step", SCRIPT_BODY=body)
    began = time.monotonic()
    iid = rt.start("script_step", data={"divisor": 1})
    assert time.monotonic() - began < 5
    inst = rt.instance(iid)
    assert inst.status == InstanceStatus.ERROR and says in inst.error
    assert rt.tasks(iid) == []


def test_ordinary_arithmetic_still_works(rt):
    rt.deploy_scenario("script_step", SCRIPT_BODY='result = [1] * 3 + [2 ** 10, 3 * 4, "ab" * 2]')
    iid = rt.start("script_step")
    assert rt.instance(iid).status == InstanceStatus.RUNNING
    assert rt.workflow(iid).get_tasks(spec_name="check")[0].data["result"] == [1, 1, 1, 1024, 12, "abab"]


def test_a_persons_step_that_would_outgrow_the_state_budget_is_refused_and_saves_nothing(rt, people, job, monkeypatch):
    iid, task_id = job
    before = rt.instance(iid).state
    monkeypatch.setattr(script_limits, "MAX_STATE_BYTES", len(before) + 50)
    with pytest.raises(StateTooLarge, match="more than"):
        rt.complete(task_id, actor(people.worker_id), {"note": "x" * 500})
    assert rt.instance(iid).state == before and rt.task(iid, "do_job").id == task_id


def test_a_timer_that_would_outgrow_the_budget_marks_the_instance_and_runs_again_when_repaired(rt, people, job, clock,
                                                                                                monkeypatch):
    iid, _task_id = job
    monkeypatch.setattr(script_limits, "MAX_STATE_BYTES", len(rt.instance(iid).state) + 10)
    clock.advance(hours=13)
    rt.wake(iid)
    inst = rt.instance(iid)
    assert inst.status == InstanceStatus.ERROR and "more than" in inst.error and inst.next_wake_at is None
    assert rt.audit(iid, "instance.error")

    monkeypatch.setattr(script_limits, "MAX_STATE_BYTES", 2_000_000)  # repaired (a larger budget, a fixed diagram)
    with rt.session() as session:
        instance_control.rerun(rt.host, session, instance_id=iid, actor=ADMIN, reason="budget raised")
    inst = rt.instance(iid)
    assert inst.status == InstanceStatus.RUNNING and inst.error is None
    assert [e.details["reason"] for e in rt.audit(iid, "task.retried")] == ["budget raised"]


def test_a_timer_expression_that_fails_shows_the_instance_as_errored(rt, people):
    rt.deploy_scenario("timer_task", **{"<bpmn:timeDuration>job_due": "<bpmn:timeDuration>reminder_after"})
    iid = rt.start("timer_task", data={"worker_id": people.worker_id, "job_due": "PT12H", "reminder_after": "soon"})
    inst = rt.instance(iid)
    assert inst.status == InstanceStatus.ERROR and inst.error and inst.next_wake_at is None
    with rt.session() as session, pytest.raises(instance_control.ActionRefused):
        instance_control.rerun(rt.host, session, instance_id=iid, actor=ADMIN, reason="")

