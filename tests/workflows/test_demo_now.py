"""The demo, seeded by the command the README's first command runs, is a school as of now: nothing dated after now,
live green, yellow and red orders with the chase tasks the engine made for them, figures of seed 1's proportions
that could be real, and every step of every order done by someone with a name."""
from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from click.testing import CliRunner
from flask.cli import ScriptInfo
from sqlalchemy import func, select

from engine.db import Base, UtcDateTime
from engine.models import AuditEvent, HumanTask
from webapp.cli import cli
from workflows.attendance.enums import Mark
from workflows.attendance.readmodel import on_post_now, shift_rows
from workflows.attendance.settings import attendance_rules
from workflows.colours import ESCALATION
from workflows.people.enums import PersonKind
from workflows.people.models import Campus, School, User
from workflows.people.timezone import school_zone
from workflows.repair.enums import OPEN_STATUSES
from workflows.repair.models import WorkOrder

NOW = datetime(2026, 11, 30, 2, 17, tzinfo=UTC)  # a Monday, 10:17 in Beijing
FUTURE_BY_NATURE = {  # deadlines, wake-ups and expiries: they are meant to lie ahead
    ("api_token", "expires_at"), ("binding_ticket", "expires_at"), ("outbox", "next_attempt_at"),
    ("plan_occurrence", "starts_at"), ("plan_occurrence", "due_at"), ("process_instance", "next_wake_at"),
    ("process_instance", "wake_enqueued_for"), ("process_instance", "wake_resend_at"), ("delegated_task", "deadline"),
    ("human_task", "due_at"), ("rectification", "due_at"),
    ("inspection_finding", "first_due_at"), ("inspection_finding", "due_at"), ("survey", "closes_at"),
    ("duty_shift", "starts_at"), ("duty_shift", "ends_at"), ("duty_presence_check", "due_at"), ("duty_anomaly", "close_due"), ("assessment_campaign", "appeal_due"),
    ("complaint", "resolution_due"),
}
SYSTEM_ACTIONS = {"instance.started", "order.coloured", "order.rated", "order.closed", "step.completed", "task.created",
                  "task.completed", "task.closed", "instance.completed", "event.thrown"}  # what timers and the engine do (a closed task's row names nobody)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from webapp import create_app
    from webapp.config import Settings

    data_dir = tmp_path_factory.mktemp("demo")
    settings = Settings(database_url=f"sqlite:///{data_dir}/demo.db", redis_url=None, secret_key="t", data_dir=data_dir)
    apps = []
    info = ScriptInfo(create_app=lambda: apps.append(create_app(settings=settings)) or apps[-1])
    with time_machine.travel(NOW, tick=False):
        for command in ("init-db", "deploy", "demo-data"):
            result = CliRunner().invoke(cli, [command], obj=info)
            assert result.exit_code == 0, result.output
            assert "left undone" not in result.output  # every replayed step found its task waiting for its person
    runtime = apps[-1].extensions["houqin"]
    yield runtime
    for app in apps:
        app.extensions["houqin"].db_engine.dispose()


def test_nothing_is_dated_after_now(demo):
    with demo.host.session_factory() as session:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if isinstance(column.type, UtcDateTime) and (table.name, column.name) not in FUTURE_BY_NATURE:
                    latest = session.scalar(select(func.max(column)))
                    assert latest is None or latest.replace(tzinfo=UTC) <= NOW, f"{table.name}.{column.name}: {latest}"


def test_green_yellow_and_red_orders_are_open_with_their_chase_tasks(demo):
    with demo.host.session_factory() as session:
        school_id = session.scalar(select(School.id).where(School.code == "demo"))
        rules = demo.rules.book(session, school_id)
        for colour in ESCALATION:
            orders = list(session.scalars(select(WorkOrder).where(
                WorkOrder.colour == colour, WorkOrder.status.in_([str(s) for s in OPEN_STATUSES]))))
            assert orders, colour
            chasers = {(t.business_key, t.role) for t in session.scalars(select(HumanTask).where(
                HumanTask.business_key.in_([o.number for o in orders]), HumanTask.form_key == "repair_urge"))}
            role = rules.value(f"repair.escalation.{colour}.role")
            assert any((order.number, role) in chasers for order in orders), colour
        stages = set(session.scalars(select(WorkOrder.status).where(WorkOrder.status.in_([str(s) for s in OPEN_STATUSES]))))
        assert {"submitted", "accepted", "dispatched", "in_progress", "completed", "callback", "rectifying"} <= stages
        assert 60 <= session.scalar(select(func.count(WorkOrder.id)).where(WorkOrder.status.in_(
            [str(s) for s in OPEN_STATUSES]))) <= 110


