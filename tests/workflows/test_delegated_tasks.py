"""Delegated tasks: split down two levels, progress rolled up, acceptance blocked by open sub-tasks,
supervision slips to the right people, sending back reopens the right level."""
from __future__ import annotations

from datetime import timedelta

import pytest
from plan_story import assign, report, task
from seeded import START
from sqlalchemy import event

from engine.db import unit_of_work
from tests.statements import statements
from workflows.delegation.figures import drilldown
from workflows.delegation.models import DelegatedTask
from workflows.delegation.readmodel import subtree
from workflows.delegation.service import TaskError


def _progress(scenario, number: str) -> int:
    with unit_of_work(scenario.host.session_factory) as session:
        return subtree(session, session.merge(task(scenario, number))).progress


def test_a_task_split_two_levels_deep_rolls_up_blocks_acceptance_and_reopens_the_right_level(scenario):
    top = assign(scenario, by="leader", to="deputy", title="迎新季宿舍维修专项", deadline=START + timedelta(days=20))
    middle = assign(scenario, by="deputy", to="auditor", title="1号楼排查", deadline=START + timedelta(days=15), parent=top)
    bottom = assign(scenario, by="auditor", to="worker", title="1号楼水龙头更换", deadline=START + timedelta(days=5), parent=middle)
    with pytest.raises(TaskError, match="later than its parent"):
        assign(scenario, by="auditor", to="worker", title="太晚", deadline=START + timedelta(days=16), parent=middle)

    report(scenario, bottom, by="worker", percent=50, note="已换一半")
    assert (_progress(scenario, bottom), _progress(scenario, middle), _progress(scenario, top)) == (50, 50, 50)

    scenario.do(middle, "carry_out", "auditor", summary="排查完毕")  # done, but its sub-task is still open
    scenario.do(middle, "accept", "deputy", decision="accept")
    assert task(scenario, middle).status == "submitted"
    assert [t.task_name for t in scenario.open_tasks(middle)] == ["accept"]  # acceptance refused, asked again
    assert len(scenario.outbox(middle, "delegation.blocked")) == 1

    scenario.advance_to(START + timedelta(days=5, hours=2))  # the bottom task is past its deadline
    slips = scenario.outbox(bottom, "delegation.slip")
    worker, auditor = scenario.user("worker"), scenario.user("auditor")
    assert [(m.payload["colour"], m.recipients["users"]) for m in slips] == [("green", [worker.id]), ("yellow", [auditor.id])]
    assert scenario.outbox(middle, "delegation.slip") == []  # the parent is not late

    scenario.do(bottom, "carry_out", "worker", summary="全部更换")
    scenario.do(bottom, "accept", "auditor", decision="accept")
    assert task(scenario, bottom).status == "closed"
    assert _progress(scenario, middle) == 100

    scenario.do(middle, "accept", "deputy", decision="send_back", reasons="缺少排查清单")
    assert task(scenario, middle).status == "sent_back"
    assert [(t.task_name, t.assignee_id) for t in scenario.open_tasks(middle)] == [("carry_out", auditor.id)]
    assert scenario.open_tasks(bottom) == [] and task(scenario, bottom).status == "closed"
    assert [t.task_name for t in scenario.open_tasks(top)] == ["carry_out"]  # the top level is untouched
    assert scenario.outbox(middle, "delegation.sent_back")[0].payload["reasons"] == "缺少排查清单"

    scenario.do(middle, "carry_out", "auditor", summary="补充了排查清单")
    scenario.do(middle, "accept", "deputy", decision="accept")
    scenario.do(top, "carry_out", "deputy", summary="专项完成")
    scenario.do(top, "accept", "leader", decision="accept")
    assert [task(scenario, n).status for n in (top, middle, bottom)] == ["closed"] * 3
    assert scenario.instance(top).status == "completed"


def test_a_report_is_asked_for_when_none_came_in_the_rule_interval(scenario):
    number = assign(scenario, by="leader", to="deputy", title="食堂卫生整治", deadline=START + timedelta(days=30))
    scenario.wait(days=7, hours=1)
    assert len(scenario.outbox(number, "delegation.report_due")) == 1
    report(scenario, number, by="deputy", percent=30)
    scenario.wait(days=7)  # the next tick comes a few hours after the report: not due yet
    assert len(scenario.outbox(number, "delegation.report_due")) == 1
    scenario.wait(days=7)
    assert len(scenario.outbox(number, "delegation.report_due")) == 2
    with pytest.raises(TaskError, match="only the assignee"):
        report(scenario, number, by="worker", percent=40)


def _assign_to_company(scenario, title: str) -> str:
    from sqlalchemy import select

    from workflows.delegation import service as delegation
    from workflows.people.models import OrgUnit, User

    with unit_of_work(scenario.host.session_factory) as session:
        unit = session.scalar(select(OrgUnit.id).where(OrgUnit.school_id == scenario.school_id, OrgUnit.parent_id.is_(None)))
        leader = session.scalar(select(User).where(User.username == "leader"))
        entry = delegation.Assignment(title=title, deadline=START + timedelta(days=30), unit_id=unit)
        return delegation.assign(session, scenario.host, school_id=scenario.school_id, assigner=leader, entry=entry).number


