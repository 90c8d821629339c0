"""Three-colour chasing: the clock runs from acceptance to the job's completion, whoever is told of a colour does
the chase, and a rectification round is chased by its own deadline."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from engine import inbox
from engine.db import unit_of_work
from workflows.catalogue.models import CatalogueItem
from workflows.notifications.models import Notification
from workflows.notifications.preferences import is_urgent
from workflows.notifications.titles import title
from workflows.people.models import User
from workflows.people.service import actor_for


def _accepted(scenario) -> str:
    number = scenario.report()
    scenario.do(number, "review", "auditor", decision="accept")
    return number


def _dispatched(scenario, number: str) -> None:
    scenario.do(number, "dispatch", "auditor", team_id=str(scenario.order(number).team_id),
                worker_id=str(scenario.user("worker").id))
    scenario.do(number, "accept_job", "worker", decision="accept")


def _chases(scenario, number: str) -> list:
    return [t for t in scenario.open_tasks(number) if t.task_name == "urge"]


def _told(scenario, number: str, colour: str) -> list[str]:
    """Usernames of everyone the colour's message reached (the bell)."""
    message = next(m for m in scenario.outbox(number, "repair.escalated") if m.payload["colour"] == colour)
    with unit_of_work(scenario.host.session_factory) as session:
        ids = session.scalars(select(Notification.user_id).where(Notification.outbox_id == message.id))
        return sorted(session.scalars(select(User.username).where(User.id.in_(list(ids)))))


def _in_inbox(scenario, username: str, task_id: str) -> bool:
    with unit_of_work(scenario.host.session_factory) as session:
        actor = actor_for(session, session.scalar(select(User).where(User.username == username)))
        page = inbox.may_do_page(session, actor, process_key="repair", per_page=100)
        return task_id in {row.id for row in page.rows}


def test_each_colour_is_chased_by_the_people_told_of_it(scenario):
    """The demo's clerk holds the role in the service hall, not above the repair unit: told of green, they must find
    the chase in their inbox and complete it; so for the deputy leader (yellow) and main leader (red)."""
    number = _accepted(scenario)
    scenario.wait(days=15, hours=1)
    chases = {t.role: t for t in _chases(scenario, number)}
    assert set(chases) == {"clerk", "deputy_leader", "main_leader"}
    for colour, role, note in (("green", "clerk", "已电话联系维修班组"), ("yellow", "deputy_leader", "已督促班组长"),
                               ("red", "main_leader", "责成公司经理今日办结")):
        told = _told(scenario, number, colour)
        assert told, f"nobody was told the order turned {colour}"
        for username in told:
            assert _in_inbox(scenario, username, chases[role].id), f"{username} was told of {colour} but cannot see its chase"
        scenario.do_task(chases[role].id, told[0], action=note)
    assert _chases(scenario, number) == []
    assert sorted(u.action_note for u in scenario.urgings(number)) == sorted(
        ["已电话联系维修班组", "已督促班组长", "责成公司经理今日办结"])


def test_the_worker_is_told_of_a_chase_in_the_chaser_s_words(scenario):
    number = _accepted(scenario)
    _dispatched(scenario, number)
    scenario.wait(days=3, hours=1)
    (chase,) = _chases(scenario, number)
    scenario.do_task(chase.id, "clerk", action="请今天下午到 302 室处理")
    (told,) = [n for n in scenario.notifications("worker", "repair.urged") if n.business_key == number]
    assert (told.payload["colour"], told.payload["note"]) == ("green", "请今天下午到 302 室处理")
    assert title("repair.urged", told.payload, number, "zh_CN") == f"工单 {number}（绿色）被催办：请今天下午到 302 室处理"
    assert not is_urgent("repair.urged", told.payload) and is_urgent("repair.urged", {**told.payload, "colour": "red"})


def test_a_chase_before_dispatch_tells_the_order_s_team(scenario):
    number = _accepted(scenario)
    team_id = scenario.order(number).team_id
    scenario.wait(days=3, hours=1)
    (chase,) = _chases(scenario, number)
    scenario.do_task(chase.id, "clerk", action="已催维修班组派工")
    (message,) = scenario.outbox(number, "repair.urged")
    assert message.recipients == {"roles": ["worker"], "users": [], "org_unit_id": team_id}
    assert [n.business_key for n in scenario.notifications("worker", "repair.urged")] == [number]


def test_a_chase_of_an_order_with_no_team_tells_the_auditors_who_dispatch_it_not_every_worker(scenario):
    with unit_of_work(scenario.host.session_factory) as session:
        item = session.scalar(select(CatalogueItem).where(CatalogueItem.code == "W01"))
        item.default_team_id = None
    number = _accepted(scenario)
    assert scenario.order(number).team_id is None
    scenario.wait(days=3, hours=1)
    (chase,) = _chases(scenario, number)
    scenario.do_task(chase.id, "clerk", action="请尽快派工")
    (message,) = scenario.outbox(number, "repair.urged")
    assert message.recipients == {"roles": ["auditor"], "users": [], "org_unit_id": scenario.order(number).unit_id}
    assert scenario.notifications("worker", "repair.urged") == []
    assert [n.business_key for n in scenario.notifications("auditor", "repair.urged")] == [number]


