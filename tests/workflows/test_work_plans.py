"""Work plans: occurrences generated one instance each, reminded in advance, evaluated, rectified, escalated."""
from __future__ import annotations

from datetime import date, timedelta

from plan_story import add_plan, occurrences
from seeded import START

from engine.db import unit_of_work
from workflows.plans.service import generate_occurrences


def _walk(scenario, until, step=timedelta(days=2)):
    """Move time in steps no longer than the generation look-ahead minus the reminder lead."""
    while scenario.now() < until:
        scenario.advance_to(min(until, scenario.now() + step))


def test_a_monthly_plan_makes_twelve_occurrences_a_year_each_reminded_once_in_advance(scenario):
    plan_id = add_plan(scenario, starts_on=date(2026, 12, 1), until=date(2027, 11, 30))
    _walk(scenario, START + timedelta(days=420))
    found = occurrences(scenario, plan_id)
    assert [o.occurs_on for o in found] == [date(2026, 12, 1)] + [date(2027, m, 1) for m in range(1, 12)]
    assert len({o.instance_id for o in found}) == 12  # one process instance per occurrence
    reminders = [m for o in found for m in scenario.outbox(o.number, "plans.reminder")]
    assert len(reminders) == 12
    for occurrence in found:
        (reminder,) = scenario.outbox(occurrence.number, "plans.reminder")
        assert abs((occurrence.starts_at - reminder.created_at) - timedelta(days=3)) < timedelta(minutes=1)
    with unit_of_work(scenario.host.session_factory) as session:  # a second run (another worker, a retry) adds nothing
        assert generate_occurrences(session, scenario.host, scenario.runtime.rules) == 0
    assert len(occurrences(scenario, plan_id)) == 12


def test_a_failed_evaluation_runs_rectification_then_closes(scenario):
    plan_id = add_plan(scenario, title="外墙清洗", recurrence="once", starts_on=date(2026, 11, 20),
                       evidence=["meter_readings"])
    scenario.wait(days=1)
    (occurrence,) = occurrences(scenario, plan_id)
    number = occurrence.number
    assert [t.task_name for t in scenario.open_tasks(number)] == ["execute"]
    scenario.do(number, "execute", "worker", checklist_done=True, note="已清洗")  # no meter readings: refused
    assert len(scenario.outbox(number, "plans.evidence_missing")) == 1
    assert [t.task_name for t in scenario.open_tasks(number)] == ["execute"]
    scenario.do(number, "execute", "worker", checklist_done=True, note="已清洗", meter_readings="水表 1234")
    scenario.do(number, "review", "supervisor", score="55", passed="no", comment="北侧墙面仍有污渍")
    assert occurrences(scenario, plan_id)[0].status == "rectifying"
    assert scenario.outbox(number, "plans.review_failed")[0].payload["comment"] == "北侧墙面仍有污渍"
    scenario.do(number, "rectify", "worker", note="北侧重新清洗")
    scenario.do(number, "review", "supervisor", score="90", passed="yes")
    (closed,) = occurrences(scenario, plan_id)
    assert (closed.status, closed.score, closed.passed, closed.rectification_rounds) == ("closed", 90, True, 1)
    assert scenario.open_tasks(number) == []
    assert scenario.instance(number).status == "completed"
    assert [e.action for e in scenario.audit(number, "plan.reviewed")] == ["plan.reviewed", "plan.reviewed"]


def test_an_overdue_occurrence_escalates_once_per_colour(scenario):
    plan_id = add_plan(scenario, title="设备维护保养", recurrence="once", starts_on=date(2026, 11, 18))
    scenario.wait(days=1)
    (occurrence,) = occurrences(scenario, plan_id)
    scenario.advance_to(occurrence.due_at + timedelta(days=30))
    escalations = scenario.outbox(occurrence.number, "plans.escalated")
    assert [(m.payload["colour"], round((m.created_at - occurrence.due_at).total_seconds() / 86400, 2)) for m in escalations] == [
        ("green", 1.0), ("yellow", 3.0), ("red", 7.0)]
    assert [m.recipients["roles"] for m in escalations] == [["supervisor"], ["deputy_leader"], ["main_leader"]]
    assert occurrences(scenario, plan_id)[0].colour == "red"
    assert len(scenario.notifications("deputy", "plans.escalated")) == 1
    scenario.do(occurrence.number, "execute", "worker", checklist_done=True)
    scenario.do(occurrence.number, "review", "supervisor", score="80", passed="yes")
    scenario.wait(days=30)
    assert len(scenario.outbox(occurrence.number, "plans.escalated")) == 3


def test_the_demo_plans_and_task_tree(scenario):
    from sqlalchemy import select

    from workflows.delegation.models import DelegatedTask
    from workflows.demo_plans import seed_plans
    from workflows.plans.models import PlanOccurrence, WorkPlan

    with unit_of_work(scenario.host.session_factory) as session:
        assert seed_plans(session, scenario.host, scenario.runtime.rules, school_id=scenario.school_id)
        assert not seed_plans(session, scenario.host, scenario.runtime.rules, school_id=scenario.school_id)
        titles = set(session.scalars(select(WorkPlan.title)))
        started = set(session.scalars(select(WorkPlan.title).join(PlanOccurrence)))
        tasks = list(session.scalars(select(DelegatedTask).order_by(DelegatedTask.id)))
    assert titles == {"外墙清洗", "夏季灭蚊", "消防器材月检", "设备维护保养", "教学楼公共区域保洁周检"}
    assert {"消防器材月检", "设备维护保养"} <= started  # this month's check and this week's maintenance
    assert [t.parent_id for t in tasks] == [None, tasks[0].id]