def test_the_dashboard_shows_figures_like_seed_one_that_could_be_real(demo):
    from workflows.dashboard import figures, local_day_bounds

    with demo.host.session_factory() as session:
        school_id = session.scalar(select(School.id).where(School.code == "demo"))
        for days in (14, 30, 60):
            today = (NOW + timedelta(hours=8)).date()
            start, end = local_day_bounds(today - timedelta(days=days - 1), today)
            f = figures(session, school_id=school_id, start=start, end=end)["figures"]
            assert f["completed"] <= f["received"] and f["reviewed"] <= f["received"]
            assert 0 <= f["completion_rate"] <= 1 and 0 <= f["good_rate"] <= 1
            solved = sum(f[f"solved_{c}"] for c in ESCALATION)
            assert solved <= f["completed"] and f["good_ratings"] + f["bad_ratings"] + f["default_good"] <= f["completed"] + f["bad_ratings"]
            if days == 14:
                assert f["received"] > 400
                assert 0.90 <= f["completion_rate"] <= 0.96, f["completion_rate"]
                assert 0.96 <= f["good_rate"] <= 0.995, f["good_rate"]
                assert f["solved_red"] == 0  # nothing accepted within a fortnight can have been red for 15 days
        assert f["solved_green"] > f["solved_yellow"] > f["solved_red"] > 0  # the last 60 days
        assert f["solved_red"] <= 0.01 * f["completed"]


def test_every_step_of_every_order_names_who_did_it(demo):
    from workflows.modules.timeline import business_dicts

    with demo.host.session_factory() as session:
        school_id = session.scalar(select(School.id).where(School.code == "demo"))
        labels = {f"{u.username}#{u.id}" for u in session.scalars(select(User).where(User.school_id == school_id))}
        rows = session.execute(select(AuditEvent.action, AuditEvent.actor).where(AuditEvent.business_key.like("BX%"))
                               .distinct()).all()
        assert rows
        for action, actor in rows:
            assert actor in labels or (actor in ("system", None) and action in SYSTEM_ACTIONS), (action, actor)
        module = demo.modules.of_process("repair")
        numbers = list(session.scalars(select(WorkOrder.number).order_by(WorkOrder.id.desc()).limit(150)))
        numbers += list(session.scalars(select(WorkOrder.number).where(WorkOrder.colour == "red")))
        for number in numbers:
            for entry in business_dicts(session, module, school_id=school_id, key=number, locale="zh_Hans_CN"):
                automatic = entry["kind"] or entry["colour"] and entry["action"] == "order.coloured"
                if entry["action"] == "order.closed" or automatic:
                    continue
                assert entry["who"], (number, entry)


def test_the_demo_fortnight_of_attendance_has_people_on_post_now_and_a_plausible_rate(demo):
    """Guards, dormitory keepers and cleaners clocked in and out by their posts' terminals: at 10:17 on a Monday
    some are on post, and the last two weeks read mostly on time with a few late arrivals and absences."""
    with demo.host.session_factory() as session:
        school_id = session.scalar(select(School.id).where(School.code == "demo"))
        grace = attendance_rules(demo.rules, session, school_id).grace
        on_post = on_post_now(session, school_id, grace, NOW)
        assert sum(len(rows) for rows in on_post.values()) >= 3
        today = NOW.astimezone(school_zone(session, school_id)).date()
        rows = [row for row in shift_rows(session, school_id, grace, first=today - timedelta(days=13), last=today, at=NOW)
                if row.outcome.started]
    present = sum(row.outcome.present for row in rows)
    marks = Counter(mark for row in rows for mark in row.outcome.marks)
    assert len(rows) > 200 and 0.9 <= present / len(rows) < 1
    assert marks[Mark.on_time] > 10 * marks[Mark.late] > 0 and marks[Mark.absent] > 0


