"""The roster: shifts made from a post's templates (weekly rotation), and the changes people ask for.

:func:`generate` is idempotent (one shift per post and start), so running it for a month that partly exists adds
only what is missing. A swap, a substitute or a leave is a :class:`RosterChange` that changes nothing until a
holder of ``duty.supervisor.role`` approves it (never the person who asked); approving re-checks the shifts under
row locks, so two approvals of crossing swaps cannot both land on a stale roster.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.audit import record as audit
from engine.clock import now
from engine.db import get_locked
from rules.book import RuleBook
from workflows.duty.enums import ChangeKind, ChangeStatus, DutyAction, ShiftStatus
from workflows.duty.models import Post, RosterChange, Shift, ShiftTemplate
from workflows.errors import FieldError
from workflows.i18n import N_
from workflows.people.models import User
from workflows.people.service import role_names
from workflows.people.timezone import school_zone


class RosterError(FieldError):
    """The roster change cannot be made; ``field`` names the input at fault."""


@dataclass(frozen=True)
class Slot:
    starts_at: datetime
    ends_at: datetime


def slot(template: ShiftTemplate, day: date, zone) -> Slot:  # type: ignore[no-untyped-def]
    """The template's shift that starts on ``day`` (school time), in UTC."""
    starts = datetime.combine(day, template.starts, zone)
    ends = datetime.combine(day + timedelta(days=1) if template.ends <= template.starts else day, template.ends, zone)
    return Slot(starts.astimezone(UTC), ends.astimezone(UTC))  # UTC: SQLite keeps no offset


def rostered(template: ShiftTemplate, day: date) -> int | None:
    """The person of ``day``'s week: the rotation turns once a week from the template's first day."""
    if not template.rotation:
        return None
    weeks = (day - template.valid_from).days // 7
    return int(template.rotation[weeks % len(template.rotation)])


def generate(session: Session, *, school_id: int, start: date, days: int, actor: str = "system") -> int:
    """Make the missing shifts of ``days`` days from ``start``; the number made."""
    zone = school_zone(session, school_id)
    templates = session.scalars(select(ShiftTemplate).where(ShiftTemplate.school_id == school_id))
    made = 0
    for template in templates:
        for offset in range(days):
            day = start + timedelta(days=offset)
            if day < template.valid_from or day.weekday() not in template.weekdays:
                continue
            window = slot(template, day, zone)
            exists = session.scalar(select(Shift.id).where(Shift.post_id == template.post_id,
                                                           Shift.starts_at == window.starts_at))
            if exists:
                continue
            person = rostered(template, day)
            session.add(Shift(school_id=school_id, post_id=template.post_id, template_id=template.id, user_id=person,
                              rostered_id=person, starts_at=window.starts_at, ends_at=window.ends_at,
                              status=ShiftStatus.planned, presence_plan=[]))
            made += 1
    session.flush()
    if made:
        audit(session, action=DutyAction.ROSTER_GENERATED, actor=actor, school_id=school_id,
              details={"from": start.isoformat(), "days": days, "shifts": made})
    return made


AHEAD_DAYS = 14


def generate_ahead(session: Session, at: datetime) -> int:
    """The shifts of every school with templates, from today to :data:`AHEAD_DAYS` ahead (the periodic job)."""
    schools = session.scalars(select(ShiftTemplate.school_id).distinct())
    return sum(generate(session, school_id=school, start=at.astimezone(school_zone(session, school)).date(),
                        days=AHEAD_DAYS) for school in list(schools))


def _shift_of_school(session: Session, shift_id: int | None, school_id: int) -> Shift | None:
    shift = session.get(Shift, shift_id) if shift_id else None
    return shift if shift is not None and shift.school_id == school_id else None


