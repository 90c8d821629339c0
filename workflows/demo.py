"""The demo school: a university with two campuses and their buildings, a service company with its teams and the
service hall, a two-level service catalogue, one user per role, and a few open quick jobs."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from engine.advance import start
from engine.host import Host
from workflows.catalogue.models import Building, CatalogueItem
from workflows.people.enums import Role, UnitKind
from workflows.people.models import Campus, OrgUnit, School
from workflows.people.service import create_user

DEMO_PASSWORD = "houqin-demo"


@cache
def demo_password_hash() -> str:
    """The hash every demo account shares: they share one published password, so one hash a process serves them."""
    return generate_password_hash(DEMO_PASSWORD)
DEMO_SCHOOL = "青川理工大学"
DEMO_USERS = [
    ("requester", "王丽华", Role.requester), ("clerk", "李静", Role.clerk), ("auditor", "张伟", Role.auditor),
    ("worker", "刘建军", Role.worker), ("repair", "陈志强", Role.repair_centre),
    ("deputy", "赵永红", Role.deputy_leader), ("leader", "孙国庆", Role.main_leader),
    ("supervisor", "周敏", Role.supervisor), ("schoolboss", "吴振华", Role.school_leader),
    ("owner", "郑浩", Role.process_owner), ("admin", "黄磊", Role.admin),
]
# above every school: creates schools and changes the shipped diagrams every school follows
PLATFORM_USER = ("platform", "林涛", (Role.admin, Role.process_owner))
DEMO_JOBS = ["更换教学楼三楼走廊灯管", "疏通二号宿舍楼下水道", "修理图书馆门禁"]
TEAMS = [("plumbing", "水电维修班"), ("carpentry", "木工班"), ("hvac", "空调暖通班"), ("cleaning", "保洁绿化班")]
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
CAMPUSES = {  # campus: its buildings; the first campus is the main one
    "本部校区": ["第一教学楼", "第二教学楼", "图书馆", "行政楼", "学生公寓1号楼", "学生公寓2号楼", "学生公寓3号楼", "第一食堂"],
    "南湖校区": ["第三教学楼", "实验楼", "体育馆", "学生公寓5号楼", "学生公寓6号楼", "第二食堂"],
}


@dataclass(frozen=True)
class SchoolSetup:
    """What a new school is made of: the ids the people, orders and history of that school hang on."""

    school_id: int
    company_id: int
    hall_id: int
    team_ids: dict[str, int]
    main_campus_id: int  # the first campus: the company, its teams and hall are there


def create_school(session: Session, *, code: str, name: str) -> SchoolSetup:
    """A school with its campuses and their buildings, a service company with its teams and hall, the catalogue."""
    school = School(code=code, name=name)
    session.add(school)
    session.flush()
    campuses = [Campus(school_id=school.id, name=campus_name) for campus_name in CAMPUSES]
    session.add_all(campuses)
    session.flush()
    campus = campuses[0]
    company = OrgUnit(school_id=school.id, campus_id=campus.id, kind=UnitKind.service_unit, name="后勤服务公司")
    session.add(company)
    session.flush()
    teams = {code: OrgUnit(school_id=school.id, campus_id=campus.id, parent_id=company.id, kind=UnitKind.team, name=name)
             for code, name in TEAMS}
    hall = OrgUnit(school_id=school.id, campus_id=campus.id, parent_id=company.id, kind=UnitKind.service_hall,
                   name="后勤服务大厅")
    session.add_all([*teams.values(), hall])
    session.flush()
    _seed_catalogue(session, school.id, teams)
    session.add_all([Building(school_id=school.id, campus_id=place.id, name=building)
                     for place, buildings in zip(campuses, CAMPUSES.values(), strict=True) for building in buildings])
    session.flush()
    return SchoolSetup(school.id, company.id, hall.id, {code: team.id for code, team in teams.items()}, campus.id)


def seed(session: Session, host: Host) -> bool:
    """Create the demo school unless it exists; return whether anything was created."""
    if session.scalar(select(School.id).where(School.code == "demo")):
        return False
    setup = create_school(session, code="demo", name=DEMO_SCHOOL)
    team_id = setup.team_ids["plumbing"]
    unit_for = {Role.worker: team_id, Role.clerk: setup.hall_id, Role.deputy_leader: setup.company_id,
                Role.main_leader: setup.company_id, Role.repair_centre: setup.company_id, Role.auditor: setup.company_id}
    for username, name, role in DEMO_USERS:  # all on the main campus, where the company is
        create_user(session, username=username, password_hash=demo_password_hash(), display_name=name, school_id=setup.school_id,
                    roles=[(role, unit_for.get(role))], campus_id=setup.main_campus_id)
    username, name, roles = PLATFORM_USER
    create_user(session, username=username, password_hash=demo_password_hash(), display_name=name, school_id=None,
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
