"""Demo work plans and one delegated task with a sub-task, so the calendar and the board are not empty.

The plans are the examples the platform is asked for: exterior-wall cleaning, summer mosquito control,
the monthly fire-equipment check, equipment maintenance, and a weekly cleaning check whose lines name the demo
cleaning standard's items (linked once the standards library is seeded, after the plans). Their occurrences come from the generator like
any other plan's (the first ones at once, later ones as their dates come near). Two staff of their own carry
them out (``cleaner`` and ``technician``), so the other demo users' inboxes stay as they were.
"""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.clock import now
from engine.host import Host
from rules.store import RuleStore
from workflows.delegation.service import Assignment, assign, split
from workflows.demo import demo_password_hash
from workflows.modules.contract import DemoSetting
from workflows.people.enums import Role
from workflows.people.models import OrgUnit, User
from workflows.people.service import create_user
from workflows.people.timezone import local_today
from workflows.plans.models import WorkPlan
from workflows.plans.service import PlanInput, checklist_lines, create_plan, generate_occurrences
from workflows.standards.service import by_code

PLAN_STAFF = [("cleaner", "何秀英", "保洁绿化班"), ("technician", "马俊", "水电维修班")]
CLEANING_PLAN = "教学楼公共区域保洁周检"
CLEANING_LINES = {"公共区域清扫、地面无垃圾": "1", "扶手、门把手擦拭消毒": "2", "卫生间巡检无异味": "3", "垃圾桶清运": "4"}


def _plans(today: date, company: int, cleaning: int, plumbing: int, cleaner: int, technician: int) -> list[PlanInput]:
    monday = today - timedelta(days=today.weekday())
    return [
        PlanInput(title="外墙清洗", unit_id=cleaning, responsible_id=cleaner, recurrence="yearly",
                  starts_on=date(today.year, 4, 15), duration_days=5, places=["第一教学楼", "图书馆", "行政楼"],
                  checklist=["高空作业安全措施到位", "墙面无明显污渍", "清洗后场地清理"], evidence=["photos"]),
        PlanInput(title="夏季灭蚊", unit_id=cleaning, responsible_id=cleaner, recurrence="seasonal", interval=2,
                  season_from=6, season_to=9, starts_on=date(today.year, 6, 1), duration_days=2,
                  places=["学生公寓1号楼", "学生公寓2号楼", "第一食堂"], checklist=["积水点清理", "喷药并登记药剂用量"],
                  evidence=["photos", "signed_sheet"]),
        PlanInput(title="消防器材月检", unit_id=company, responsible_id=technician, recurrence="monthly", starts_on=today,
                  places=["全校各楼宇"], checklist=["灭火器压力在绿区", "消防栓水带完好", "应急灯正常"],
                  evidence=["photos", "signed_sheet"]),
        PlanInput(title="设备维护保养", unit_id=plumbing, responsible_id=technician, recurrence="weekly", starts_on=monday,
                  duration_days=2, places=["水泵房", "配电室"], checklist=["水泵运行检查", "配电柜除尘"],
                  evidence=["meter_readings"]),
        PlanInput(title=CLEANING_PLAN, unit_id=cleaning, responsible_id=cleaner, recurrence="weekly", starts_on=monday,
                  duration_days=3, places=["第一教学楼"], checklist=list(CLEANING_LINES), evidence=["photos"]),
    ]


def seed_demo(session: Session, demo: DemoSetting) -> bool:
    """The plans module's part of the demo (its :attr:`ProcessModule.demo`)."""
    return seed_plans(session, demo.host, demo.rules, school_id=demo.school_id)


def seed_plans(session: Session, host: Host, store: RuleStore, *, school_id: int) -> bool:
    """Create the demo plans and task unless the school has plans already; return whether anything was created."""
    if session.scalar(select(WorkPlan.id).where(WorkPlan.school_id == school_id)):
        return False
    users = {u.username: u for u in session.scalars(select(User).where(User.school_id == school_id))}
    units = {u.name: u.id for u in session.scalars(select(OrgUnit).where(OrgUnit.school_id == school_id))}

    def unit_of(prefix: str) -> int:
        return next(i for name, i in units.items() if name.startswith(prefix))

    for username, display_name, team in PLAN_STAFF:
        users[username] = create_user(session, username=username, password_hash=demo_password_hash(), display_name=display_name,
                                      school_id=school_id, roles=[(Role.worker, unit_of(team))])
    company, cleaning, plumbing = unit_of("后勤服务公司"), unit_of("保洁绿化班"), unit_of("水电维修班")
    today = local_today(session, school_id)
    for entry in _plans(today, company, cleaning, plumbing, users["cleaner"].id, users["technician"].id):
        create_plan(session, school_id=school_id, entry=entry, created_by=users["supervisor"])
    generate_occurrences(session, host, store)
    task = assign(session, host, school_id=school_id, assigner=users["leader"], entry=Assignment(
        title="迎新季宿舍设施专项检修", deadline=now() + timedelta(days=14), assignee_id=users["deputy"].id, priority="high",
        acceptance_criteria="所有新生宿舍门锁、灯具、水龙头完好，逐间签字确认"))
    split(session, host, parent=task, by=users["deputy"], entry=Assignment(
        title="学生公寓1号楼门锁排查", deadline=now() + timedelta(days=7), assignee_id=users["technician"].id,
        acceptance_criteria="逐间记录门锁状态"))
    return True


def link_standards(session: Session, *, school_id: int) -> bool:
    """Link the weekly cleaning plan's lines to the demo cleaning standard (BJ-01)'s items, as its edit form would;
    False when either is missing."""
    plan = session.scalar(select(WorkPlan).where(WorkPlan.school_id == school_id, WorkPlan.title == CLEANING_PLAN))
    if plan is None or by_code(session, school_id=school_id, code="BJ-01") is None:
        return False
    plan.checklist, plan.checklist_standards = checklist_lines(
        session, school_id, [f"{line} [BJ-01 {CLEANING_LINES.get(line, '')}]" if line in CLEANING_LINES else line
                             for line in plan.checklist])
    return True
