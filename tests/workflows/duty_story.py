"""Duty management in a scenario: a night desk with a patrol route of two points, a boiler, and night shifts for the
demo worker, at the demo company's school."""
from __future__ import annotations

from datetime import datetime, timedelta

from complaint_story import company_id
from sqlalchemy import select

from engine.db import unit_of_work
from workflows.duty import readings
from workflows.duty.enums import EquipmentKind, PostKind, ShiftStatus
from workflows.duty.models import Anomaly, Equipment, Point, Post, Route, Shift


def set_up_post(scenario, *, code: str = "NIGHT1") -> dict:
    """A dormitory night desk with two patrol points and a boiler; their ids and tokens."""
    with unit_of_work(scenario.host.session_factory) as session:
        post = Post(school_id=scenario.school_id, code=code, name="1号公寓夜班岗", kind=PostKind.dorm_night_desk,
                    place="1号公寓值班室", unit_id=company_id(scenario), night=True, instructions="",
                    token=f"post-{code}", active=True)
        session.add(post)
        session.flush()
        route = Route(school_id=scenario.school_id, post_id=post.id, name="夜间巡查路线")
        session.add(route)
        session.flush()
        points = [Point(school_id=scenario.school_id, route_id=route.id, code=f"{code}-P{i}", name=name, position=i,
                        token=f"point-{code}-{i}") for i, name in enumerate(["一楼大厅", "三楼消防通道"], start=1)]
        session.add_all(points)
        boiler = Equipment(school_id=scenario.school_id, code=f"{code}-B1", name="1号锅炉", kind=EquipmentKind.boiler,
                           place="锅炉房", unit_id=company_id(scenario), post_id=post.id, limits={}, active=True)
        session.add(boiler)
        session.flush()
        return {"post": post.id, "post_token": post.token, "points": [p.id for p in points],
                "point_tokens": [p.token for p in points], "boiler": boiler.code}


def add_shift(scenario, post_id: int, username: str, starts_at: datetime, hours: int = 8) -> int:
    person = scenario.user(username)
    with unit_of_work(scenario.host.session_factory) as session:
        shift = Shift(school_id=scenario.school_id, post_id=post_id, user_id=person.id, rostered_id=person.id,
                      starts_at=starts_at, ends_at=starts_at + timedelta(hours=hours), status=ShiftStatus.planned,
                      presence_plan=[])
        session.add(shift)
        session.flush()
        return shift.id


def anomalies(scenario, **where) -> list[Anomaly]:
    with unit_of_work(scenario.host.session_factory) as session:
        stmt = select(Anomaly).where(Anomaly.school_id == scenario.school_id).order_by(Anomaly.occurred_at, Anomaly.id)
        for name, value in where.items():
            stmt = stmt.where(getattr(Anomaly, name) == value)
        return list(session.scalars(stmt))


def send_readings(scenario, batch: list[dict], school_id: int | None = None) -> readings.Ingested:
    with unit_of_work(scenario.host.session_factory) as session:
        book = scenario.runtime.rules.book(session, school_id or scenario.school_id)
        return readings.ingest(session, scenario.host, book, school_id=school_id or scenario.school_id, batch=batch)
