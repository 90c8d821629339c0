"""The demo school's duty: five posts, patrol routes, the equipment whose readings are watched, weekly rotating
night and day shifts from a week ago to two weeks ahead, the last day's check-ins and patrols (one patrol missed),
a day of boiler readings (one spell too hot), and what the watch finds in them: anomalies with their PDCA."""
from __future__ import annotations

import secrets
from datetime import time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.clock import now
from engine.host import Host
from rules.store import RuleStore
from workflows.catalogue.models import Building
from workflows.duty import readings, roster, watch
from workflows.duty.enums import EquipmentKind, PostKind, ScanKind, ScanSource
from workflows.duty.models import Equipment, Point, Post, Route, Scan, Shift, ShiftTemplate
from workflows.modules.contract import DemoSetting
from workflows.people.enums import UnitKind
from workflows.people.models import OrgUnit, User
from workflows.people.timezone import local_today

POSTS = (  # code, name, kind, night, place, patrol points
    ("D1", "1号公寓夜班值班", PostKind.dorm_night_desk, True, "1号公寓一楼值班室", ("一楼大厅", "三楼消防通道", "五楼天台门")),
    ("S1", "东门保安岗", PostKind.security, True, "学校东门", ("东门岗亭", "图书馆北侧", "停车场")),
    ("B1", "锅炉房值班", PostKind.boiler_room, True, "锅炉房", ("锅炉间", "水泵房")),
    ("P1", "配电房值班", PostKind.power_room, False, "1号配电房", ("高压室", "低压室")),
    ("M1", "监控中心", PostKind.monitoring_centre, False, "后勤楼二楼监控室", ()),
)
EQUIPMENT = (  # code, name, kind, post code
    ("BOILER-1", "1号燃气锅炉", EquipmentKind.boiler, "B1"),
    ("TANK-1", "1号公寓屋顶水箱", EquipmentKind.water_tank, "D1"),
    ("POWER-1", "1号配电房", EquipmentKind.power_room, "P1"),
    ("FIRE-1", "1号公寓消防主机", EquipmentKind.fire_panel, "M1"),
)
ROTATION = ("worker", "clerk", "repair")


def seed_demo(session: Session, demo: DemoSetting) -> None:
    """The duty module's part of the demo (its :attr:`ProcessModule.demo`)."""
    seed_duty(session, demo.host, demo.rules, school_id=demo.school_id)


def seed_duty(session: Session, host: Host, store: RuleStore, *, school_id: int) -> None:
    today, at = local_today(session, school_id), now()
    unit = session.scalar(select(OrgUnit.id).where(OrgUnit.school_id == school_id, OrgUnit.kind == UnitKind.service_unit))
    buildings = list(session.scalars(select(Building.id).where(Building.school_id == school_id).order_by(Building.id)))
    people = [session.scalar(select(User.id).where(User.username == name)) for name in ROTATION]
    posts: dict[str, Post] = {}
    for index, (code, name, kind, night, place, points) in enumerate(POSTS):
        post = Post(school_id=school_id, code=code, name=name, kind=kind, night=night, unit_id=unit,
                    building_id=buildings[index % len(buildings)] if buildings else None, place=place,
                    instructions="按时巡查，发现异常立即报告值班领导。", token=secrets.token_urlsafe(12), active=True)
        session.add(post)
        session.flush()
        posts[code] = post
        if points:
            route = Route(school_id=school_id, post_id=post.id, name=f"{name}巡查路线")
            session.add(route)
            session.flush()
            session.add_all(Point(school_id=school_id, route_id=route.id, code=f"{code}-{n}", name=p, position=n,
                                  token=secrets.token_urlsafe(12)) for n, p in enumerate(points, start=1))
        first = today - timedelta(days=today.weekday() + 7)
        turn = [people[(index + k) % len(people)] for k in range(len(people))]
        session.add(ShiftTemplate(school_id=school_id, post_id=post.id, name="夜班", starts=time(22), ends=time(6),
                                  weekdays=list(range(7)), rotation=turn, valid_from=first))
        if not night:
            session.add(ShiftTemplate(school_id=school_id, post_id=post.id, name="白班", starts=time(8), ends=time(20),
                                      weekdays=[0, 1, 2, 3, 4], rotation=turn[1:] + turn[:1], valid_from=first))
    session.add_all(Equipment(school_id=school_id, code=code, name=name, kind=kind, post_id=posts[post].id, unit_id=unit,
                              place=posts[post].name, maintenance_due=today + timedelta(days=30 * (n + 1)), limits={},
                              active=True) for n, (code, name, kind, post) in enumerate(EQUIPMENT))
    session.flush()
    roster.generate(session, school_id=school_id, start=today - timedelta(days=7), days=21)
    _last_day(session, store, at)
    book = store.book(session, school_id)
    batch = [{"device": "BOILER-1", "metric": "boiler_temperature", "at": (at - timedelta(hours=h)).isoformat(),
              "value": 97.0 if 5 <= h <= 6 else 78.0 + h % 4} for h in range(24)]
    batch += [{"device": "TANK-1", "metric": "water_tank_level", "at": (at - timedelta(hours=h)).isoformat(),
               "value": 60.0 + h % 10} for h in range(24)]
    readings.ingest(session, host, book, school_id=school_id, batch=batch, actor="demo")
    watch.run(session, host, store, at)


def _last_day(session: Session, store: RuleStore, at) -> None:  # type: ignore[no-untyped-def]
    """Check-ins and patrols of the shifts of the last day, each point at every due time but one."""
    shifts = session.scalars(select(Shift).where(Shift.starts_at <= at, Shift.ends_at >= at - watch.LOOKBACK,
                                                 Shift.user_id.is_not(None)))
    skipped = False
    for shift in shifts:
        book = store.book(session, shift.school_id)
        shift.checked_in_at = shift.last_seen_at = shift.starts_at + timedelta(minutes=3)
        session.add(Scan(school_id=shift.school_id, shift_id=shift.id, user_id=shift.user_id, kind=ScanKind.check_in,
                         at=shift.checked_in_at, source=ScanSource.phone))
        points = session.scalars(select(Point).join(Route).where(Route.post_id == shift.post_id))
        for point in points:
            for due in watch.due_times(shift, book):
                scanned = due - timedelta(minutes=12)
                if scanned > at or (not skipped and due < at - timedelta(hours=3)):
                    skipped = skipped or scanned <= at
                    continue
                session.add(Scan(school_id=shift.school_id, shift_id=shift.id, user_id=shift.user_id,
                                 kind=ScanKind.patrol, point_id=point.id, at=scanned, source=ScanSource.phone))
                shift.last_seen_at = max(shift.last_seen_at or scanned, scanned)
    session.flush()
