"""Staffing (编制) and the staffing rate (满编率): active staff ÷ planned headcount, per unit and post, rolled up
per unit, per post and per campus (the unit's campus), on any day — so the rate can be read over time.

A person counts on a day from their start date until the day before they leave, on their post in their unit; a plan
counts from ``effective_from`` to ``effective_until``, its shifts added up. The hourly check compares each unit's
post with the rule ``staff.staffing.min_percent``: the first time a post falls below it a shortfall episode opens
and the unit's leader (rule ``staff.leader.role``) is told once; the episode closes when the rate is back.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from engine.audit import record
from engine.db import locking
from engine.host import Host
from engine.outbox import queue
from rules.store import RuleStore
from workflows.people.models import OrgUnit
from workflows.people.timezone import local_date, school_zone
from workflows.staff.enums import StaffAction
from workflows.staff.models import Post, StaffingPlan, StaffingShortfall, StaffMember, in_service_on

SHORTFALL_KIND = "staff.shortfall"


@dataclass(frozen=True)
class Staffing:
    """Planned and active headcount of one group (a unit's post, a unit, a post, a campus)."""

    planned: int
    active: int

    @property
    def rate(self) -> float | None:
        """Active ÷ planned; None where nothing is planned."""
        return self.active / self.planned if self.planned else None

    def __add__(self, other: Staffing) -> Staffing:
        return Staffing(self.planned + other.planned, self.active + other.active)


def planned(session: Session, *, school_id: int, on: date) -> dict[tuple[int, int], int]:
    """Planned headcount in force on ``on`` per (unit, post), all shifts added up."""
    stmt = (select(StaffingPlan.unit_id, StaffingPlan.post_id, func.sum(StaffingPlan.headcount))
            .where(StaffingPlan.school_id == school_id, StaffingPlan.effective_from <= on,
                   StaffingPlan.effective_until.is_(None) | (StaffingPlan.effective_until >= on))
            .group_by(StaffingPlan.unit_id, StaffingPlan.post_id))
    return {(unit, post): int(total) for unit, post, total in session.execute(stmt)}


def active(session: Session, *, school_id: int, on: date) -> dict[tuple[int, int], int]:
    """People in service on ``on`` per (unit, post)."""
    stmt = (select(StaffMember.unit_id, StaffMember.post_id, func.count(StaffMember.id))
            .where(StaffMember.school_id == school_id, StaffMember.post_id.is_not(None), in_service_on(on))
            .group_by(StaffMember.unit_id, StaffMember.post_id))
    return {(unit, post): int(count) for unit, post, count in session.execute(stmt) if post is not None}


def by_unit_and_post(session: Session, *, school_id: int, on: date) -> dict[tuple[int, int], Staffing]:
    """Every (unit, post) that has a plan or people on ``on``."""
    plans, people = planned(session, school_id=school_id, on=on), active(session, school_id=school_id, on=on)
    return {key: Staffing(plans.get(key, 0), people.get(key, 0)) for key in plans.keys() | people.keys()}


def rolled_up(rows: dict[tuple[int, int], Staffing], group: Iterable[tuple[tuple[int, int], int | None]]) -> dict[int | None, Staffing]:
    """``rows`` added up by the group each key falls in (``group`` pairs each key with its group)."""
    totals: dict[int | None, Staffing] = defaultdict(lambda: Staffing(0, 0))
    for key, target in group:
        totals[target] = totals[target] + rows[key]
    return dict(totals)


def by_unit(rows: dict[tuple[int, int], Staffing]) -> dict[int | None, Staffing]:
    return rolled_up(rows, ((key, key[0]) for key in rows))


def by_post(rows: dict[tuple[int, int], Staffing]) -> dict[int | None, Staffing]:
    return rolled_up(rows, ((key, key[1]) for key in rows))


def by_campus(session: Session, rows: dict[tuple[int, int], Staffing]) -> dict[int | None, Staffing]:
    """By the campus of each unit (None: units of no campus)."""
    campus = {unit_id: campus_id for unit_id, campus_id in
              session.execute(select(OrgUnit.id, OrgUnit.campus_id).where(OrgUnit.id.in_({k[0] for k in rows})))}
    return rolled_up(rows, ((key, campus.get(key[0])) for key in rows))


def total(rows: dict[tuple[int, int], Staffing]) -> Staffing:
    return sum(rows.values(), Staffing(0, 0))


def check_school(session: Session, host: Host, store: RuleStore, *, school_id: int, at: datetime) -> int:
    """Open or close the school's shortfall episodes for today; tell each new one's leader. Returns episodes opened."""
    book = store.book(session, school_id)
    threshold, leader = int(book.value("staff.staffing.min_percent")), str(book.value("staff.leader.role"))
    today = local_date(at, school_zone(session, school_id))
    rows = by_unit_and_post(session, school_id=school_id, on=today)
    open_ = {(s.unit_id, s.post_id): s for s in session.scalars(locking(session, select(StaffingShortfall).where(
        StaffingShortfall.school_id == school_id, StaffingShortfall.ended_on.is_(None))))}
    opened = 0
    for key, staffing in rows.items():
        short = staffing.planned > 0 and staffing.active * 100 < threshold * staffing.planned
        episode = open_.pop(key, None)
        if short and episode is None:
            episode = StaffingShortfall(school_id=school_id, unit_id=key[0], post_id=key[1], started_on=today,
                                        active=staffing.active, planned=staffing.planned, notified_at=at)
            session.add(episode)
            session.flush()
            queue(session, host.dispatcher, channel="inapp", kind=SHORTFALL_KIND, school_id=school_id,
                  recipients={"roles": [leader], "users": [], "org_unit_id": key[0]},
                  dedup_key=f"{SHORTFALL_KIND}:{episode.id}",
                  payload={"unit_id": key[0], "post_id": key[1], "active": staffing.active, "planned": staffing.planned,
                           "title": _title(session, episode)})
            _audit(session, StaffAction.shortfall_found, episode)
            opened += 1
        elif not short and episode is not None:
            _end(session, episode, today)
    for episode in open_.values():  # the plan ended: no shortfall any more
        _end(session, episode, today)
    return opened


def _title(session: Session, episode: StaffingShortfall) -> str:
    unit, post = session.get(OrgUnit, episode.unit_id), session.get(Post, episode.post_id)
    return f"{unit.name if unit else ''} · {post.name_zh if post else ''} {episode.active}/{episode.planned}"


def _end(session: Session, episode: StaffingShortfall, today: date) -> None:
    episode.ended_on = today
    _audit(session, StaffAction.shortfall_ended, episode)


def _audit(session: Session, action: str, episode: StaffingShortfall) -> None:
    record(session, action=action, actor="system", school_id=episode.school_id, details={
        "target": f"unit:{episode.unit_id}", "post_id": episode.post_id, "active": episode.active,
        "planned": episode.planned, "started_on": episode.started_on.isoformat(),
        "ended_on": episode.ended_on.isoformat() if episode.ended_on else None})


def check_all(session: Session, host: Host, store: RuleStore, *, at: datetime) -> int:
    """The staffing check for every school that keeps staffing plans."""
    schools = session.scalars(select(StaffingPlan.school_id).distinct())
    return sum(check_school(session, host, store, school_id=school_id, at=at) for school_id in list(schools))
