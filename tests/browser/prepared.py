"""Data prepared straight in the live server's database, for browser tests about a later page than the ones that
lead to it (the repair journey walks those in the browser): the same steps the page tests take (websupport.Site)."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select, update
from websupport import Site


@contextmanager
def _app(data_dir: Path) -> Iterator[Any]:
    """The web app over the live server's data dir, its connections closed afterwards."""
    import webapp
    import webapp.config

    app = webapp.create_app(settings=webapp.config.Settings.from_env({"HOUQIN_DATA_DIR": str(data_dir)}))
    try:
        yield app
    finally:
        app.extensions["houqin"].db_engine.dispose()


def order_awaiting_rating(data_dir: Path) -> str:
    """The number of an order the demo requester reported and the demo worker repaired: its rating is open."""
    from workflows.people.models import User

    with _app(data_dir) as app:
        with app.extensions["houqin"].host.session_factory() as session:  # closed before the steps write
            school_id = session.scalar(select(User.school_id).where(User.username == "requester"))
        return Site(app, traveller=None, school_id=school_id).done_job()


def a_building(data_dir: Path) -> tuple[int, int, str]:
    """Campus id, id and name of the demo school's first active building (what a room code names)."""
    from workflows.catalogue.models import Building

    with _app(data_dir) as app, app.extensions["houqin"].host.session_factory() as session:
        building = session.scalar(select(Building).where(Building.active.is_(True)).order_by(Building.id))
        return building.campus_id, building.id, building.name


def an_open_survey(data_dir: Path) -> str:
    """The link key of a published canteen survey open now (the demo's questionnaire, with its "show if")."""
    from engine.clock import now
    from engine.db import unit_of_work
    from workflows.demo_surveys import questionnaire
    from workflows.people.enums import UnitKind
    from workflows.people.models import OrgUnit, User
    from workflows.surveys import service

    with _app(data_dir) as app, unit_of_work(app.extensions["houqin"].host.session_factory) as session:
        runtime = app.extensions["houqin"]
        author = session.scalar(select(User).where(User.username == "supervisor"))
        unit = session.scalar(select(OrgUnit.id).where(OrgUnit.school_id == author.school_id,
                                                       OrgUnit.kind == UnitKind.service_unit))
        draft = service.Draft(title_zh="第一食堂就餐满意度调查", title_en="First canteen: diners' survey",
                              intro_zh="感谢您抽出两分钟填写问卷。", intro_en="Thank you for two minutes of your time.",
                              unit_id=unit, audience="diners", audience_text="第一食堂",
                              opens_at=now() - timedelta(hours=1), closes_at=now() + timedelta(days=7))
        survey = service.create(session, school_id=author.school_id, draft=draft, author=author)
        service.save_questions(session, survey, questionnaire(unit), author=author)
        service.publish(session, runtime.host, survey, author=author)
        return survey.link_key


def a_checklist(data_dir: Path) -> str:
    """The name of a cleaning checklist of the demo school: two pass/fail items (the second needs a photo when it
    fails) and one scored by deductions."""
    from engine.db import unit_of_work
    from workflows.inspections.checklists import ChecklistEntry, ItemEntry, save_checklist
    from workflows.people.models import User

    with _app(data_dir) as app, unit_of_work(app.extensions["houqin"].host.session_factory) as session:
        school_id = session.scalar(select(User.school_id).where(User.username == "supervisor"))
        return save_checklist(session, school_id=school_id, actor="admin", entry=ChecklistEntry(
            name="楼道保洁抽查", service_type="cleaning", items=[
                ItemEntry("卫生间无异味、无积水", standard="《保洁服务标准》第3条：卫生间每两小时保洁一次"),
                ItemEntry("楼道地面干净无垃圾", standard="地面无垃圾、无污渍", photo_required=True),
                ItemEntry("垃圾桶按时清运", standard="垃圾不满溢，每日两次清运", scoring="points", points=20)])).name


def attended_staff(data_dir: Path) -> dict:
    """In the demo school: a dormitory post with a kiosk and a QR code, 巴拉克 (D001, the worker's account) enrolled from
    obama.jpg and on a shift that started an hour ago (checked in), absent from the same shift the two days before."""
    from datetime import date, datetime, time

    from engine.clock import now
    from engine.db import unit_of_work
    from tests.faces import pictures
    from workflows.attendance import checkins, enrolment, rosters
    from workflows.attendance.enums import PointKind
    from workflows.attendance.points import add_point
    from workflows.catalogue.models import Building
    from workflows.people.models import User
    from workflows.people.timezone import school_zone
    from workflows.staff.models import Post, StaffMember

    with _app(data_dir) as app:
        runtime = app.extensions["houqin"]
        with unit_of_work(runtime.host.session_factory) as session:
            worker = session.scalar(select(User).where(User.username == "worker"))
            session.execute(update(StaffMember).where(StaffMember.user_id == worker.id).values(user_id=None))  # the demo's link
            school = worker.school_id
            post = Post(school_id=school, code="dorm", name_zh="宿舍管理员", name_en="Dormitory keeper")
            session.add(post)
            session.flush()
            building = session.scalar(select(Building).where(Building.school_id == school).order_by(Building.id))
            person = StaffMember(school_id=school, unit_id=worker.roles[0].org_unit_id, post_id=post.id, number="D001",
                                 name="巴拉克", user_id=worker.id, started_on=date(2024, 1, 1))
            session.add(person)
            session.flush()
            kiosk, token = add_point(session, school_id=school, kind=PointKind.kiosk, name="一号楼大厅平板", post_id=post.id,
                                     building_id=building.id, actor="admin", user_id=None)
            qr, _none = add_point(session, school_id=school, kind=PointKind.post_qr, name="一号楼值班台", post_id=post.id,
                                  building_id=building.id, actor="admin", user_id=None)
            local = now().astimezone(school_zone(session, school))
            starts = (local - timedelta(hours=1)).time().replace(second=0, microsecond=0)
            shift = rosters.add_shift(session, school_id=school, post_id=post.id, name="白班", starts=starts,
                                      ends=time((starts.hour + 8) % 24, starts.minute), actor="admin")
            started_on = (local - timedelta(hours=1)).date()
            rosters.roster(session, staff=person, shift=shift, first=started_on - timedelta(days=2), last=started_on, actor="admin")
            arrived = datetime.combine(started_on, starts, local.tzinfo) + timedelta(minutes=2)
            checkins.correct(session, runtime.rules, staff=person, at=arrived, post_id=post.id, reason="平板维修中，补录",
                             actor="supervisor", user_id=None)
            enrolment.enrol(session, staff=person, photos=[pictures.photo_bytes("obama")], consent=True, note="书面同意",
                            actor="admin", user_id=None)
            prepared = {"token": token, "kiosk_id": kiosk.id, "code": qr.code, "staff_id": person.id}
        enrolment.encode_waiting(runtime.host.session_factory, runtime.rules)
        return prepared
