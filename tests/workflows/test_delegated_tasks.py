"""Delegated tasks: split down two levels, progress rolled up, acceptance blocked by open sub-tasks,
supervision slips to the right people, sending back reopens the right level."""
from __future__ import annotations

from datetime import timedelta

import pytest
from plan_story import assign, report, task
from scenario import START

from engine.db import unit_of_work
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
