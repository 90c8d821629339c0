"""Reminders and three-colour escalation of the repair process, driven by rule durations."""
from __future__ import annotations

from datetime import timedelta

from seeded import START


def _hours_after_start(messages) -> list[float]:
    return [round((m.created_at - START).total_seconds() / 3600, 2) for m in messages]


def _taken_job(scenario):
    """A new order accepted, dispatched to the demo worker and taken by them: (its number, the worker)."""
    number = scenario.report()
    scenario.do(number, "review", "auditor", decision="accept")
    worker = scenario.user("worker")
    scenario.do(number, "dispatch", "auditor", team_id=str(scenario.order(number).team_id), worker_id=str(worker.id))
    scenario.do(number, "accept_job", "worker", decision="accept")
    return number, worker


def test_unreviewed_order_reminds_auditors_every_hour_until_reviewed(scenario):
    number = scenario.report()
    scenario.advance_to(START + timedelta(hours=3, minutes=30))
    reminders = scenario.outbox(number, "repair.review_overdue")
    assert _hours_after_start(reminders) == [1.0, 2.0, 3.0]
    assert len(scenario.notifications("auditor", "repair.review_overdue")) == 3
    scenario.do(number, "review", "auditor", decision="accept")
    scenario.wait(hours=10)
    assert len(scenario.outbox(number, "repair.review_overdue")) == 3
    assert [t.task_name for t in scenario.open_tasks(number)] == ["dispatch"]


def test_overdue_job_reminds_worker_after_12_hours_then_daily_copied_to_auditor(scenario):
    number, worker = _taken_job(scenario)
    accepted = scenario.now()
    scenario.wait(hours=12 + 24 * 2, minutes=30)
    to_worker = scenario.outbox(number, "repair.job_overdue")
    copies = scenario.outbox(number, "repair.job_overdue_copy")
    offsets = [round((m.created_at - accepted).total_seconds() / 3600, 2) for m in to_worker]
    assert offsets == [12.0, 36.0, 60.0]
    assert len(copies) == 3
    assert all(m.recipients["users"] == [worker.id] for m in to_worker)
    assert len(scenario.notifications("worker", "repair.job_overdue")) == 3
    assert len(scenario.notifications("auditor", "repair.job_overdue_copy")) == 3
    scenario.do(number, "complete_job", "worker", result="fixed")
    scenario.wait(days=3)
    assert len(scenario.outbox(number, "repair.job_overdue")) == 3


def test_escalations_turn_green_yellow_red_once_each_and_stop_when_closed(scenario):
    number = scenario.report()
    scenario.do(number, "review", "auditor", decision="accept")
    accepted = scenario.now()
    scenario.wait(days=16)
    escalations = scenario.outbox(number, "repair.escalated")
    assert [(m.payload["colour"], round((m.created_at - accepted).total_seconds() / 86400, 2)) for m in escalations] == [
        ("green", 3.0), ("yellow", 7.0), ("red", 15.0)]
    assert [m.recipients["roles"] for m in escalations] == [["clerk"], ["deputy_leader"], ["main_leader"]]
    assert scenario.order(number).colour == "red"
    urges = [t for t in scenario.open_tasks(number) if t.task_name == "urge"]
    assert sorted(t.role for t in urges) == ["clerk", "deputy_leader", "main_leader"]
    for username in ("clerk", "deputy", "leader"):
        assert len(scenario.notifications(username, "repair.escalated")) == 1
    deputy_task = next(t for t in urges if t.role == "deputy_leader")
    scenario.do_task(deputy_task.id, "deputy", action="已电话督促班组长，今天完成")
    worker = scenario.user("worker")
    scenario.do(number, "dispatch", "auditor", team_id=str(scenario.order(number).team_id), worker_id=str(worker.id))
    scenario.do(number, "accept_job", "worker", decision="accept")
    scenario.do(number, "complete_job", "worker", result="fixed")
    scenario.do(number, "rate", "requester", overall="5", quality="5", efficiency="5", attitude="5")
    assert scenario.order(number).status == "closed"
    assert scenario.open_tasks(number) == []  # the close terminates the clerk's and leader's open chases
    scenario.wait(days=20)
    assert len(scenario.outbox(number, "repair.escalated")) == 3
    assert [u.action_note for u in scenario.urgings(number)] == ["已电话督促班组长，今天完成"]


