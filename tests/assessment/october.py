"""A known October 2026 for the demo company, and a scheme of four computed and two scored indicators over it.

What the records give (Beijing days, all in October):
- complaints about the company: 3 (a suggestion does not count) → 3 per month; 2 of 3 replied by their deadline → 66.67 %
- delegated tasks due: 4, 3 closed by their deadline → 75 %
- plan occurrences due (a plan of the cleaning team, under the company): 5, 4 closed → 80 %

Hand reckoning of the scheme below: complaints per month 15 × (10−3)/10 = 10.5; on time 15 × (66.67−50)/50 = 5.0;
delegated 20 × 0.75 = 15.0; plans 20 × 0.8 = 16.0; cleaning 20 − min(15, min(6, 2×4) + 5×1) = 9.0; attitude (no
findings) 10 → total 65.5, grade pass (60 ≤ 65.5 < 80), payment deduction 3 %.
"""
from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from engine.db import unit_of_work
from workflows.assessment import schemes
from workflows.bootstrap import build_modules
from workflows.complaints.models import Complaint
from workflows.delegation.models import DelegatedTask
from workflows.people.enums import UnitKind
from workflows.people.models import OrgUnit, User
from workflows.plans.models import PlanOccurrence, WorkPlan

FIRST, LAST = date(2026, 10, 1), date(2026, 10, 31)
ITEMS = [
    {"name": "投诉数量", "weight": 15, "kind": "computed", "indicator": "complaints_per_month", "zero_at": 10, "full_at": 0},
    {"name": "投诉按时答复", "weight": 15, "kind": "computed", "indicator": "complaints_on_time", "zero_at": 50, "full_at": 100},
    {"name": "交办任务按时完成", "weight": 20, "kind": "computed", "indicator": "delegated_on_time", "zero_at": 0, "full_at": 100},
    {"name": "计划完成率", "weight": 20, "kind": "computed", "indicator": "plan_completion_rate", "zero_at": 0, "full_at": 100},
    {"name": "公共区域保洁", "weight": 20, "kind": "scored", "cap": 15, "rules": [
        {"code": "R1", "text": "公共区域每日清扫两次，少一次扣2分", "deduct": 2, "cap": 6},
        {"code": "R2", "text": "卫生间有异味扣5分", "deduct": 5}]},
    {"name": "服务态度", "weight": 10, "kind": "scored", "rules": [{"code": "R1", "text": "态度生硬每次扣1分", "deduct": 1}]},
]
INDICATORS = build_modules().indicators


def at(day: int, hour: int = 2) -> datetime:
    return datetime(2026, 10, day, hour, tzinfo=UTC)


def units(session, school_id: int) -> tuple[int, int]:
    company = session.scalar(select(OrgUnit.id).where(OrgUnit.school_id == school_id, OrgUnit.kind == UnitKind.service_unit))
    cleaning = session.scalar(select(OrgUnit.id).where(OrgUnit.school_id == school_id, OrgUnit.name == "保洁绿化班"))
    return company, cleaning


def seed_october(scenario) -> None:
    with unit_of_work(scenario.host.session_factory) as session:
        school = scenario.school_id
        company, cleaning = units(session, school)
        leader = session.scalar(select(User.id).where(User.username == "leader"))
        for n, (day, replied_late) in enumerate([(5, False), (10, False), (20, True)], start=1):
            due = at(day) + timedelta(days=3)
            session.add(Complaint(school_id=school, number=f"TS-OCT-{n}", kind="complaint", category="cleaning",
                                  channel="portal", description="走廊很脏", unit_id=company, status="closed",
                                  created_at=at(day), resolution_due=due,
                                  replied_at=due + (timedelta(hours=5) if replied_late else -timedelta(hours=5))))
        session.add(Complaint(school_id=school, number="TS-OCT-S", kind="suggestion", category="cleaning", channel="portal",
                              description="建议增加垃圾桶", unit_id=company, status="closed", created_at=at(12)))
        for n, late in enumerate([False, False, False, True], start=1):
            deadline = at(8 + n)
            session.add(DelegatedTask(school_id=school, number=f"JB-OCT-{n}", title="专项检修", deadline=deadline,
                                      assigner_id=leader, unit_id=company, status="closed", created_at=at(1),
                                      closed_at=deadline + (timedelta(days=1) if late else -timedelta(hours=1))))
        plan = WorkPlan(school_id=school, title="楼道保洁", unit_id=cleaning, responsible_id=leader, recurrence="weekly",
                        starts_on=FIRST)
        session.add(plan)
        session.flush()
        for n, status in enumerate(["closed", "closed", "closed", "closed", "failed"], start=1):
            session.add(PlanOccurrence(school_id=school, plan_id=plan.id, number=f"JH-OCT-{n}", occurs_on=date(2026, 10, n * 5),
                                       starts_at=at(n * 5, 0), due_at=at(n * 5, 9), status=status))


def create_scheme(scenario, items=ITEMS, schedule: str = "none"):
    with unit_of_work(scenario.host.session_factory) as session:
        company, _cleaning = units(session, scenario.school_id)
        version = schemes.create(session, school_id=scenario.school_id, draft=schemes.Draft(
            name="物业服务考核方案", unit_id=company, items=items, bands=schemes.DEFAULT_BANDS, contract="物业服务合同",
            schedule=schedule), indicators=INDICATORS, actor="周敏", user_id=None)
        return version.id