def test_the_demo_cleaning_checklist_and_weekly_cleaning_plan_name_the_cleaning_standards_items(demo):
    from workflows.inspections.checklists import standards_of
    from workflows.inspections.models import InspectionTemplate
    from workflows.plans.models import WorkPlan
    from workflows.plans.service import linked_checklist

    with demo.host.session_factory() as session:
        template = session.scalar(select(InspectionTemplate).where(InspectionTemplate.name == "教学楼保洁检查"))
        shown = standards_of(session, school_id=template.school_id, items=template.items)
        assert sorted((s.code, s.number) for s in shown.values()) == [("BJ-01", "1"), ("BJ-01", "3"), ("BJ-01", "4")]
        plan = session.scalar(select(WorkPlan).where(WorkPlan.title == "教学楼公共区域保洁周检"))
        lines = linked_checklist(session, plan)
        assert lines[0][0] == "公共区域清扫、地面无垃圾" and lines[0][1].text.startswith("公共区域每日清扫两次")
        assert all(linked is not None for _line, linked in lines) and plan.occurrences


def test_the_demo_complaints_are_open_and_closed_as_their_processes_are_and_fill_the_cards(demo):
    """About a dozen and a half complaints and suggestions, mostly closed, some open at each stage; each process is
    running with tasks while its complaint is open and has ended without any once it is closed. The dashboard's
    complaint cards and the assessment's complaint indicators of the service company count them."""
    from engine.models import ProcessInstance
    from workflows.complaints.figures import OPEN, complaints_on_time, complaints_per_month, figures
    from workflows.complaints.models import Complaint
    from workflows.dashboard import local_day_bounds
    from workflows.people.models import OrgUnit

    with demo.host.session_factory() as session:
        school_id = session.scalar(select(School.id).where(School.code == "demo"))
        complaints = list(session.scalars(select(Complaint).where(Complaint.school_id == school_id)))
        assert 12 <= len(complaints) <= 16 and {c.kind for c in complaints} == {"complaint", "suggestion"}
        assert {c.channel for c in complaints} == {"phone", "portal", "hotline"}
        statuses = Counter(c.status for c in complaints)
        assert statuses["closed"] > len(complaints) / 2 and {"triage", "handling", "replied", "forwarded"} <= set(statuses)
        assert any(c.rounds == 1 and c.satisfied for c in complaints)  # not satisfied once, handled again
        for complaint in complaints:
            running = session.get_one(ProcessInstance, complaint.instance_id).status == "running"
            tasks = session.scalar(select(func.count(HumanTask.id)).where(HumanTask.business_key == complaint.number))
            assert (running, bool(tasks)) == ((True, True) if complaint.status in OPEN else (False, False)), complaint.number

        today = (NOW + timedelta(hours=8)).date()
        start, end = local_day_bounds(today - timedelta(days=44), today)
        cards = {f.key: f.value for f in figures(session, school_id=school_id, start=start, end=end, at=NOW, rules=demo.rules)}
        assert cards["complaints_received"] == len(complaints) and cards["complaints_open"] == 5
        assert all(cards[key] for key in ("complaints_first_on_time", "complaints_first_late", "complaints_replied_on_time",
                                          "complaints_satisfied", "complaints_repeat")), cards
        company = session.scalar(select(OrgUnit.id).where(OrgUnit.school_id == school_id, OrgUnit.name == "后勤服务公司"))
        book = demo.rules.book(session, school_id)
        measured = {"per_month": complaints_per_month, "on_time": complaints_on_time}
        values = {key: measure(session, school_id=school_id, unit_id=company, start=start, end=end, at=NOW, rules=book)
                  for key, measure in measured.items()}
        assert values["per_month"].value > 0 and 50 < values["on_time"].value < 100, values


def test_the_demo_s_requesters_are_students_and_staff_of_both_campuses_so_a_campus_survey_asks_a_plausible_number(demo):
    with demo.host.session_factory() as session:
        school_id = session.scalar(select(School.id).where(School.code == "demo"))
        people = Counter(session.execute(select(User.kind, Campus.name).outerjoin(Campus, Campus.id == User.campus_id)
                                         .where(User.school_id == school_id, User.kind.is_not(None))).all())
    assert set(people) == {(kind, campus) for kind in PersonKind for campus in ("本部校区", "南湖校区")}  # all have one
    students = {campus: count for (kind, campus), count in people.items() if kind == PersonKind.student}
    assert 80 <= students["南湖校区"] < students["本部校区"] <= 160, students  # the main campus has more buildings
    assert sum(people.values()) == 300 and sum(students.values()) == 240  # four requesters in five are students
