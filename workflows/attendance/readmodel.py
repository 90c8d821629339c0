"""Rostered shifts with what they came to, the on-post rate (在岗率) per unit, post and day, and who is on post now.

One query each for the roster, the shifts and the check-ins of the period; the marks are computed in Python
(:mod:`workflows.attendance.marks`), so a month of a unit is a few thousand small rows, not a query per shift."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.attendance.enums import Mark
from workflows.attendance.marks import Grace, Outcome, outcome, window
from workflows.attendance.models import Checkin, CheckinPoint, RosterEntry, Shift
from workflows.people.timezone import school_zone
from workflows.staff.models import StaffMember


@dataclass(frozen=True)
class ShiftRow:
    entry: RosterEntry
    shift: Shift
    staff: StaffMember
    outcome: Outcome
    arrival: Checkin | None


def shift_rows(session: Session, school_id: int, grace: Grace, *, first: date, last: date, at: datetime,
               staff_ids: Iterable[int] | None = None, unit_id: int | None = None,
               post_id: int | None = None) -> list[ShiftRow]:
    """Every rostered shift of the school starting from ``first`` to ``last`` (optionally some people, a unit or a
    post), with its outcome at ``at``, ordered by day, shift start and person."""
    zone = school_zone(session, school_id)
    stmt = (select(RosterEntry, Shift, StaffMember).join(Shift, Shift.id == RosterEntry.shift_id)
            .join(StaffMember, StaffMember.id == RosterEntry.staff_id)
            .where(RosterEntry.school_id == school_id, RosterEntry.day.between(first, last))
            .order_by(RosterEntry.day, Shift.starts, StaffMember.name))
    if staff_ids is not None:
        stmt = stmt.where(RosterEntry.staff_id.in_(list(staff_ids)))
    if unit_id is not None:
        stmt = stmt.where(StaffMember.unit_id == unit_id)
    if post_id is not None:
        stmt = stmt.where(Shift.post_id == post_id)
    roster = session.execute(stmt).all()
    if not roster:
        return []
    windows = {entry.id: window(entry.day, shift.starts, shift.ends, zone) for entry, shift, _staff in roster}
    earliest = min(w.start for w in windows.values()) - grace.opens_before
    latest = max(w.end for w in windows.values()) + grace.closes_after
    checkins: dict[int, list[Checkin]] = defaultdict(list)
    for checkin in session.scalars(select(Checkin).where(
            Checkin.school_id == school_id, Checkin.staff_id.in_({staff.id for _e, _s, staff in roster}),
            Checkin.cancelled_at.is_(None), Checkin.at.between(earliest, latest)).order_by(Checkin.at)):
        checkins[checkin.staff_id].append(checkin)
    rows = []
    for entry, shift, staff in roster:
        theirs = checkins[staff.id]
        result = outcome(windows[entry.id], [c.at for c in theirs], at, grace)
        arrival = next((c for c in theirs if c.at == result.arrived), None)
        rows.append(ShiftRow(entry, shift, staff, result, arrival))
    return rows


@dataclass(frozen=True)
class Rate:
    """The on-post rate of a group on a day: shifts started with the person there ÷ shifts started."""

    key: object  # a unit id, a post id or a day
    rostered: int
    present: int

    @property
    def rate(self) -> float | None:
        return self.present / self.rostered if self.rostered else None


def rates(rows: Iterable[ShiftRow], by: str) -> list[Rate]:
    """On-post rates of started shifts grouped ``by`` ``unit``, ``post`` or ``day``."""
    pick = {"unit": lambda r: r.staff.unit_id, "post": lambda r: r.shift.post_id, "day": lambda r: r.entry.day}[by]
    rostered: dict[object, int] = defaultdict(int)
    present: dict[object, int] = defaultdict(int)
    for row in rows:
        if not row.outcome.started:
            continue
        key = pick(row)
        rostered[key] += 1
        present[key] += row.outcome.present
    return [Rate(key, rostered[key], present[key]) for key in rostered]


def on_post_now(session: Session, school_id: int, grace: Grace, at: datetime) -> dict[int | None, list[ShiftRow]]:
    """People whose shift is under way and who arrived and have not left, by the building of their check-in."""
    today = at.astimezone(school_zone(session, school_id)).date()
    rows = [row for row in shift_rows(session, school_id, grace, first=today - timedelta(days=1), last=today, at=at)
            if Mark.ongoing in row.outcome.marks and row.outcome.present]
    points = {p.id: p for p in session.scalars(select(CheckinPoint).where(CheckinPoint.school_id == school_id))}
    grouped: dict[int | None, list[ShiftRow]] = defaultdict(list)
    for row in rows:
        point = points.get(row.arrival.point_id) if row.arrival and row.arrival.point_id else None
        grouped[point.building_id if point else None].append(row)
    return dict(grouped)
