"""The demo school: one campus, a service unit with a team and the service hall, one user per role,
and a few open quick jobs so a worker finds something in the inbox at first login."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.advance import start
from workflows.people.enums import Role, UnitKind
from workflows.people.models import Campus, OrgUnit, School
from workflows.people.service import create_user

DEMO_PASSWORD = "houqin-demo"
DEMO_USERS = [
    ("requester", "王老师", Role.requester), ("clerk", "服务大厅 李", Role.clerk), ("auditor", "审核员 张", Role.auditor),
    ("worker", "维修工 刘师傅", Role.worker), ("repair", "修缮中心 陈", Role.repair_centre),
    ("deputy", "分管领导 赵", Role.deputy_leader), ("leader", "主要领导 孙", Role.main_leader),
    ("supervisor", "监管 周", Role.supervisor), ("schoolboss", "校领导 吴", Role.school_leader),
    ("owner", "流程负责人 郑", Role.process_owner), ("admin", "管理员", Role.admin),
]
DEMO_JOBS = ["更换教学楼三楼走廊灯管", "疏通二号宿舍楼下水道", "修理图书馆门禁"]


def seed(session: Session, host) -> bool:
    """Create the demo school unless it exists; return whether anything was created."""
    if session.scalar(select(School.id).where(School.code == "demo")):
        return False
    school = School(code="demo", name="示范学院 Demo College")
    session.add(school)
    session.flush()
    campus = Campus(school_id=school.id, name="主校区 Main campus")
    session.add(campus)
    session.flush()
    company = OrgUnit(school_id=school.id, campus_id=campus.id, kind=UnitKind.service_unit, name="后勤服务公司 Facilities company")
    session.add(company)
    session.flush()
    team = OrgUnit(school_id=school.id, campus_id=campus.id, parent_id=company.id, kind=UnitKind.team, name="水电维修班 Plumbing & electrics")
    hall = OrgUnit(school_id=school.id, campus_id=campus.id, parent_id=company.id, kind=UnitKind.service_hall, name="后勤服务大厅 Service hall")
    session.add_all([team, hall])
    session.flush()
    unit_for = {Role.worker: team.id, Role.clerk: hall.id, Role.deputy_leader: company.id, Role.main_leader: company.id,
                Role.repair_centre: company.id, Role.auditor: company.id}
    for username, name, role in DEMO_USERS:
        create_user(session, username=username, password=DEMO_PASSWORD, display_name=name, school_id=school.id,
                    roles=[(role, unit_for.get(role))])
    for number, title in enumerate(DEMO_JOBS, start=1):
        start(host, session, process_key="job_ticket", business_key=f"JOB-{number:04d}", school_id=school.id,
              data={"team_id": team.id, "title": title})
    return True
