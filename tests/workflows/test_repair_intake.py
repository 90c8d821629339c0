"""Review outcomes, a long-waiting order's cost, and reassignment."""
from __future__ import annotations

import time

import pytest
from factories import make_user

from engine import inbox
from engine.assignment import reassign
from engine.db import unit_of_work
from engine.errors import NotAllowed
from workflows.notifications.titles import title
from workflows.people.enums import Role
from workflows.people.models import User
from workflows.people.permissions import TASK_POLICY
from workflows.people.service import actor_for
from workflows.repair import service
from workflows.repair.enums import Channel


def _supplement(scenario, number: str, who: str, details: str) -> None:
    """``who`` adds the missing information: it joins the description and the order is reviewed again."""
    scenario.do(number, "supplement", who, details=details)
    assert details in scenario.order(number).description
    assert [t.task_name for t in scenario.open_tasks(number)] == ["review"]


def test_returned_order_goes_back_to_the_requester_then_to_review_again(scenario):
    number = scenario.report(channel=Channel.portal)
    scenario.do(number, "review", "auditor", decision="return", reason="请说明具体房间号")
    assert scenario.order(number).status == "returned"
    supplement = scenario.task(number, "supplement")
    assert supplement.assignee_id == scenario.user("requester").id
    _supplement(scenario, number, "requester", "302 室卫生间")


def test_an_order_taken_on_the_hotline_and_returned_may_be_completed_by_the_clerk_who_took_it(scenario):
    number = scenario.report(channel=Channel.hotline, entered_by="clerk")
    scenario.do(number, "review", "auditor", decision="return", reason="请问是几号楼")
    supplement = scenario.task(number, "supplement")
    clerk, requester = scenario.user("clerk"), scenario.user("requester")
    assert supplement.assignee_id is None and sorted(supplement.candidate_ids) == sorted([requester.id, clerk.id])
    (told,) = scenario.outbox(number, "repair.returned")
    assert sorted(told.recipients["users"]) == sorted([requester.id, clerk.id])
    worker = scenario.user("worker")
    with unit_of_work(scenario.host.session_factory) as session:
        stranger = make_user(session, username="another_student", password="x", school_id=requester.school_id,
                             roles=[(Role.requester, None)])  # another student: holds the task's role, is no candidate
        for outsider in (worker, stranger):
            actor = actor_for(session, session.get(User, outsider.id))
            assert not TASK_POLICY.rights(actor, supplement).see, f"{outsider.username} may see the task"
            assert supplement.id not in {row.id for row in inbox.may_do_page(session, actor, per_page=100).rows}
        for who in (clerk, requester):
            inbox_rows = inbox.may_do_page(session, actor_for(session, session.get(User, who.id)), per_page=100).rows
            assert supplement.id in {row.id for row in inbox_rows}, f"{who.username} does not see the task"
    _supplement(scenario, number, "clerk", "回电确认：3号楼 302 室")


def test_an_order_entered_by_an_import_or_an_integration_stays_the_requester_s_to_complete(scenario):
    number = scenario.report(channel=Channel.portal, entered_by="admin")
    scenario.do(number, "review", "auditor", decision="return", reason="请说明具体房间号")
    supplement = scenario.task(number, "supplement")
    assert (supplement.assignee_id, supplement.candidate_ids) == (scenario.user("requester").id, [])
    (told,) = scenario.outbox(number, "repair.returned")
    assert told.recipients["users"] == [scenario.user("requester").id]


def test_the_requester_is_told_why_an_order_was_returned_or_rejected(scenario):
    returned, rejected = scenario.report(), scenario.report()
    scenario.do(returned, "review", "auditor", decision="return", reason="请说明具体房间号")
    scenario.do(rejected, "review", "auditor", decision="reject", reason="不属于后勤维修范围")
    for number, kind, reason in ((returned, "repair.returned", "请说明具体房间号"),
                                 (rejected, "repair.rejected", "不属于后勤维修范围")):
        (told,) = [n for n in scenario.notifications("requester", kind) if n.business_key == number]
        assert told.payload["note"] == reason
        assert title(kind, told.payload, number, "zh_CN").endswith(reason)
    assert title("repair.returned", {"order": returned, "note": "请说明具体房间号"}, returned, "zh_CN") == (
        f"工单 {returned} 被退回，请补充信息：请说明具体房间号")
    assert scenario.outbox(returned, "repair.rejected") == [] and scenario.outbox(rejected, "repair.returned") == []


