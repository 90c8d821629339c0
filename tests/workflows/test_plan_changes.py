"""Editing, deactivating and reactivating a plan: what was generated keeps what it had, later occurrences
follow the change, an inactive plan generates nothing, and cancelling open occurrences ends their processes."""
from __future__ import annotations

from datetime import date

import pytest
from plan_story import add_plan, occurrences
from sqlalchemy import select

from engine.db import unit_of_work
from engine.models import AuditEvent
from workflows.people.models import User
from workflows.people.service import actor_for
from workflows.plans import changes
from workflows.plans.models import WorkPlan
from workflows.plans.service import PlanError, PlanInput


def _edit(scenario, plan_id: int, **fields) -> dict:
    with unit_of_work(scenario.host.session_factory) as session:
        plan = session.get(WorkPlan, plan_id)
        values = {name: getattr(plan, name) for name in changes.EDITABLE_FIELDS}
        return changes.edit_plan(session, scenario.runtime.rules, plan=plan, entry=PlanInput(**{**values, **fields}),
                                 by=session.scalar(select(User).where(User.username == "supervisor")))


def _deactivate(scenario, plan_id: int, **options) -> list[str]:
    with unit_of_work(scenario.host.session_factory) as session:
        supervisor = session.scalar(select(User).where(User.username == "supervisor"))
        return changes.deactivate(session, scenario.host, plan=session.get(WorkPlan, plan_id), by=supervisor,
                                  actor=actor_for(session, supervisor), **options)


def _plan_audit(scenario, action: str) -> list[AuditEvent]:
    with unit_of_work(scenario.host.session_factory) as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def test_an_edit_shapes_only_the_occurrences_generated_after_it(scenario):
    plan_id = add_plan(scenario, starts_on=date(2026, 12, 1))
    scenario.advance_to(scenario.now().replace(year=2027, month=1, day=3))
    assert [o.occurs_on for o in occurrences(scenario, plan_id)] == [date(2026, 12, 1), date(2027, 1, 1)]

    changed = _edit(scenario, plan_id, title="消防器材月检（新）", checklist=["灭火器压力"], starts_on=date(2026, 12, 15))
    assert set(changed) == {"title", "checklist", "starts_on"}
    (edited,) = _plan_audit(scenario, "plan.edited")
    assert edited.details["before"] == {"title": "消防器材月检", "checklist": ["灭火器压力", "消防栓水带"], "starts_on": "2026-12-01"}
    assert edited.details["after"]["starts_on"] == "2026-12-15" and edited.details["recurs_from"] == "2027-01-03"
    assert edited.actor.startswith("supervisor#")

    scenario.advance_to(scenario.now().replace(month=3, day=20))
    found = occurrences(scenario, plan_id)
    # the old dates stay; the new series starts from the edit day, never filling 2026-12-15 in behind it
    assert [o.occurs_on for o in found] == [date(2026, 12, 1), date(2027, 1, 1), date(2027, 1, 15), date(2027, 2, 15),
                                            date(2027, 3, 15)]
    titles = [scenario.outbox(o.number, "plans.reminder")[0].payload["title"] for o in found]
    assert titles == ["消防器材月检", "消防器材月检", "消防器材月检（新）", "消防器材月检（新）", "消防器材月检（新）"]
    assert _edit(scenario, plan_id, title="消防器材月检（新）") == {}  # saving unchanged values changes nothing
    assert len(_plan_audit(scenario, "plan.edited")) == 1


def test_an_edit_is_checked_like_a_new_plan(scenario):
    plan_id = add_plan(scenario, starts_on=date(2026, 12, 1))
    with pytest.raises(PlanError) as refused:
        _edit(scenario, plan_id, duration_days=0)
    assert refused.value.field == "duration_days"


def test_an_inactive_plan_generates_nothing_and_cancelling_its_open_occurrences_ends_their_processes(scenario):
    plan_id = add_plan(scenario, title="设备维护保养", recurrence="weekly", starts_on=date(2026, 11, 18))
    scenario.wait(days=1)
    (first,) = occurrences(scenario, plan_id)
    assert scenario.open_tasks(first.number)
    with pytest.raises(PlanError) as refused:
        _deactivate(scenario, plan_id, cancel_open=True, reason=" ")
    assert refused.value.field == "reason"

    assert _deactivate(scenario, plan_id, cancel_open=True, reason="设备已报废") == [first.number]
    (cancelled,) = occurrences(scenario, plan_id)
    assert cancelled.status == "cancelled" and scenario.open_tasks(first.number) == []
    assert scenario.instance(first.number).status == "terminated"
    assert scenario.audit(first.number, "instance.terminated")[0].details["reason"] == "设备已报废"
    (deactivated,) = _plan_audit(scenario, "plan.deactivated")
    assert deactivated.details["cancelled"] == [first.number] and deactivated.details["after"] == {"active": False}

    scenario.wait(days=21)
    assert len(occurrences(scenario, plan_id)) == 1  # nothing while inactive
    with unit_of_work(scenario.host.session_factory) as session:
        supervisor = session.scalar(select(User).where(User.username == "supervisor"))
        changes.reactivate(session, scenario.runtime.rules, plan=session.get(WorkPlan, plan_id), by=supervisor)
    reactivated_on = scenario.now().date()
    scenario.wait(days=14)
    later = [o.occurs_on for o in occurrences(scenario, plan_id)][1:]
    assert later and all(day >= reactivated_on for day in later)  # the inactive weeks are not filled in
    assert [(d - date(2026, 11, 18)).days % 7 for d in later] == [0] * len(later)
    assert len(_plan_audit(scenario, "plan.reactivated")) == 1


def test_deactivating_without_cancelling_lets_open_occurrences_run(scenario):
    plan_id = add_plan(scenario, title="外墙清洗", recurrence="weekly", starts_on=date(2026, 11, 18))
    scenario.wait(days=1)
    assert _deactivate(scenario, plan_id) == []
    (occurrence,) = occurrences(scenario, plan_id)
    scenario.do(occurrence.number, "execute", "worker", checklist_done=True)
    scenario.do(occurrence.number, "review", "supervisor", score="90", passed="yes")
    assert occurrences(scenario, plan_id)[0].status == "closed"
    scenario.wait(days=14)
    assert len(occurrences(scenario, plan_id)) == 1
