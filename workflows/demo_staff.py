"""The demo school's service staff: about forty people across the service company's teams and three more units
(dormitories, canteen, security), own staff and two contractors' people, the posts and certificate types a campus
has, staffing plans the cleaners and the guards fall short of, and certificates — most valid, a few expiring within the month and
one electrician's expired, so the register, the staffing page and the dashboard cards all have something to show.

The demo worker (刘建军) and technician (马俊) are in the register with valid electricians' certificates, so the
repair demo still dispatches them to electrical faults, which require one.
"""
from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.host import Host
from workflows.catalogue.models import CatalogueItem
from workflows.demo_names import person_names
from workflows.modules.contract import DemoSetting
from workflows.people.enums import UnitKind
from workflows.people.models import OrgUnit, User
from workflows.people.timezone import local_today
from workflows.staff import certificates, register, setup
from workflows.staff.enums import EmploymentKind
from workflows.staff.models import Post, StaffMember

POSTS = [("dorm_keeper", "宿舍管理员", "Dormitory keeper"), ("cleaner", "保洁员", "Cleaner"),
         ("electrician", "电工", "Electrician"), ("lift", "电梯维保", "Lift maintenance"),
         ("boiler", "锅炉工", "Boiler operator"), ("cook", "厨师", "Cook"), ("guard", "保安", "Security guard")]
TYPES = [("op_electric", "特种作业操作证-电工", "Special operation certificate: electrician"),
         ("op_welding", "特种作业操作证-焊工", "Special operation certificate: welder"),
         ("op_height", "特种作业操作证-高处作业", "Special operation certificate: work at height"),
         ("eq_lift", "特种设备作业人员证-电梯", "Special equipment certificate: lifts"),
         ("eq_boiler", "特种设备作业人员证-锅炉", "Special equipment certificate: boilers"),
         ("health", "健康证", "Health certificate"), ("fire", "消防设施操作员", "Fire facilities operator")]
POST_NEEDS = {"electrician": ["op_electric"], "lift": ["eq_lift"], "boiler": ["eq_boiler"], "cook": ["health"],
              "guard": ["fire"]}
ITEM_NEEDS = {"W03": ["op_electric"], "W04": ["op_electric"], "H02": ["eq_boiler"]}
UNITS = [("宿舍管理中心", UnitKind.service_unit), ("饮食服务中心", UnitKind.service_unit), ("校园安保队", UnitKind.service_unit)]
# (unit name, post, people, planned, contractor)
STAFFING = [("宿舍管理中心", "dorm_keeper", 6, 6, ""), ("保洁绿化班", "cleaner", 9, 12, "洁美物业服务有限公司"),
            ("水电维修班", "electrician", 5, 5, ""), ("空调暖通班", "boiler", 3, 3, ""),
            ("空调暖通班", "lift", 2, 2, "迅达电梯维保有限公司"), ("饮食服务中心", "cook", 8, 8, ""),
            ("校园安保队", "guard", 7, 8, "盾安保安服务有限公司")]
DEMO_ELECTRICIANS = ("worker", "technician")


def seed_demo(session: Session, demo: DemoSetting) -> bool:
    """The staff module's part of the demo (its :attr:`ProcessModule.demo`)."""
    return seed_staff(session, demo.host, school_id=demo.school_id)


