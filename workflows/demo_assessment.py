"""Demo assessment: a scheme for the property company and one for the canteen (each with a rate read from the staff
register: certified, staffing), last month's campaign of the company scored, answered and
published, and the canteen's still being scored, so the pages and the leaders' screen show something real from the
first start."""
from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.models import HumanTask
from workflows.assessment import periods, schemes
from workflows.assessment.models import SchemeVersion
from workflows.assessment.service import accept, open_campaign, record_findings
from workflows.demo_tasks import do_oldest
from workflows.modules.contract import DemoSetting
from workflows.people.enums import UnitKind
from workflows.people.models import OrgUnit, User
from workflows.people.service import actor_for
from workflows.people.timezone import local_today

PROPERTY_ITEMS = [
    {"name": "报修好评率", "weight": 25, "kind": "computed", "indicator": "repair_good_rate", "zero_at": 80, "full_at": 98},
    {"name": "维修及时完成率", "weight": 15, "kind": "computed", "indicator": "repair_completed_in_time", "zero_at": 60, "full_at": 95},
    {"name": "计划完成率", "weight": 15, "kind": "computed", "indicator": "plan_completion_rate", "zero_at": 60, "full_at": 100},
    {"name": "投诉按时答复率", "weight": 10, "kind": "computed", "indicator": "complaints_on_time", "zero_at": 60, "full_at": 100},
    {"name": "公共区域保洁", "weight": 15, "kind": "scored", "cap": 15, "rules": [
        {"code": "R1", "text": "公共区域每日清扫两次，少一次扣2分", "deduct": 2, "cap": 10},
        {"code": "R2", "text": "卫生间有明显异味或积水，每处扣3分", "deduct": 3}]},
    {"name": "安全与秩序", "weight": 10, "kind": "scored", "rules": [
        {"code": "R1", "text": "消防通道堵塞，每处扣5分", "deduct": 5},
        {"code": "R2", "text": "值守人员脱岗，每次扣3分", "deduct": 3}]},
    {"name": "持证上岗率", "weight": 10, "kind": "computed", "indicator": "staff_certified_rate", "zero_at": 80, "full_at": 100},
]
CANTEEN_ITEMS = [
    {"name": "投诉数量", "weight": 20, "kind": "computed", "indicator": "complaints_per_month", "zero_at": 8, "full_at": 0},
    {"name": "投诉按时答复率", "weight": 15, "kind": "computed", "indicator": "complaints_on_time", "zero_at": 60, "full_at": 100},
    {"name": "食品安全", "weight": 30, "kind": "scored", "rules": [
        {"code": "R1", "text": "留样不足48小时，每次扣5分", "deduct": 5},
        {"code": "R2", "text": "生熟未分开存放，每处扣3分", "deduct": 3}]},
    {"name": "环境卫生", "weight": 15, "kind": "scored", "rules": [
        {"code": "R1", "text": "餐桌地面不洁，每处扣1分", "deduct": 1, "cap": 8}]},
    {"name": "服务态度", "weight": 10, "kind": "scored", "rules": [
        {"code": "R1", "text": "态度生硬被核实，每次扣2分", "deduct": 2}]},
    {"name": "满编率", "weight": 10, "kind": "computed", "indicator": "staff_staffing_rate", "zero_at": 80, "full_at": 100},
]

CANTEEN = "饮食服务中心"


def _do(session: Session, demo: DemoSetting, number: str, name: str, user: User, data: dict[str, Any]) -> None:
    """``user`` does the campaign's open task ``name``, as its form would take it."""
    if not do_oldest(session, demo.complete, school_id=demo.school_id, business_key=number,
                     which=HumanTask.task_name == name, doer=actor_for(session, user), data=data):
        raise LookupError(f"{number} has no open {name} for {user.username} to do")


def seed_assessment(session: Session, demo: DemoSetting) -> bool:
    """Create the demo schemes and campaigns unless the school has schemes already. Scoring and approving are done
    through :attr:`DemoSetting.complete`, so their data is what the tasks' forms accept."""
    host, school_id = demo.host, demo.school_id
    if session.scalar(select(SchemeVersion.id).where(SchemeVersion.school_id == school_id)):
        return False
    users = {u.username: u for u in session.scalars(select(User).where(User.school_id == school_id))}
    company = session.scalar(select(OrgUnit).where(OrgUnit.school_id == school_id, OrgUnit.name == "后勤服务公司"))
    assert company is not None  # the demo school has its company
    canteen = session.scalar(select(OrgUnit).where(OrgUnit.school_id == school_id, OrgUnit.name == CANTEEN))
    if canteen is None:  # the staff register's demo makes the canteen unit; without it, the scheme makes its own
        canteen = OrgUnit(school_id=school_id, campus_id=company.campus_id, kind=UnitKind.service_unit, name=CANTEEN)
        session.add(canteen)
        session.flush()
    made = []
    for name, unit, items, contract in (("物业服务月度考核方案", company.id, PROPERTY_ITEMS, "物业管理服务合同（2026）"),
                                         ("餐饮服务月度考核方案", canteen.id, CANTEEN_ITEMS, "食堂委托经营合同（2026）")):
        made.append(schemes.create(session, school_id=school_id, indicators=demo.indicators, actor=users["supervisor"].display_name,
                                   user_id=users["supervisor"].id, draft=schemes.Draft(
                                       name=name, unit_id=unit, items=items, bands=schemes.DEFAULT_BANDS, contract=contract)))
    first, last = periods.month_of(local_today(session, school_id).replace(day=1) - timedelta(days=1))
    supervisor, leader = users["supervisor"], users["leader"]
    done = open_campaign(session, host, scheme=made[0], kind="monthly", first=first, last=last, started_by=supervisor)
    record_findings(session, campaign=done, user=supervisor, item_key="i5", note="月中抽查两次",
                    findings=[{"rule": "R1", "count": 2, "note": "图书馆二楼走廊下午未清扫"}])
    record_findings(session, campaign=done, user=supervisor, item_key="i6", findings=[], note="未发现问题")
    _do(session, demo, done.number, "score_items", supervisor, {"note": "本月整体良好"})
    accept(session, host, campaign=done, user=users["deputy"], note="认可")
    _do(session, demo, done.number, "approve", leader, {"note": "同意公布"})
    running = open_campaign(session, host, scheme=made[1], kind="monthly", first=first, last=last, started_by=supervisor)
    record_findings(session, campaign=running, user=supervisor, item_key="i4",
                    findings=[{"rule": "R1", "count": 3, "note": "午餐后餐桌未及时清理"}])
    return True
