"""Timers: due times, strict firing at due + 1 s, exactly-once reminders, catch-up and compaction.

The clock is frozen with time-machine and moved explicitly; nothing here sleeps.
"""
from __future__ import annotations

from datetime import timedelta

import pytest
from factories import actor

from engine.models import ProcessInstance
from engine.timers import RESEND_CAP, WAKE_MARGIN, claim_for_enqueue, due_instance_ids, next_due
from engine.wakeups import run_once, wake_due


@pytest.fixture
def timer_rt(rt, clock, people):
    rt.deploy_scenario("timer_task")
    return rt


def _start_timer(rt, people, due: str = "PT12H") -> int:
    return rt.start("timer_task", data={"worker_id": people.worker_id, "job_due": due}, school_id=people.school_id)


def _reminders(rt, instance_id: int) -> list[str]:
    return [e.task_name for e in rt.audit(instance_id, "step.completed") if e.task_name == "Send reminder"]


def test_next_due_is_the_timer_due_time_and_the_wake_is_one_second_later(timer_rt, people, clock):
    iid = _start_timer(timer_rt, people)

    due = clock.start + timedelta(hours=12)
    assert next_due(timer_rt.workflow(iid)) == due
    assert timer_rt.instance(iid).next_wake_at == due + WAKE_MARGIN == due + timedelta(seconds=1)


def test_nothing_fires_before_the_due_time(timer_rt, people, clock):
    iid = _start_timer(timer_rt, people)
    before = timer_rt.snapshot(iid)

    for instant in (timedelta(hours=1), timedelta(hours=11, minutes=59, seconds=59), timedelta(hours=12)):
        clock.to(clock.start + instant)
        assert run_once(timer_rt.host).woken == []
        # even a direct wake (a Celery task delivered early) changes no workflow state
        assert timer_rt.wake(iid).status == "idle"

    after = timer_rt.snapshot(iid)
    assert after["state"] == before["state"] and after["audit"] == before["audit"] and after["outbox"] == 0
    assert _reminders(timer_rt, iid) == []


def test_firing_is_strict_exactly_at_due_nothing_one_second_later_the_reminder(timer_rt, people, clock):
    iid = _start_timer(timer_rt, people)
    due = clock.start + timedelta(hours=12)

    clock.to(due)
    assert timer_rt.wake(iid).status == "idle"
    with timer_rt.session() as session:
        assert due_instance_ids(session, until=due) == []

    clock.to(due + timedelta(seconds=1))
    outcome = timer_rt.wake(iid)
    assert outcome.status == "advanced"
    assert _reminders(timer_rt, iid) == ["Send reminder"]


def test_wake_due_at_plus_12h_fires_the_reminder_exactly_once(timer_rt, people, clock):
    iid = _start_timer(timer_rt, people)
    other = _start_timer(timer_rt, people, due="PT48H")

    clock.advance(hours=12, seconds=1)
    outcomes = wake_due(timer_rt.host)
    assert [(o.instance_id, o.status) for o in outcomes] == [(iid, "advanced")]

    # later passes, and a redelivered wake, find nothing more to do
    for _ in range(3):
        clock.advance(hours=1)
        assert wake_due(timer_rt.host) == []
        assert timer_rt.wake(iid).status == "idle"

    assert _reminders(timer_rt, iid) == ["Send reminder"]
    [message] = timer_rt.outbox()
    assert (message.instance_id, message.kind, message.status) == (iid, "job.overdue", "sent")
    assert message.dedup_key == f"{iid}:job.overdue:overdue-1"
    assert message.recipients == {"roles": [], "users": [people.worker_id], "org_unit_id": None}
    # the user task is still open (non-interrupting reminder) and nothing else is waiting
    assert [t.task_name for t in timer_rt.tasks(iid)] == ["do_job"]
    assert timer_rt.instance(iid).next_wake_at is None
    assert timer_rt.instance(other).next_wake_at == clock.start + timedelta(hours=48, seconds=1)
    assert timer_rt.data(iid)["reminded"] is True


def test_completing_the_task_cancels_its_timer(timer_rt, people, clock):
    iid = _start_timer(timer_rt, people)
    clock.advance(hours=2)
    task = timer_rt.task(iid, "do_job")
    assert timer_rt.complete(task.id, actor(people.worker_id), {"note": "fixed"}) == "completed"

    inst = timer_rt.instance(iid)
    assert inst.next_wake_at is None and inst.status == "completed" and inst.ended_at == clock.now
    clock.advance(hours=20)
    assert run_once(timer_rt.host).woken == []
    assert timer_rt.outbox() == [] and _reminders(timer_rt, iid) == []


def test_wake_reports_gone_and_idle_for_missing_and_finished_instances(timer_rt, people, clock):
    iid = _start_timer(timer_rt, people)
    timer_rt.complete(timer_rt.task(iid, "do_job").id, actor(people.worker_id), {"note": "x"})
    assert timer_rt.wake(iid).status == "idle"
    assert timer_rt.wake(999_999).status == "gone"


