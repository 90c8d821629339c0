"""The human-task projection: rows for READY user tasks, with role, unit, assignee and due time,
removed when the task completes or a timer cancels it; claims survive later advances."""
from __future__ import annotations

from datetime import timedelta

import pytest
from factories import BPMN_DIR, actor

from engine import assignment
from engine.errors import NotAllowed
from engine.inbox import may_do_page
from engine.policy import TaskPolicy
from engine.wakeups import wake_due

POLICY = TaskPolicy(manager_roles=frozenset({"supervisor"}))


def test_ready_user_task_appears_with_role_assignee_form_and_due(rt, people, clock):
    rt.deploy_scenario("timer_task")
    iid = rt.start("timer_task", business_key="WO-7", school_id=people.school_id,
                   data={"worker_id": people.worker_id, "job_due": "PT12H"})

    [row] = rt.tasks(iid)
    assert row.id == str(rt.workflow(iid).get_next_task(manual=True).id)
    assert (row.task_name, row.title, row.lane, row.role, row.form_key) == ("do_job", "Do the job", "worker", "worker", "simple_note")
    assert (row.assignee_id, row.candidate_ids, row.org_unit_id) == (people.worker_id, [], None)
    assert (row.process_key, row.business_key, row.school_id) == ("timer_task", "WO-7", people.school_id)
    assert row.created_at == clock.start and row.due_at == clock.start + timedelta(hours=12)
    [created] = rt.audit(iid, "task.created")
    assert created.task_id == row.id and created.details == {"role": "worker", "assignee_id": people.worker_id}


def test_org_unit_and_rule_driven_due_time_from_the_shipped_job_ticket(rt, people, clock):
    rt.deploy_path(BPMN_DIR / "job_ticket")
    iid = rt.start("job_ticket", school_id=people.school_id, data={"team_id": people.unit_id, "title": "Leaking tap"})

    [row] = rt.tasks(iid)
    assert (row.role, row.org_unit_id, row.assignee_id) == ("worker", people.unit_id, None)
    assert row.due_at == clock.start + timedelta(hours=12)  # rule repair.work.overdue_after = 12h
    worker = rt.actor_of(people.worker_id)
    clerk = rt.actor_of(people.clerk_id)
    with rt.session() as session:
        assert [t.id for t in may_do_page(session, worker).rows] == [row.id]
        assert may_do_page(session, clerk).rows == []

    clock.advance(hours=12, seconds=1)
    wake_due(rt.host)
    [message] = rt.outbox(iid)
    assert (message.kind, message.status, message.recipients["org_unit_id"]) == ("job.overdue", "sent", people.unit_id)


def test_row_disappears_when_the_task_is_completed(rt, people, clock):
    rt.deploy_scenario("timer_task")
    iid = rt.start("timer_task", data={"worker_id": people.worker_id, "job_due": "PT12H"})
    row = rt.task(iid, "do_job")

    rt.complete(row.id, actor(people.worker_id), {"note": "done"})

    assert rt.tasks(iid) == []
    assert [e.task_id for e in rt.audit(iid, "task.closed")] == [row.id]


def test_interrupting_timer_cancels_the_task_and_projects_the_escalation(rt, clock):
    rt.deploy_scenario("escalation")
    iid = rt.start("escalation", data={"unit_id": 7, "supervisor_ids": [31, 32]})
    approve = rt.task(iid, "approve")
    assert (approve.role, approve.org_unit_id, approve.due_at) == ("clerk", 7, clock.start + timedelta(hours=2))

    clock.advance(hours=2, seconds=1)
    [outcome] = wake_due(rt.host)

    [review] = rt.tasks(iid)
    assert outcome.ready_task_ids == (review.id,)
    assert (review.task_name, review.role, review.candidate_ids, review.due_at) == ("supervisor_review", "supervisor", [31, 32], None)
    assert [e.task_id for e in rt.audit(iid, "task.closed")] == [approve.id]
    # a listed candidate may complete it without holding the role; others may not
    assert rt.complete(review.id, actor(31), {"note": "chased"}) == "completed"


def test_candidates_and_roles_decide_who_sees_the_task(rt, clock):
    rt.deploy_scenario("escalation")
    iid = rt.start("escalation", data={"unit_id": 7, "supervisor_ids": []})
    row = rt.task(iid, "approve")
    with rt.session() as session:
        assert [t.id for t in may_do_page(session, actor(1, ("clerk", 7))).rows] == [row.id]
        assert may_do_page(session, actor(2, ("clerk", 8))).rows == []
        assert may_do_page(session, actor(3, ("worker", 7))).rows == []
        assert [t.id for t in may_do_page(session, actor(4, "clerk")).rows] == [row.id]  # school-wide grant


def test_claim_release_reassign_are_audited_and_survive_an_advance(rt, clock):
    rt.deploy_scenario("cycle_reminder")
    iid = rt.start("cycle_reminder")
    row = rt.task(iid, "dispatch")
    clerk, other_clerk, manager = actor(11, "clerk"), actor(12, "clerk"), actor(13, "supervisor")

    with rt.session() as session:
        assignment.claim(session, task_id=row.id, actor=clerk, policy=POLICY)
    with rt.session() as session, pytest.raises(NotAllowed):
        assignment.claim(session, task_id=row.id, actor=other_clerk, policy=POLICY)
    assert rt.task(iid, "dispatch").assignee_id == 11

    clock.advance(hours=1, seconds=1)
    assert rt.wake(iid).status == "advanced"
    assert rt.task(iid, "dispatch").assignee_id == 11, "an advance must not reset a claim"

    with rt.session() as session:
        assignment.release(session, task_id=row.id, actor=clerk, policy=POLICY)
    with rt.session() as session:
        assignment.claim(session, task_id=row.id, actor=other_clerk, policy=POLICY)
    with rt.session() as session, pytest.raises(NotAllowed):
        assignment.reassign(session, task_id=row.id, actor=clerk, assignee_id=11, policy=POLICY)
    with rt.session() as session:
        assignment.reassign(session, task_id=row.id, actor=manager, assignee_id=11, note="back to you",
                            policy=POLICY)

    trail = [(e.action, e.actor, e.details) for e in rt.audit(iid) if e.action.startswith("task.") and e.action != "task.created"]
    assert trail == [
        ("task.claimed", "user11#11", {}),
        ("task.released", "user11#11", {}),
        ("task.claimed", "user12#12", {}),
        ("task.reassigned", "user13#13", {"from_user": 12, "to_user": 11, "note": "back to you"}),
    ]
    with pytest.raises(NotAllowed):
        rt.complete(row.id, other_clerk, {"note": "not mine any more"})
    assert rt.complete(row.id, clerk, {"note": "dispatched"}) == "completed"