def request_change(session: Session, *, user: User, kind: str, shift_id: int, other_shift_id: int | None = None,
                   substitute_id: int | None = None, reason: str = "") -> RosterChange:
    """Ask for a change of one's own shift; RosterError (nothing stored) for bad input."""
    school_id = user.school_id or 0
    if kind not in set(ChangeKind):
        raise RosterError("kind", N_("unknown kind of change"))
    shift = _shift_of_school(session, shift_id, school_id)
    if shift is None or shift.user_id != user.id:
        raise RosterError("shift_id", N_("not your shift"))
    if shift.starts_at <= now():
        raise RosterError("shift_id", N_("the shift has started"))
    other = _shift_of_school(session, other_shift_id, school_id)
    if kind == ChangeKind.swap and (other is None or other.user_id in (None, user.id)):
        raise RosterError("other_shift_id", N_("choose someone else's shift to swap with"))
    substitute = session.get(User, substitute_id) if substitute_id else None
    if substitute_id and (substitute is None or substitute.school_id != school_id or substitute.id == user.id):
        raise RosterError("substitute_id", N_("no such person in this school"))
    if kind == ChangeKind.substitute and substitute is None:
        raise RosterError("substitute_id", N_("name who takes the shift"))
    if session.scalar(select(RosterChange.id).where(RosterChange.shift_id == shift.id,
                                                    RosterChange.status == ChangeStatus.pending)):
        raise RosterError("shift_id", N_("a change of this shift is waiting for approval already"))
    change = RosterChange(school_id=school_id, kind=kind, shift_id=shift.id,
                          other_shift_id=other.id if kind == ChangeKind.swap and other else None,
                          substitute_id=substitute.id if substitute else None, requested_by_id=user.id,
                          reason=reason.strip(), status=ChangeStatus.pending, created_at=now())
    session.add(change)
    session.flush()
    audit(session, action=DutyAction.CHANGE_REQUESTED, actor=user.username, school_id=school_id,
          details={"change": change.id, "kind": kind, "shift": shift.id, "other_shift": change.other_shift_id,
                   "substitute": change.substitute_id, "reason": change.reason})
    return change


def may_approve(book: RuleBook, user: User) -> bool:
    return str(book.value("duty.supervisor.role")) in role_names(user)


def decide(session: Session, book: RuleBook, *, user: User, change_id: int, approve: bool) -> RosterChange:
    """Approve (the roster changes) or refuse a pending change; only a supervisor other than the requester."""
    change = get_locked(session, RosterChange, change_id)
    if change is None or change.school_id != user.school_id:
        raise RosterError("change", N_("no such change"))
    if change.status != ChangeStatus.pending:
        raise RosterError("change", N_("this change was decided already"))
    if not may_approve(book, user) or change.requested_by_id == user.id:
        raise RosterError("change", N_("you may not decide on this change"))
    shift = get_locked(session, Shift, change.shift_id)
    other = get_locked(session, Shift, change.other_shift_id) if change.other_shift_id else None
    if approve:
        assert shift is not None
        if shift.user_id != change.requested_by_id or (other is not None and other.user_id in (None, shift.user_id)):
            raise RosterError("change", N_("the roster changed since this was asked; ask again"))
        if change.kind == ChangeKind.swap and other is not None:
            shift.user_id, other.user_id = other.user_id, shift.user_id
        elif change.substitute_id:
            shift.user_id = change.substitute_id
        else:
            shift.status, shift.user_id = ShiftStatus.on_leave, None
    change.status = ChangeStatus.approved if approve else ChangeStatus.refused
    change.decided_by_id, change.decided_at = user.id, now()
    audit(session, action=DutyAction.CHANGE_DECIDED, actor=user.username, school_id=change.school_id,
          details={"change": change.id, "kind": change.kind, "approved": approve, "shift": change.shift_id})
    return change


def posts(session: Session, school_id: int) -> list[Post]:
    return list(session.scalars(select(Post).where(Post.school_id == school_id, Post.active.is_(True))
                                .order_by(Post.code)))
