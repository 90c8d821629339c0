"""Complaints: the first-response reminder counted in working hours, a complainant not satisfied reopens the
handling once and then reaches the leader, the complained-about unit never learns who complained, and bad input
changes nothing."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from complaint_story import company_id, complain, complaint
from sqlalchemy import select

from engine.db import unit_of_work
from engine.errors import TaskNotReady
from workflows.complaints import module as complaint_module
from workflows.complaints import service as complaint_service
from workflows.complaints.identity import may_view
from workflows.complaints.models import Complaint
from workflows.complaints.service import ComplaintError
from workflows.demo import create_school
from workflows.modules import timeline
from workflows.people.models import User
from workflows.people.service import create_user

FRIDAY_AFTERNOON = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)  # Friday 16:30 in Beijing, an hour before closing


def _count_first_response_in_working_time(scenario) -> None:
    with unit_of_work(scenario.host.session_factory) as session:
        scenario.runtime.rules.save(session, school_id=scenario.school_id, author="admin", comment="办公时间计",
                                    content={"school": {}, "working_days": ["complaints.first_response.after"]})


def test_the_first_response_reminder_fires_at_the_rule_time_counted_in_working_hours(scenario):
    _count_first_response_in_working_time(scenario)
    scenario.advance_to(FRIDAY_AFTERNOON - timedelta(minutes=30))
    number = complain(scenario)
    assert len(scenario.outbox(number, "complaints.to_triage")) == 1
    scenario.advance_to(FRIDAY_AFTERNOON)
    scenario.do(number, "triage", "supervisor", decision="valid", unit_id=str(company_id(scenario)))
    due = datetime(2026, 11, 23, 3, 30, tzinfo=UTC)  # 4 working hours: 1 on Friday, 3 from Monday 08:30 → 11:30 Beijing
    assert complaint(scenario, number).first_response_due == due
    assert scenario.task(number, "respond").org_unit_id == company_id(scenario)

    scenario.advance_to(due - timedelta(minutes=1))  # the whole weekend passes: not yet
    assert scenario.outbox(number, "complaints.response_overdue") == []
    scenario.advance_to(due + timedelta(seconds=2))
    reminders = scenario.outbox(number, "complaints.response_overdue")
    assert len(reminders) == 1 and reminders[0].created_at == due + timedelta(seconds=1)  # woken at due + 1 s
    scenario.advance_to(due + timedelta(hours=2, seconds=2))  # then every two hours until answered
    assert len(scenario.outbox(number, "complaints.response_overdue")) == 2

    scenario.do(number, "respond", "deputy", note="已约谈当事人")
    scenario.wait(hours=6)
    assert len(scenario.outbox(number, "complaints.response_overdue")) == 2
    record = complaint(scenario, number)
    assert record.first_response_at is not None and record.first_response_at > record.first_response_due


def test_an_untriaged_complaint_reminds_the_office_every_two_hours_until_triaged(scenario):
    number = complain(scenario)
    filed = scenario.now()
    scenario.wait(hours=4, minutes=30)
    reminders = scenario.outbox(number, "complaints.triage_overdue")
    assert [round((m.created_at - filed).total_seconds() / 3600, 2) for m in reminders] == [2.0, 4.0]
    assert reminders[0].recipients["roles"] == ["supervisor"] and scenario.notifications("supervisor", "complaints.triage_overdue")
    assert scenario.task(number, "triage").due_at == filed + timedelta(hours=2)
    scenario.do(number, "triage", "supervisor", decision="valid", unit_id=str(company_id(scenario)))
    scenario.wait(hours=6)
    assert len(scenario.outbox(number, "complaints.triage_overdue")) == 2


def test_an_unsatisfied_complainant_reopens_the_handling_once_then_the_leader_decides(scenario):
    number = complain(scenario, urgent=True)
    scenario.do(number, "triage", "supervisor", decision="valid", unit_id=str(company_id(scenario)), urgent="y")
    record = complaint(scenario, number)
    assert record.resolution_due - record.created_at == timedelta(days=1)  # urgent: the shorter rule
    scenario.do(number, "respond", "deputy", note="已了解")
    scenario.do(number, "reply_task", "deputy", reply="已批评教育当事人")
    assert complaint(scenario, number).status == "replied"
    assert len(scenario.outbox(number, "complaints.replied")) == 1

    scenario.do(number, "satisfaction_task", "requester", verdict="not_satisfied", comment="仍然如此")
    assert complaint(scenario, number).rounds == 1
    assert [t.task_name for t in scenario.open_tasks(number)] == ["reply_task"]  # no second first response
    scenario.do(number, "reply_task", "deputy", reply="已调岗")
    scenario.do(number, "satisfaction_task", "requester", verdict="not_satisfied", comment="还是不满意")
    record = complaint(scenario, number)
    assert (record.status, record.rounds) == ("leader", 1)
    assert [t.task_name for t in scenario.open_tasks(number)] == ["leader_task"]

    scenario.do(number, "leader_task", "leader", decision="close", note="已妥善处理，办结")
    record = complaint(scenario, number)
    assert (record.status, record.satisfied) == ("closed", False)
    assert scenario.instance(number).status == "completed"


def test_the_unit_complained_about_never_sees_who_complained(scenario):
    number = complain(scenario)
    scenario.do(number, "triage", "supervisor", decision="valid", unit_id=str(company_id(scenario)))
    scenario.do(number, "respond", "deputy", note="已了解")
    scenario.do(number, "reply_task", "deputy", reply="已处理")
    scenario.do(number, "satisfaction_task", "requester", verdict="satisfied")
    module = complaint_module.MODULE
    with unit_of_work(scenario.host.session_factory) as session:
        deputy, office = (session.scalar(select(User).where(User.username == u)) for u in ("deputy", "supervisor"))
        seen = module.panel(session, user=deputy, rules=scenario.runtime.rules, school_id=scenario.school_id, key=number,
                            locale="en")
        shown = module.panel(session, user=office, rules=scenario.runtime.rules, school_id=scenario.school_id, key=number,
                             locale="en")
        api = module.resource(session, user=deputy, rules=scenario.runtime.rules, school_id=scenario.school_id, key=number,
                              locale="en")
        lines = timeline.business_dicts(session, module, school_id=scenario.school_id, key=number, locale="en")
    name = scenario.user("requester").display_name
    assert name not in repr(seen) and "13800000001" not in repr(seen)
    assert name not in repr(api) and api["complainant"] is None and api["complainant_hidden"]
    assert name not in repr(lines)
    assert name in repr(shown) and "13800000001" in repr(shown)


def test_bad_input_is_refused_and_changes_nothing(scenario):
    with unit_of_work(scenario.host.session_factory) as session:
        other = create_school(session, code="other", name="另一所学校")
        stranger = create_user(session, username="stranger", password="x" * 12, display_name="外校人员",
                               school_id=other.school_id).id
    with pytest.raises(ComplaintError) as refused:
        complain(scenario, target_person_id=stranger)
    assert refused.value.field == "target_person_id"
    with pytest.raises(ComplaintError) as refused:
        complain(scenario, target_unit_id=other.company_id)
    assert refused.value.field == "target_unit_id"
    with unit_of_work(scenario.host.session_factory) as session:
        assert session.scalar(select(Complaint.id)) is None

    number = complain(scenario)
    scenario.do(number, "triage", "supervisor", decision="valid", unit_id=str(company_id(scenario)))
    scenario.do(number, "respond", "deputy", note="已了解")
    late = scenario.task(number, "reply_task").id
    scenario.do_task(late, "deputy", reply="已处理")
    scenario.do(number, "satisfaction_task", "requester", verdict="satisfied")
    assert complaint(scenario, number).status == "closed"
    with pytest.raises(TaskNotReady):  # a reply after close
        scenario.do_task(late, "deputy", reply="迟到的第二次答复")
    assert complaint(scenario, number).reply == "已处理"


def test_a_complaint_that_is_not_ours_is_forwarded_with_its_reason(scenario):
    number = complain(scenario)
    scenario.do(number, "triage", "supervisor", decision="not_ours", reason="属于教务处，已转")
    record = complaint(scenario, number)
    assert (record.status, record.forward_reason) == ("forwarded", "属于教务处，已转")
    assert scenario.open_tasks(number) == [] and len(scenario.outbox(number, "complaints.forwarded")) == 1


def test_a_caller_without_an_account_is_named_to_the_office_but_not_to_the_unit(scenario):
    """A hotline caller the clerk enters without an account is not anonymous: the office can call them back."""
    from workflows.complaints.identity import sees_identity

    number = complain(scenario, by=None, contact_name="赵先生", channel="hotline")
    with unit_of_work(scenario.host.session_factory) as session:
        record = session.scalar(select(Complaint).where(Complaint.number == number))
        supervisor = session.scalar(select(User).where(User.username == "supervisor"))
        deputy = session.scalar(select(User).where(User.username == "deputy"))
        assert not record.anonymous and record.contact_name == "赵先生"
        assert sees_identity(session, supervisor, record) and not sees_identity(session, deputy, record)


def test_two_complaints_that_draw_the_same_number_at_once_both_get_stored(scenario, monkeypatch):
    """A complaint taken at the same moment as another draws the same number; the second takes the next one
    instead of failing the intake."""
    first = complain(scenario)
    drawn = iter([first])
    real = complaint_service._next_number
    monkeypatch.setattr(complaint_service, "_next_number",
                        lambda session, school_id: next(drawn, None) or real(session, school_id))
    second = complain(scenario, description="宿舍热水时有时无")
    assert second == first[:-4] + "0002"
    assert complaint(scenario, second).description == "宿舍热水时有时无"


def test_deciding_who_may_read_a_complaint_reads_the_schools_rules_once(scenario, monkeypatch):
    number = complain(scenario)
    store, reads = scenario.runtime.rules, []
    read_book = store.book
    monkeypatch.setattr(store, "book", lambda session, school_id: reads.append(school_id) or read_book(session, school_id))
    with unit_of_work(scenario.host.session_factory) as session:
        row = session.scalar(select(Complaint).where(Complaint.number == number))
        for username, reads_it in (("deputy", True), ("worker", False), ("supervisor", True)):
            reads.clear()
            user = session.scalar(select(User).where(User.username == username))
            assert may_view(session, user, row, store) is reads_it, username
            assert reads == [scenario.school_id], username
