"""Data prepared straight in the live server's database, for browser tests about a later page than the ones that
lead to it (the repair journey walks those in the browser): the same steps the page tests take (websupport.Site)."""
from __future__ import annotations

import sys
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "pages"))

from websupport import Site  # noqa: E402


def order_awaiting_rating(data_dir: Path) -> str:
    """The number of an order the demo requester reported and the demo worker repaired: its rating is open."""
    import webapp
    import webapp.config
    from workflows.people.models import User

    app = webapp.create_app(settings=webapp.config.Settings.from_env({"HOUQIN_DATA_DIR": str(data_dir)}))
    runtime = app.extensions["houqin"]
    try:
        with runtime.host.session_factory() as session:
            school_id = session.scalar(select(User.school_id).where(User.username == "requester"))
        return Site(app, traveller=None, school_id=school_id).done_job()
    finally:
        runtime.db_engine.dispose()


def a_building(data_dir: Path) -> tuple[int, int, str]:
    """Campus id, id and name of the demo school's first active building (what a room code names)."""
    import webapp
    import webapp.config
    from workflows.catalogue.models import Building

    app = webapp.create_app(settings=webapp.config.Settings.from_env({"HOUQIN_DATA_DIR": str(data_dir)}))
    runtime = app.extensions["houqin"]
    try:
        with runtime.host.session_factory() as session:
            building = session.scalar(select(Building).where(Building.active.is_(True)).order_by(Building.id))
            return building.campus_id, building.id, building.name
    finally:
        runtime.db_engine.dispose()


def an_open_survey(data_dir: Path) -> str:
    """The link key of a published canteen survey open now (the demo's questionnaire, with its "show if")."""
    from datetime import timedelta

    import webapp
    import webapp.config
    from engine.clock import now
    from engine.db import unit_of_work
    from workflows.demo_surveys import questionnaire
    from workflows.people.enums import UnitKind
    from workflows.people.models import OrgUnit, User
    from workflows.surveys import service

    app = webapp.create_app(settings=webapp.config.Settings.from_env({"HOUQIN_DATA_DIR": str(data_dir)}))
    runtime = app.extensions["houqin"]
    try:
        with unit_of_work(runtime.host.session_factory) as session:
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
    finally:
        runtime.db_engine.dispose()