def test_a_chaser_set_by_the_rules_is_told_and_can_chase(scenario):
    """The rules name the repair centre for green: it is told, sees the chase and completes it."""
    store = scenario.runtime.rules
    with unit_of_work(scenario.host.session_factory) as session:
        store.save(session, school_id=scenario.school_id, content={"school": {"repair.escalation.green.role": "repair_centre"}},
                   author="admin", comment="维修中心负责绿色催办")
    number = _accepted(scenario)
    scenario.wait(days=3, hours=1)
    (chase,) = _chases(scenario, number)
    assert chase.role == "repair_centre"
    told = _told(scenario, number, "green")
    assert told == ["repair"]
    assert _in_inbox(scenario, "repair", chase.id) and not _in_inbox(scenario, "clerk", chase.id)
    scenario.do_task(chase.id, "repair", action="已派人到现场")
    assert _chases(scenario, number) == []


def test_an_order_repaired_in_an_hour_is_never_coloured_while_it_waits_for_a_rating(scenario):
    number = _accepted(scenario)
    _dispatched(scenario, number)
    scenario.wait(hours=1)
    scenario.do(number, "complete_job", "worker", result="换了阀门")
    scenario.wait(days=20)  # never rated: default-good after seven days closes it
    assert scenario.outbox(number, "repair.escalated") == []
    assert scenario.order(number).colour == "none" and scenario.order(number).status == "closed"
    assert scenario.urgings(number) == []


def test_completing_the_job_ends_open_chases_and_stops_the_clock(scenario):
    number = _accepted(scenario)
    _dispatched(scenario, number)
    scenario.wait(days=4)
    assert scenario.order(number).colour == "green" and len(_chases(scenario, number)) == 1
    scenario.do(number, "complete_job", "worker", result="更换水管")
    assert _chases(scenario, number) == []  # nothing left to chase: the clerk's task ends with the job
    assert [t.task_name for t in scenario.open_tasks(number)] == ["rate"]
    scenario.wait(days=5)  # seven days after acceptance, but the job is done: no yellow
    assert [m.payload["colour"] for m in scenario.outbox(number, "repair.escalated")] == ["green"]
    assert scenario.order(number).colour == "green"  # solved green stays on record


def test_a_declined_job_goes_back_to_dispatch_with_the_clock_running(scenario):
    number = _accepted(scenario)
    scenario.do(number, "dispatch", "auditor", team_id=str(scenario.order(number).team_id),
                worker_id=str(scenario.user("worker").id))
    scenario.do(number, "accept_job", "worker", decision="decline", reason="不在本班组范围")
    scenario.wait(days=3, hours=1)
    assert scenario.order(number).colour == "green"
    assert sorted(t.task_name for t in scenario.open_tasks(number)) == ["dispatch", "urge"]


def test_a_rectification_round_is_chased_by_its_own_deadline(scenario):
    number = _accepted(scenario)
    _dispatched(scenario, number)
    scenario.do(number, "complete_job", "worker", result="换了阀门")
    scenario.do(number, "rate", "requester", overall="1", quality="1", efficiency="1", attitude="1")
    scenario.do(number, "callback", "auditor", requester_said="仍然漏水", real_problem="yes")
    asked = scenario.now()
    rectify = scenario.task(number, "rectify")
    assert rectify.due_at is not None and rectify.due_at - asked == timedelta(days=2)
    scenario.wait(days=3, hours=1)
    chased = scenario.outbox(number, "repair.rectification_overdue")
    assert [round((m.created_at - asked).total_seconds() / 86400, 2) for m in chased] == [2.0, 3.0]
    assert chased[0].recipients["roles"] == ["repair_centre", "deputy_leader"]
    assert scenario.notifications("repair", "repair.rectification_overdue")
    assert scenario.notifications("deputy", "repair.rectification_overdue")
    assert scenario.outbox(number, "repair.escalated") == []  # the rectification is not on the three-colour clock
    scenario.do(number, "rectify", "repair", result="更换整段水管")
    scenario.wait(days=3)
    assert len(scenario.outbox(number, "repair.rectification_overdue")) == 2


def test_a_rectification_counted_in_working_days_is_due_and_judged_by_the_same_deadline(scenario):
    """Asked for on a Friday with "2 working days": the task and the round's recorded deadline both fall on Tuesday."""
    from datetime import UTC, datetime

    from workflows.repair.models import Rectification

    with unit_of_work(scenario.host.session_factory) as session:
        scenario.runtime.rules.save(session, school_id=scenario.school_id, author="admin", comment="整改按工作日计",
                                    content={"school": {}, "working_days": ["repair.rectification.due_after"]})
    scenario.advance_to(datetime(2026, 11, 20, 2, 0, tzinfo=UTC))  # Friday 10:00 in Beijing
    number = _accepted(scenario)
    _dispatched(scenario, number)
    scenario.do(number, "complete_job", "worker", result="换了阀门")
    scenario.do(number, "rate", "requester", overall="1", quality="1", efficiency="1", attitude="1")
    scenario.do(number, "callback", "auditor", requester_said="仍然漏水", real_problem="yes")
    due = scenario.task(number, "rectify").due_at
    assert due.weekday() == 1  # Tuesday: the weekend is not counted
    scenario.do(number, "rectify", "repair", result="更换整段水管")
    with unit_of_work(scenario.host.session_factory) as session:
        assert session.scalar(select(Rectification.due_at).where(Rectification.order_id == scenario.order(number).id)) == due
