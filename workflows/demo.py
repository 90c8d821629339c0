"""The demo school: campuses and buildings, a service company with its teams and the service hall,
a two-level service catalogue, one user per role, and a few open quick jobs."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.advance import start
from engine.host import Host
from workflows.catalogue.models import Building, CatalogueItem
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
# above every school: creates schools and changes the shipped diagrams every school follows
PLATFORM_USER = ("platform", "平台管理员", (Role.admin, Role.process_owner))
DEMO_JOBS = ["更换教学楼三楼走廊灯管", "疏通二号宿舍楼下水道", "修理图书馆门禁"]
TEAMS = [("plumbing", "水电维修班 Plumbing & electrics"), ("carpentry", "木工班 Carpentry"),
         ("hvac", "空调暖通班 Heating & air"), ("cleaning", "保洁绿化班 Cleaning & grounds")]
CATALOGUE = [  # (category code, zh, en, team, [(item code, zh, en)])
    ("W", "水电维修", "Plumbing & electrics", "plumbing", [
        ("W01", "水管漏水", "Water leak"), ("W02", "下水道堵塞", "Blocked drain"),
        ("W03", "电路故障", "Electrical fault"), ("W04", "灯具更换", "Light replacement")]),
    ("C", "门窗家具", "Doors, windows & furniture", "carpentry", [
        ("C01", "门锁损坏", "Broken lock"), ("C02", "窗户损坏", "Broken window"), ("C03", "桌椅维修", "Desk or chair repair")]),
    ("H", "空调暖通", "Heating & air conditioning", "hvac", [
        ("H01", "空调不制冷", "Air conditioner not cooling"), ("H02", "暖气不热", "Radiator cold")]),
    ("G", "保洁绿化", "Cleaning & grounds", "cleaning", [
        ("G01", "公共区域保洁", "Cleaning of shared areas"), ("G02", "垃圾清运", "Rubbish removal"),
        ("G03", "绿化养护", "Grounds upkeep")]),
]
BUILDINGS = ["第一教学楼", "第二教学楼", "图书馆", "1号学生宿舍", "2号学生宿舍", "学生食堂", "行政楼"]


@dataclass(frozen=True)
class SchoolSetup:
    """What a new school is made of: the ids the people, orders and history of that school hang on."""

    school_id: int
    campus_id: int
    company_id: int
    hall_id: int
    team_ids: dict[str, int]


def create_school(session: Session, *, code: str, name: str) -> SchoolSetup:
    """A school with one campus, a service company with its teams and hall, the catalogue and the buildings."""
    school = School(code=code, name=name)
    session.add(school)
    session.flush()
    campus = Campus(school_id=school.id, name="主校区 Main campus")
    session.add(campus)
    session.flush()
    company = OrgUnit(school_id=school.id, campus_id=campus.id, kind=UnitKind.service_unit, name="后勤服务公司 Facilities company")
    session.add(company)
    session.flush()
    teams = {code: OrgUnit(school_id=school.id, campus_id=campus.id, parent_id=company.id, kind=UnitKind.team, name=name)
             for code, name in TEAMS}
    hall = OrgUnit(school_id=school.id, campus_id=campus.id, parent_id=company.id, kind=UnitKind.service_hall,
                   name="后勤服务大厅")
    session.add_all([*teams.values(), hall])
    session.flush()
    _seed_catalogue(session, school.id, teams)
    session.add_all([Building(school_id=school.id, campus_id=campus.id, name=name) for name in BUILDINGS])
    session.flush()
    return SchoolSetup(school.id, campus.id, company.id, hall.id, {code: team.id for code, team in teams.items()})


def seed(session: Session, host: Host) -> bool:
    """Create the demo school unless it exists; return whether anything was created."""
    if session.scalar(select(School.id).where(School.code == "demo")):
        return False
    setup = create_school(session, code="demo", name="示范学院 Demo College")
    team_id = setup.team_ids["plumbing"]
    unit_for = {Role.worker: team_id, Role.clerk: setup.hall_id, Role.deputy_leader: setup.company_id,
                Role.main_leader: setup.company_id, Role.repair_centre: setup.company_id, Role.auditor: setup.company_id}
    for username, name, role in DEMO_USERS:
        create_user(session, username=username, password=DEMO_PASSWORD, display_name=name, school_id=setup.school_id,
                    roles=[(role, unit_for.get(role))])
    username, name, roles = PLATFORM_USER
    create_user(session, username=username, password=DEMO_PASSWORD, display_name=name, school_id=None,
                roles=[(role, None) for role in roles])
    for number, title in enumerate(DEMO_JOBS, start=1):
        start(host, session, process_key="job_ticket", business_key=f"JOB-{number:04d}", school_id=setup.school_id,
              data={"team_id": team_id, "title": title})
    return True


def _seed_catalogue(session: Session, school_id: int, teams: dict[str, OrgUnit]) -> None:
    for code, zh, en, team_code, children in CATALOGUE:
        category = CatalogueItem(school_id=school_id, code=code, name_zh=zh, name_en=en)
        session.add(category)
        session.flush()
        session.add_all([CatalogueItem(school_id=school_id, parent_id=category.id, code=c, name_zh=z, name_en=e,
                                       default_team_id=teams[team_code].id) for c, z, e in children])