def test_cycle_timer_reminds_every_hour_with_dedup_and_catch_up(rt, clock):
    rt.deploy_scenario("cycle_reminder")
    iid = rt.start("cycle_reminder")
    assert rt.instance(iid).next_wake_at == clock.start + timedelta(hours=1, seconds=1)

    for hour in (1, 2, 3):
        clock.to(clock.start + timedelta(hours=hour, seconds=1))
        assert [o.status for o in wake_due(rt.host)] == ["advanced"]
    kinds = [m.kind for m in rt.outbox(iid)]
    # "first" carries a dedup key, so three firings store it once; the plain reminder every time
    assert kinds.count("dispatch.first_reminder") == 1
    assert kinds.count("dispatch.reminder") == 3

    # the worker was down for 5.5 hours: one wake catches up every missed firing at once, and the
    # five identical reminders it queues in that one advance collapse into one message
    clock.to(clock.start + timedelta(hours=8, minutes=30))
    assert [o.status for o in wake_due(rt.host)] == ["advanced"]
    assert [m.kind for m in rt.outbox(iid)].count("dispatch.reminder") == 4
    assert rt.instance(iid).next_wake_at == clock.start + timedelta(hours=9, seconds=1)
    assert [t.task_name for t in rt.tasks(iid)] == ["dispatch"]


def test_cycle_branches_are_compacted_so_state_stays_flat(rt, clock):
    rt.deploy_scenario("cycle_reminder")
    iid = rt.start("cycle_reminder")
    sizes = {}
    for hour in range(1, 49):
        clock.to(clock.start + timedelta(hours=hour, seconds=1))
        assert rt.wake(iid).status == "advanced"
        if hour in (4, 48):
            sizes[hour] = (len(rt.instance(iid).state), len(rt.workflow(iid).tasks))
    assert sizes[48][1] == sizes[4][1], f"task count grew with firings: {sizes}"
    assert sizes[48][0] < sizes[4][0] * 1.1, f"state grew with firings: {sizes}"
    assert len(rt.audit(iid, "step.completed")) == 1 + 2 * 48  # start + (remind, reminded) per hour
    # compaction left a workflow that still works
    assert rt.complete(rt.task(iid, "dispatch").id, actor(1, "clerk"), {"note": "sent"}) == "completed"


def test_claim_for_enqueue_claims_each_wake_instant_once(rt, clock):
    rt.deploy_scenario("cycle_reminder")
    first, second = rt.start("cycle_reminder"), rt.start("cycle_reminder")
    clock.advance(minutes=30)
    horizon = clock.now + timedelta(minutes=31)
    with rt.session() as session:
        claimed = claim_for_enqueue(session, until=horizon)
    assert sorted(claimed) == [(first, clock.start + timedelta(hours=1, seconds=1)), (second, clock.start + timedelta(hours=1, seconds=1))]
    with rt.session() as session:
        assert claim_for_enqueue(session, until=horizon) == []

    # an early wake (ETA drift) re-opens the claim for the same instant
    assert rt.wake(first).status == "idle"
    with rt.session() as session:
        assert [i for i, _ in claim_for_enqueue(session, until=horizon)] == [first]

    # after a real firing the next instant is claimable once more
    clock.advance(minutes=31)
    assert rt.wake(second).status == "advanced"
    with rt.session() as session:
        assert claim_for_enqueue(session, until=clock.now + timedelta(hours=1)) == [
            (second, clock.start + timedelta(hours=2, seconds=1))]
        inst = session.get(ProcessInstance, second)
        assert inst.wake_enqueued_for == inst.next_wake_at


def test_a_wake_up_that_is_never_done_is_sent_again_with_a_doubling_wait(rt, clock):
    """A lost wake-up (worker killed) is re-sent RESEND after its instant, twice more RESEND apart, then after 2×,
    4× … at most RESEND_CAP× RESEND: an hour without any worker queues a dozen copies, not one per sweep."""
    rt.deploy_scenario("cycle_reminder")
    iid = rt.start("cycle_reminder")
    due = clock.start + timedelta(hours=1, seconds=1)
    resend = timedelta(seconds=20)
    sends = []
    clock.to(due - timedelta(minutes=1))
    for _ in range(3600 // 5 + 12):  # a sweep every 5 s from a minute before the instant for an hour
        with rt.session() as session:
            if claim_for_enqueue(session, until=clock.now + timedelta(minutes=5), resend_after=resend):
                sends.append(int((clock.now - due).total_seconds()))
        clock.advance(seconds=5)
    gaps = [b - a for a, b in zip(sends[1:], sends[2:], strict=False)]
    assert sends[:3] == [-60, 20, 40]  # sent ahead with its ETA, then again 20 s after the instant, then 20 s later
    assert gaps[:6] == [20, 20, 20, 40, 80, 160] and max(gaps) == RESEND_CAP * 20
    assert len(sends) <= 13
    with rt.session() as session:
        assert session.get(ProcessInstance, iid).wake_sends == len(sends)

    # once done, the next instant starts again from one send
    assert rt.wake(iid).status == "advanced"
    with rt.session() as session:
        assert claim_for_enqueue(session, until=clock.now + timedelta(hours=2), resend_after=resend) != []
        assert session.get(ProcessInstance, iid).wake_sends == 1


def test_without_resend_after_a_claim_is_never_sent_again(rt, clock):
    rt.deploy_scenario("cycle_reminder")
    rt.start("cycle_reminder")
    clock.advance(hours=1, seconds=2)
    with rt.session() as session:
        assert len(claim_for_enqueue(session, until=clock.now)) == 1
    clock.advance(hours=5)
    with rt.session() as session:
        assert claim_for_enqueue(session, until=clock.now) == []
