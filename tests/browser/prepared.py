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


def a_checklist(data_dir: Path) -> str:
    """The name of a cleaning checklist of the demo school: two pass/fail items (the second needs a photo when it
    fails) and one scored by deductions."""
    import webapp
    import webapp.config
    from engine.db import unit_of_work
    from workflows.inspections.checklists import ChecklistEntry, ItemEntry, save_checklist
    from workflows.people.models import User

    app = webapp.create_app(settings=webapp.config.Settings.from_env({"HOUQIN_DATA_DIR": str(data_dir)}))
    runtime = app.extensions["houqin"]
    try:
        with unit_of_work(runtime.host.session_factory) as session:
            school_id = session.scalar(select(User.school_id).where(User.username == "supervisor"))
            return save_checklist(session, school_id=school_id, actor="admin", entry=ChecklistEntry(
                name="楼道保洁抽查", service_type="cleaning", items=[
                    ItemEntry("卫生间无异味、无积水", standard="《保洁服务标准》第3条：卫生间每两小时保洁一次"),
                    ItemEntry("楼道地面干净无垃圾", standard="地面无垃圾、无污渍", photo_required=True),
                    ItemEntry("垃圾桶按时清运", standard="垃圾不满溢，每日两次清运", scoring="points", points=20)])).name
    finally:
        runtime.db_engine.dispose()