def test_escalation_does_not_fire_for_an_order_closed_in_time(scenario):
    number = scenario.report()
    scenario.do(number, "review", "auditor", decision="accept")
    scenario.do(number, "dispatch", "auditor", team_id=str(scenario.order(number).team_id), worker_id="")
    scenario.do(number, "accept_job", "worker", decision="accept")
    scenario.do(number, "complete_job", "worker", result="fixed")
    scenario.do(number, "rate", "requester", overall="4", quality="4", efficiency="4", attitude="4")
    scenario.wait(days=20)
    assert scenario.outbox(number, "repair.escalated") == []
    assert scenario.order(number).colour == "none"
    assert scenario.instance(number).next_wake_at is None


def test_after_downtime_the_missed_reminders_collapse_into_one(scenario):
    number = scenario.report()
    scenario.traveller.move_to(START + timedelta(hours=5, minutes=30))  # nobody woke the order for 5 hours
    from engine.wakeups import run_once

    run_once(scenario.host)
    assert len(scenario.audit(number, "step.completed")) >= 5  # every missed firing is on the timeline
    assert len(scenario.outbox(number, "repair.review_overdue")) == 1  # but the auditors get one reminder
    assert len(scenario.notifications("auditor", "repair.review_overdue")) == 1


def test_a_bad_rating_s_callback_and_the_follow_up_call_remind_the_auditors_daily_until_made(scenario):
    number, _worker = _taken_job(scenario)
    scenario.do(number, "complete_job", "worker", result="换了阀门")
    scenario.do(number, "rate", "requester", overall="1", quality="1", efficiency="1", attitude="1")
    rated = scenario.now()
    assert scenario.task(number, "callback").due_at - rated == timedelta(hours=24)
    scenario.wait(hours=24 * 2, minutes=30)
    reminders = scenario.outbox(number, "repair.call_overdue")
    assert [round((m.created_at - rated).total_seconds() / 3600, 2) for m in reminders] == [24.0, 48.0]
    assert all(m.recipients["roles"] == ["auditor"] for m in reminders)
    assert len(scenario.notifications("auditor", "repair.call_overdue")) == 2
    scenario.do(number, "callback", "auditor", requester_said="仍然漏水", real_problem="yes")
    scenario.do(number, "rectify", "repair", result="更换整段水管")
    rectified = scenario.now()
    scenario.wait(hours=25)
    assert len(scenario.outbox(number, "repair.call_overdue")) == 3  # the follow-up call's, a day after the fix
    scenario.do(number, "followup", "auditor", requester_said="已回访，不再漏水")
    scenario.wait(days=3)
    after = scenario.outbox(number, "repair.call_overdue")
    assert round((after[-1].created_at - rectified).total_seconds() / 3600, 2) == 24.0 and len(after) == 3


def test_a_returned_order_reminds_the_requester_daily_and_closes_after_a_week_without_the_information(scenario):
    number = scenario.report()
    scenario.do(number, "review", "auditor", decision="return", reason="请说明具体房间号")
    returned = scenario.now()
    assert scenario.task(number, "supplement").due_at - returned == timedelta(days=7)
    scenario.wait(days=3, hours=1)
    reminders = scenario.outbox(number, "repair.supplement_due")
    assert [round((m.created_at - returned).total_seconds() / 86400, 2) for m in reminders] == [1.0, 2.0, 3.0]
    assert reminders[0].payload["note"] == "请说明具体房间号"
    assert len(scenario.notifications("requester", "repair.supplement_due")) == 3
    scenario.wait(days=4)
    order = scenario.order(number)
    assert order.status == "rejected" and round((order.closed_at - returned).total_seconds() / 86400, 2) == 7.0
    assert scenario.instance(number).status == "completed" and scenario.open_tasks(number) == []
    assert len(scenario.notifications("requester", "repair.lapsed")) == 1
    # days 1–6, none on the day it closes: the deadline's timer comes first in the diagram and ends the reminders
    assert len(scenario.outbox(number, "repair.supplement_due")) == 6
    (lapse,) = scenario.audit(number, "order.lapsed")
    assert lapse.details["after"] == "7d"


def test_information_added_in_time_stops_the_reminders_and_the_deadline(scenario):
    number = scenario.report()
    scenario.do(number, "review", "auditor", decision="return", reason="请说明具体房间号")
    scenario.wait(days=1, hours=1)
    scenario.do(number, "supplement", "requester", details="302 室")
    scenario.wait(days=10)
    assert len(scenario.outbox(number, "repair.supplement_due")) == 1
    assert scenario.outbox(number, "repair.lapsed") == [] and scenario.order(number).status != "rejected"
