"""Shift templates per post and rosters per person and day, changed by supervisors, each change audited."""
from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.adminlog import record_change
from workflows.attendance.enums import AttendanceAction
from workflows.attendance.models import RosterEntry, Shift
from workflows.errors import FieldError
from workflows.i18n import N_
from workflows.staff.models import Post, StaffMember

MAX_ROSTER_DAYS = 62


def add_shift(session: Session, *, school_id: int, post_id: int, name: str, starts: time, ends: time, actor: str) -> Shift:
    """A shift template of a post; an end at or before the start is a night shift ending the next day."""
    post = session.get(Post, post_id)
    if post is None or post.school_id != school_id:
        raise FieldError("post_id", N_("Choose a post of this school."))
    if not name.strip():
        raise FieldError("name", N_("Give the shift a name."))
    if starts == ends:
        raise FieldError("ends", N_("A shift ends at another time than it starts."))
    shift = Shift(school_id=school_id, post_id=post_id, name=name.strip(), starts=starts, ends=ends)
    session.add(shift)
    session.flush()
    record_change(session, actor=actor, action=AttendanceAction.shift_saved, school_id=school_id,
                  target=f"shift:{shift.id}", after={"post_id": post_id, "name": shift.name,
                                                      "starts": starts.isoformat("minutes"), "ends": ends.isoformat("minutes")})
    return shift


def roster(session: Session, *, staff: StaffMember, shift: Shift, first: date, last: date, actor: str,
           weekdays: frozenset[int] = frozenset(range(7))) -> list[RosterEntry]:
    """Put ``staff`` on ``shift`` every chosen weekday (0 = Monday) from ``first`` to ``last``; days already on it stay."""
    if shift.school_id != staff.school_id:
        raise FieldError("shift_id", N_("Choose a shift of this school."))
    if last < first or (last - first).days >= MAX_ROSTER_DAYS:
        raise FieldError("last", N_("Choose a last day on or after the first, at most 62 days on."))
    held = set(session.scalars(select(RosterEntry.day).where(
        RosterEntry.staff_id == staff.id, RosterEntry.shift_id == shift.id, RosterEntry.day.between(first, last))))
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    entries = [RosterEntry(school_id=staff.school_id, staff_id=staff.id, shift_id=shift.id, day=day)
               for day in days if day.weekday() in weekdays and day not in held and staff.is_active(day)]
    session.add_all(entries)
    session.flush()
    record_change(session, actor=actor, action=AttendanceAction.roster_saved, school_id=staff.school_id,
                  target=f"staff:{staff.id}", after={"shift": shift.id, "first": first.isoformat(),
                                                      "last": last.isoformat(), "days": len(entries)})
    return entries


def shifts_of(session: Session, school_id: int, *, active_only: bool = True) -> list[Shift]:
    stmt = select(Shift).where(Shift.school_id == school_id).order_by(Shift.post_id, Shift.starts)
    return list(session.scalars(stmt.where(Shift.active.is_(True)) if active_only else stmt))