def test_two_intakes_that_draw_the_same_number_at_once_both_get_an_order(scenario, monkeypatch):
    """Orders taken at the same moment count the same orders and draw the same number: the one stored second takes
    the next number instead of failing the intake (it failed the whole request before)."""
    first = scenario.report()
    drawn = iter([first])  # the second intake draws the first's number, as one running alongside it would
    real = service.next_number
    monkeypatch.setattr(service, "next_number", lambda session, school_id: next(drawn, None) or real(session, school_id))
    second = scenario.report()
    assert second == first[:-4] + "0002"
    assert [t.task_name for t in scenario.open_tasks(second)] == ["review"]
    assert scenario.order(second).description == scenario.order(first).description


def test_rejected_order_ends_with_the_reason(scenario):
    number = scenario.report()
    with pytest.raises(AssertionError, match="reason"):
        scenario.do(number, "review", "auditor", decision="reject")  # reason is required when rejecting
    scenario.do(number, "review", "auditor", decision="reject", reason="不属于后勤维修范围")
    order = scenario.order(number)
    assert (order.status, order.reject_reason) == ("rejected", "不属于后勤维修范围")
    assert scenario.instance(number).status == "completed"
    assert scenario.open_tasks(number) == []


def test_team_job_is_taken_by_whoever_accepts_and_the_auditor_may_reassign(scenario):
    number = scenario.report()
    scenario.do(number, "review", "auditor", decision="accept")
    scenario.do(number, "dispatch", "auditor", team_id=str(scenario.order(number).team_id), worker_id="")
    task = scenario.task(number, "accept_job")
    assert task.assignee_id is None and task.role == "worker"
    worker, auditor, requester = scenario.user("worker"), scenario.user("auditor"), scenario.user("requester")
    with unit_of_work(scenario.host.session_factory) as session:
        with pytest.raises(NotAllowed):
            reassign(session, task_id=task.id, actor=actor_for(session, requester), assignee_id=worker.id,
                     policy=TASK_POLICY)
        reassign(session, task_id=task.id, actor=actor_for(session, auditor), assignee_id=worker.id,
                 note="刘师傅熟悉该楼", policy=TASK_POLICY)
    assert scenario.task(number, "accept_job").assignee_id == worker.id
    scenario.do(number, "accept_job", "worker", decision="accept")
    assert scenario.task(number, "complete_job").assignee_id == worker.id
    assert scenario.order(number).worker_id == worker.id
    [event] = scenario.audit(number, "task.reassigned")
    assert event.details["note"] == "刘师傅熟悉该楼"


def _time_to_review(scenario, number) -> float:
    started = time.perf_counter()
    scenario.do(number, "review", "auditor", decision="accept")
    return time.perf_counter() - started


def test_a_month_of_hourly_reminders_leaves_state_and_step_cost_flat(scenario):
    old = scenario.report("旧单")
    scenario.wait(days=30, minutes=1)
    assert len(scenario.outbox(old, "repair.review_overdue")) == 30 * 24
    fresh = scenario.report("新单")
    old_size, fresh_size = len(scenario.instance(old).state), len(scenario.instance(fresh).state)
    assert old_size <= 64 * 1024
    assert old_size <= fresh_size * 1.5
    old_cost = _time_to_review(scenario, old)
    fresh_cost = _time_to_review(scenario, fresh)
    assert old_cost <= max(fresh_cost * 3, 0.2)  # generous: the benchmark measures the ratio precisely


def test_demo_history_writes_the_ended_orders_and_hands_on_the_open_ones(scenario):
    from sqlalchemy import func, select

    from engine.db import unit_of_work
    from workflows.demo_history import seed_history
    from workflows.repair.models import ColourChange, Rating, WorkOrder

    with unit_of_work(scenario.host.session_factory) as session:
        rules = scenario.runtime.rules.book(session, scenario.school_id)
        history = seed_history(session, rules, school_id=scenario.school_id)
        assert seed_history(session, rules, school_id=scenario.school_id).closed == 0
    assert history.until == scenario.now() and 60 <= len(history.open) <= 110
    assert all(not life.done_by(history.until) for life in history.open)
    with unit_of_work(scenario.host.session_factory) as session:
        orders = session.scalar(select(func.count(WorkOrder.id)))
        closed = session.scalar(select(func.count(WorkOrder.id)).where(WorkOrder.status == "closed"))
        first = select(func.count(Rating.id)).where(Rating.round == 0)
        bad = session.scalar(first.where(Rating.is_bad.is_(True)))
        good = session.scalar(first.where(Rating.is_bad.is_(False)))
        colours = dict(session.execute(select(ColourChange.colour, func.count()).group_by(ColourChange.colour)).all())
        latest = session.scalar(select(func.max(WorkOrder.closed_at)))
    assert orders == closed == history.closed > 1800
    assert latest.replace(tzinfo=scenario.now().tzinfo) <= scenario.now()
    assert 0.97 <= good / (good + bad) <= 0.995 and bad >= 5
    assert colours["green"] > colours["yellow"] > colours["red"] > 5