def seed_staff(session: Session, host: Host, *, school_id: int) -> bool:
    """The demo register, once; False if the school has one already."""
    if session.scalar(select(Post.id).where(Post.school_id == school_id)):
        return False
    today = local_today(session, school_id)
    company = session.scalar(select(OrgUnit).where(OrgUnit.school_id == school_id, OrgUnit.parent_id.is_(None)))
    assert company is not None
    session.add_all([OrgUnit(school_id=school_id, campus_id=company.campus_id, parent_id=company.id, kind=kind, name=name)
                     for name, kind in UNITS])
    session.flush()
    units = {u.name: u.id for u in session.scalars(select(OrgUnit).where(OrgUnit.school_id == school_id))}
    posts = {code: setup.save_post(session, actor="demo", school_id=school_id, code=code, name_zh=zh, name_en=en).id
             for code, zh, en in POSTS}
    types = {code: setup.save_type(session, actor="demo", school_id=school_id, code=code, name_zh=zh, name_en=en).id
             for code, zh, en in TYPES}
    for post, needed in POST_NEEDS.items():
        setup.set_requirements(session, actor="demo", school_id=school_id, post_id=posts[post],
                               type_ids={types[t] for t in needed})
    items = {i.code: i.id for i in session.scalars(select(CatalogueItem).where(CatalogueItem.school_id == school_id))}
    for item, needed in ITEM_NEEDS.items():
        setup.set_requirements(session, actor="demo", school_id=school_id, item_id=items[item],
                               type_ids={types[t] for t in needed})
    accounts = {u.username: u for u in session.scalars(select(User).where(User.school_id == school_id))}
    rng = random.Random(16)
    names = iter(person_names(rng, 60, taken={u.display_name for u in accounts.values()}))
    people: list[StaffMember] = []
    for unit, post, count, planned, contractor in STAFFING:
        setup.add_plan(session, actor="demo", school_id=school_id, data=setup.PlanInput(
            unit_id=units[unit], post_id=posts[post], shift="", headcount=planned,
            effective_from=today.replace(month=1, day=1)))
        for n in range(count):
            linked = accounts.get(DEMO_ELECTRICIANS[n]) if post == "electrician" and n < len(DEMO_ELECTRICIANS) else None
            people.append(register.create(session, actor="demo", school_id=school_id, data=register.StaffInput(
                number=f"HQ{len(people) + 1:04d}", name=linked.display_name if linked else next(names),
                unit_id=units[unit], post_id=posts[post],
                kind=EmploymentKind.outsourced if contractor and n % 3 != 2 else EmploymentKind.own,
                contractor=contractor if contractor and n % 3 != 2 else "", phone=f"139{rng.randrange(10**8):08d}",
                started_on=today - timedelta(days=rng.randrange(60, 2000)), user_id=linked.id if linked else None)))
    leaver = people[8]  # a cleaner who left last month: kept in the register, no longer counted
    register.leave(session, actor="demo", person=leaver, left_on=today - timedelta(days=25), reason="合同到期")
    _certify(session, host, people, posts, types, today, rng)
    return True


def _certify(session: Session, host: Host, people: list[StaffMember], posts: dict[str, int], types: dict[str, int],
             today: date, rng: random.Random) -> None:
    """Each person on a post that requires a certificate holds one: a few expire within 30 days, one electrician's
    (not a demo user's) has expired."""
    by_post = {post_id: POST_NEEDS.get(code, []) for code, post_id in posts.items()}
    certified = [p for p in people if p.left_on is None and by_post.get(p.post_id or 0)]
    for n, person in enumerate(certified):
        code = by_post[person.post_id or 0][0]
        if person.post_id == posts["electrician"] and n == 4:
            until = today - timedelta(days=12)  # expired
        elif n % 6 == 3:
            until = today + timedelta(days=rng.randrange(5, 29))  # expiring within the month
        else:
            until = today + timedelta(days=rng.randrange(120, 1500))
        issuer = {"op": "应急管理局", "eq": "市场监督管理局", "he": "疾控中心"}.get(code[:2], "消防救援支队")
        since = min(until - timedelta(days=365 * 3), today - timedelta(days=rng.randrange(30, 700)))
        certificates.add(session, host, actor="demo", user_id=None, person=person, data=certificates.CertificateInput(
            type_id=types[code], number=f"{code.upper()}-{2020 + n % 6}-{rng.randrange(10**6):06d}", issuer=issuer,
            valid_from=since, valid_until=until))