def _take(scenario, number: str, username: str) -> None:
    from sqlalchemy import select

    from workflows.delegation import service as delegation
    from workflows.delegation.models import DelegatedTask
    from workflows.people.models import User
    from workflows.people.service import actor_for

    with unit_of_work(scenario.host.session_factory) as session:
        user = session.scalar(select(User).where(User.username == username))
        delegated = session.scalar(select(DelegatedTask).where(DelegatedTask.number == number))
        delegation.take(session, task=delegated, actor=actor_for(session, user))


def test_a_task_assigned_to_a_unit_is_taken_by_a_holder_of_the_unit_role_who_then_reports_and_splits(scenario):
    from engine.errors import NotAllowed

    number = _assign_to_company(scenario, "校园绿化整治")
    (step,) = scenario.open_tasks(number)
    assert (step.task_name, step.role, step.assignee_id) == ("carry_out", "deputy_leader", None)
    with pytest.raises(TaskError, match="only the assignee"):
        report(scenario, number, by="deputy", percent=10)
    with pytest.raises(NotAllowed):
        _take(scenario, number, "worker")  # not a deputy leader of the unit

    _take(scenario, number, "deputy")
    deputy = scenario.user("deputy")
    assert task(scenario, number).assignee_id == deputy.id
    assert scenario.open_tasks(number)[0].assignee_id == deputy.id
    (changed,) = scenario.audit(number, "delegation.holder_changed")
    assert changed.details == {"before": {"assignee_id": None}, "after": {"assignee_id": deputy.id}}
    with pytest.raises(TaskError, match="not waiting"):
        _take(scenario, number, "leader")

    report(scenario, number, by="deputy", percent=20, note="已分片")
    child = assign(scenario, by="deputy", to="worker", title="东区草坪", deadline=START + timedelta(days=10), parent=number)
    assert task(scenario, child).parent_id == task(scenario, number).id
    scenario.wait(days=7, hours=1)  # the report reminder goes to the one who took it, not to the unit role
    (asked,) = scenario.outbox(number, "delegation.report_due")
    assert asked.recipients["users"] == [deputy.id] and asked.recipients["roles"] == []


def test_a_person_assigned_task_shows_no_role_on_its_steps(scenario):
    number = assign(scenario, by="leader", to="worker", title="更换路灯", deadline=START + timedelta(days=10))
    (step,) = scenario.open_tasks(number)
    assert (step.role, step.assignee_id) == (None, scenario.user("worker").id)
    scenario.do(number, "carry_out", "worker", summary="已更换")
    (acceptance,) = scenario.open_tasks(number)
    assert (acceptance.task_name, acceptance.role, acceptance.assignee_id) == ("accept", None, scenario.user("leader").id)


def test_a_figures_list_reads_its_tasks_and_their_sub_tasks_only_in_three_statements(scenario):
    """The overdue list shows the overdue tasks with their progress rolled up from below: it reads those tasks and
    the sub-tasks below them, never their parents nor the school's other trees, in as many statements however many
    tasks it lists."""
    top = assign(scenario, by="leader", to="deputy", title="迎新季宿舍维修专项", deadline=START + timedelta(days=20))
    middle = assign(scenario, by="deputy", to="auditor", title="1号楼排查", deadline=START + timedelta(days=15), parent=top)
    bottom = assign(scenario, by="auditor", to="worker", title="1号楼水龙头更换", deadline=START + timedelta(days=5), parent=middle)
    other = assign(scenario, by="leader", to="deputy", title="食堂消防检查", deadline=START + timedelta(days=30))
    canteen = assign(scenario, by="deputy", to="auditor", title="二食堂灭火器", deadline=START + timedelta(days=25), parent=other)
    report(scenario, bottom, by="worker", percent=20, note="开始更换")
    report(scenario, bottom, by="worker", percent=50, note="已换一半")
    period = {"start": START, "end": START + timedelta(days=30)}

    def listed(key: str, at):
        read: set[str] = set()
        with unit_of_work(scenario.host.session_factory) as session, statements(scenario.runtime.db_engine) as sent:
            event.listen(session, "loaded_as_persistent",
                         lambda _s, row: read.add(row.number) if isinstance(row, DelegatedTask) else None)
            nodes = drilldown(session, school_id=scenario.school_id, key=key, at=at, **period)
            shown = [(n.task.number, n.progress, [c.task.number for c in n.children],
                      n.last_report.note if n.last_report else None) for n in nodes]
        return shown, read, len([s for s in sent if not s.startswith("BEGIN")])  # SQLite's own, for the unit of work

    shown, read, sent = listed("delegated_overdue", START + timedelta(days=16))
    assert shown == [(bottom, 50, [], "已换一半"), (middle, 50, [bottom], None)]
    assert read == {middle, bottom} and sent == 3
    everything, read, sent = listed("delegated_open", START + timedelta(days=16))
    assert [number for number, *_ in everything] == [bottom, middle, top, canteen, other]
    assert read == {top, middle, bottom, other, canteen} and sent == 3
