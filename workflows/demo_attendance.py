"""The demo school's attendance: the dormitory keepers, cleaners and guards of the staff register on their shifts
(a night shift across midnight among them) for the last two weeks and the next one, clocked in and out by a
vendor's terminal at each post, so "who is on post now", the on-post rate, the calendar and the monthly sheet show
a plausible fortnight: mostly on time, a few late arrivals, early leaves, forgotten check-outs and absences.

Each clocking is recorded at its own moment (time travel, as the repair demo's open orders are replayed), so the
audit log and every date read as they would have happened; nothing is dated after now.
"""
from __future__ import annotations

import random
from datetime import datetime, time, timedelta

import time_machine
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.clock import now
from workflows.attendance import checkins, rosters
from workflows.attendance.enums import PointKind
from workflows.attendance.marks import Window, window
from workflows.attendance.models import CheckinPoint, Shift
from workflows.attendance.points import add_point
from workflows.catalogue.models import Building
from workflows.modules.contract import DemoSetting
from workflows.people.timezone import local_today, school_zone
from workflows.staff.models import Post, StaffMember

# post code: (the terminal's place, its shifts as (name, starts, ends))
SHIFTS = {
    "dorm_keeper": ("宿舍楼值班室考勤机", [("白班", time(8), time(16)), ("夜班", time(22), time(6))]),
    "cleaner": ("保洁工具间考勤机", [("早班", time(6, 30), time(14, 30))]),
    "guard": ("东门岗亭考勤机", [("白班", time(8), time(20)), ("夜班", time(20), time(8))]),
}
DAYS_BACK, DAYS_AHEAD = 13, 6
ABSENT, LATE, EARLY, NO_CHECKOUT = 0.03, 0.08, 0.03, 0.03


def seed_attendance(session: Session, demo: DemoSetting, *, seed: int = 7) -> bool:
    """Shifts, rosters and a fortnight of clockings, once; False if the school has shifts already or no register."""
    school_id = demo.school_id
    if session.scalar(select(Shift.id).where(Shift.school_id == school_id)):
        return False
    posts = {p.code: p for p in session.scalars(select(Post).where(Post.school_id == school_id, Post.code.in_(SHIFTS)))}
    building = session.scalar(select(Building).where(Building.school_id == school_id, Building.active.is_(True))
                              .order_by(Building.id))
    if not posts or building is None:
        return False
    today, zone, rng = local_today(session, school_id), school_zone(session, school_id), random.Random(seed)
    clockings: list[tuple[datetime, CheckinPoint, str]] = []
    for code, post in posts.items():
        place, templates = SHIFTS[code]
        point, _token = add_point(session, school_id=school_id, kind=PointKind.terminal, name=place, post_id=post.id,
                                  building_id=building.id, actor="demo", user_id=None)
        shifts = [rosters.add_shift(session, school_id=school_id, post_id=post.id, name=name, starts=starts, ends=ends,
                                    actor="demo") for name, starts, ends in templates]
        people = session.scalars(select(StaffMember).where(StaffMember.school_id == school_id,
                                                           StaffMember.post_id == post.id).order_by(StaffMember.number))
        for n, person in enumerate(p for p in people if p.is_active(today)):
            shift = shifts[n % len(shifts)]
            entries = rosters.roster(session, staff=person, shift=shift, first=today - timedelta(days=DAYS_BACK),
                                     last=today + timedelta(days=DAYS_AHEAD), actor="demo",
                                     weekdays=frozenset(d for d in range(7) if d != n % 7))  # one day off a week
            for entry in entries:
                clockings += [(at, point, person.number)
                              for at in _clockings(window(entry.day, shift.starts, shift.ends, zone), rng)]
    session.flush()
    for at, point, number in sorted(clockings, key=lambda c: c[0]):
        with time_machine.travel(at, tick=False):
            checkins.by_number(session, demo.rules, point=point, number=number)
    return True


def _clockings(shift: Window, rng: random.Random) -> list[datetime]:
    """When the person clocked in and out for ``shift``, up to now: on time mostly, sometimes late, early, absent
    or without clocking out."""
    if shift.start > now() or rng.random() < ABSENT:
        return []
    late = rng.random() < LATE
    arrived = shift.start + timedelta(minutes=rng.randint(6, 25) if late else rng.randint(-12, 2))
    out = shift.end - timedelta(minutes=rng.randint(20, 45)) if rng.random() < EARLY else \
        shift.end + timedelta(minutes=rng.randint(0, 15))
    times = [arrived] + ([out] if rng.random() >= NO_CHECKOUT else [])
    return [at for at in times if at <= now()]
