"""Proof of presence from the person on duty's phone, or a patrol device's export.

A code posted at the post (its ``token``) proves being there: checking in at the shift's start and answering a
night presence check both scan it. Where a face kiosk or terminal of the attendance module stands in the post's
building, a face check-in there by the person on duty is the shift's check-in too (:func:`face_check_in`).

A patrol point's code proves the patrol; a point not on the route of the shift's post, or another school's code,
is refused. A device's export (CSV: point code, person's number, time) is imported row by row with every problem
named; a row already stored is skipped, so importing a file twice stores nothing twice.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine.audit import record as audit
from engine.clock import now
from engine.db import locking
from engine.host import Host
from rules.book import RuleBook
from workflows.attendance.enums import PointKind
from workflows.attendance.models import Checkin, CheckinPoint
from workflows.duty import anomalies
from workflows.duty.enums import AnomalyKind, DutyAction, ScanKind, ScanSource, ShiftStatus
from workflows.duty.models import Anomaly, Handover, Point, Post, PresenceCheck, Scan, Shift
from workflows.errors import FieldError
from workflows.i18n import N_
from workflows.people.models import User
from workflows.staff.models import StaffMember

EARLY = timedelta(hours=1)  # a shift can be checked into this long before it starts
FACE_POINTS = (PointKind.kiosk, PointKind.terminal)  # attendance points that see the face (not a phone at a QR code)


class PresenceError(FieldError):
    """The scan or answer is refused; ``field`` names the input at fault."""


def current_shift(session: Session, user: User, at: datetime) -> Shift | None:
    """The user's shift at ``at`` (or starting within the hour)."""
    return session.scalar(select(Shift).where(
        Shift.school_id == user.school_id, Shift.user_id == user.id, Shift.status == ShiftStatus.planned,
        Shift.starts_at <= at + EARLY, Shift.ends_at > at).order_by(Shift.starts_at))


def _on_duty(session: Session, user: User, at: datetime) -> Shift:
    shift = current_shift(session, user, at)
    if shift is None:
        raise PresenceError("shift", N_("you are not on duty now"))
    return shift


def _post_by_token(session: Session, user: User, token: str) -> Post:
    post = session.scalar(select(Post).where(Post.token == token.strip()))
    if post is None or post.school_id != user.school_id:
        raise PresenceError("code", N_("this code is not a duty post of your school"))
    return post


def _seen(shift: Shift, at: datetime) -> None:
    shift.last_seen_at = max(filter(None, [shift.last_seen_at, at]))


def check_in(session: Session, *, user: User, token: str, at: datetime | None = None) -> Shift:
    """Check in at the start of the shift by scanning the post's code."""
    at = at or now()
    post = _post_by_token(session, user, token)
    shift = _on_duty(session, user, at)
    if shift.post_id != post.id:
        raise PresenceError("code", N_("this is not the post of your shift"))
    shift = session.scalar(locking(session, select(Shift).where(Shift.id == shift.id)))  # type: ignore[assignment]
    if shift.checked_in_at is None:
        shift.checked_in_at = at
        session.add(Scan(school_id=shift.school_id, shift_id=shift.id, user_id=user.id, kind=ScanKind.check_in,
                         at=at, source=ScanSource.phone))
        audit(session, action=DutyAction.CHECKED_IN, actor=user.username, school_id=shift.school_id,
              details={"shift": shift.id, "post": post.id, "at": at.isoformat()})
    _seen(shift, at)
    return shift


def face_check_in(session: Session, shift: Shift) -> bool:
    """Take the first face check-in of the person on duty at a kiosk or terminal in the building of the shift's
    post, from an hour before the shift starts until it ends, as the shift's check-in (the watch asks before it
    calls a check-in missed). False when there is none, or the post names no building."""
    post = session.get(Post, shift.post_id)
    if shift.checked_in_at is not None or shift.user_id is None or post is None or post.building_id is None:
        return False
    found = session.execute(
        select(Checkin.at, CheckinPoint.id).join(CheckinPoint, CheckinPoint.id == Checkin.point_id)
        .join(StaffMember, StaffMember.id == Checkin.staff_id)
        .where(Checkin.school_id == shift.school_id, StaffMember.user_id == shift.user_id,
               CheckinPoint.building_id == post.building_id, CheckinPoint.kind.in_(FACE_POINTS),
               Checkin.cancelled_at.is_(None),
               Checkin.at >= shift.starts_at - EARLY, Checkin.at < shift.ends_at)
        .order_by(Checkin.at).limit(1)).first()
    if found is None:
        return False
    at, point_id = found
    shift.checked_in_at = at
    session.add(Scan(school_id=shift.school_id, shift_id=shift.id, user_id=shift.user_id, kind=ScanKind.check_in,
                     at=at, source=ScanSource.face))
    _seen(shift, at)
    audit(session, action=DutyAction.CHECKED_IN, actor="system", school_id=shift.school_id,
          details={"shift": shift.id, "post": post.id, "at": at.isoformat(), "source": ScanSource.face,
                   "checkin_point": point_id})
    return True


def _point_by_token(session: Session, school_id: int | None, token: str) -> Point:
    point = session.scalar(select(Point).where(Point.token == token.strip()))
    if point is None or point.school_id != school_id:
        raise PresenceError("code", N_("this code is not a patrol point of your school"))
    return point


def _store_scan(session: Session, shift: Shift, point: Point, user_id: int | None, at: datetime, source: str) -> bool:
    """Store one patrol scan; False when it was stored already."""
    if point.route.post_id != shift.post_id:
        raise PresenceError("code", N_("this point is not on the route of your post"))
    at = at.replace(second=0, microsecond=0)
    try:
        with session.begin_nested():
            session.add(Scan(school_id=shift.school_id, shift_id=shift.id, user_id=user_id, kind=ScanKind.patrol,
                             point_id=point.id, at=at, source=source))
            session.flush()
    except IntegrityError:
        return False
    _seen(shift, at)
    return True


def patrol_scan(session: Session, *, user: User, token: str, at: datetime | None = None,
                source: ScanSource = ScanSource.phone) -> tuple[Point, bool]:
    """Record a patrol at the point whose code was scanned; (the point, whether it was new)."""
    at = at or now()
    point = _point_by_token(session, user.school_id, token)
    shift = _on_duty(session, user, at)
    stored = _store_scan(session, shift, point, user.id, at, source)
    if stored:
        audit(session, action=DutyAction.PATROL_SCANNED, actor=user.username, school_id=shift.school_id,
              details={"shift": shift.id, "point": point.id, "at": at.isoformat(), "source": source})
    return point, stored


@dataclass
class Imported:
    stored: int = 0
    duplicates: int = 0
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (row number, what is wrong: a msgid, the value)


def import_patrols(session: Session, *, school_id: int, rows: Sequence[tuple[int, dict[str, Any]]],
                   actor: str) -> Imported:
    """Import a patrol device's rows ``(number, {"point", "person", "time"})``; every problem named by row, and
    nothing stored when there is any."""
    result = Imported()
    for number, row in rows:
        point = session.scalar(select(Point).where(Point.school_id == school_id,
                                                   Point.code == str(row.get("point", "")).strip()))
        person = session.scalar(select(User).where(User.school_id == school_id,
                                                   User.number == str(row.get("person", "")).strip()))
        try:
            stamped: datetime | None = datetime.fromisoformat(str(row.get("time", "")).strip())
        except ValueError:
            stamped = None
        at = stamped.astimezone(UTC) if stamped is not None and stamped.tzinfo is not None else None
        if point is None:
            result.problems.append((number, N_("unknown point"), str(row.get("point", ""))))
            continue
        if person is None:
            result.problems.append((number, N_("unknown person"), str(row.get("person", ""))))
            continue
        if at is None:
            result.problems.append((number, N_("give the time with its time zone (2026-12-05T22:00+08:00)"),
                                    str(row.get("time", ""))))
            continue
        shift = current_shift(session, person, at)
        if shift is None:
            result.problems.append((number, N_("the person was not on duty then"), ""))
            continue
        try:
            stored = _store_scan(session, shift, point, person.id, at, ScanSource.device)
        except PresenceError as refused:
            result.problems.append((number, str(refused), ""))
            continue
        result.stored += stored
        result.duplicates += not stored
    if result.problems:
        session.rollback()
        return Imported(problems=result.problems)
    audit(session, action=DutyAction.PATROLS_IMPORTED, actor=actor, school_id=school_id,
          details={"stored": result.stored, "duplicates": result.duplicates})
    return result


def open_check(session: Session, shift: Shift, at: datetime) -> PresenceCheck | None:
    return session.scalar(select(PresenceCheck).where(PresenceCheck.shift_id == shift.id, PresenceCheck.asked_at <= at,
                                                      PresenceCheck.answered_at.is_(None))
                          .order_by(PresenceCheck.asked_at.desc()))


def answer_presence(session: Session, *, user: User, token: str, at: datetime | None = None) -> PresenceCheck:
    """Answer the night's presence check by scanning the post's code in time."""
    at = at or now()
    post = _post_by_token(session, user, token)
    shift = _on_duty(session, user, at)
    if shift.post_id != post.id:
        raise PresenceError("code", N_("this is not the post of your shift"))
    check = open_check(session, shift, at)
    if check is None:
        raise PresenceError("code", N_("no presence check is waiting for you"))
    if at > check.due_at:
        raise PresenceError("code", N_("the time to answer has passed"))
    check.answered_at = at
    _seen(shift, at)
    audit(session, action=DutyAction.PRESENCE_ANSWERED, actor=user.username, school_id=shift.school_id,
          details={"shift": shift.id, "check": check.id, "asked_at": check.asked_at.isoformat()})
    return check


def report_issue(session: Session, host: Host, book: RuleBook, *, user: User, description: str,
                 photos: list[dict[str, Any]], at: datetime | None = None) -> Anomaly:
    """An issue the person on duty found (a leak, a fault, a hazard), with photos: an anomaly and its PDCA."""
    at = at or now()
    if not description.strip():
        raise PresenceError("description", N_("say what you found"))
    shift = _on_duty(session, user, at)
    found = anomalies.Found(kind=AnomalyKind.issue, subject=f"issue:{shift.id}:{at.isoformat()}", occurred_at=at,
                            post_id=shift.post_id, user_id=user.id, shift_id=shift.id,
                            description=description.strip(), photos=photos,
                            evidence={"reported_by": user.id, "photos": len(photos)})
    anomaly = anomalies.record(session, host, book, school_id=shift.school_id, found=found, actor=user.username)
    if anomaly is None:
        raise PresenceError("description", N_("this issue was reported already"))
    _seen(shift, at)
    return anomaly


def handover_between(session: Session, user: User, at: datetime) -> tuple[Shift, Shift] | None:
    """The shift change the user is part of around ``at``: (outgoing shift, incoming shift)."""
    mine = session.scalars(select(Shift).where(
        Shift.school_id == user.school_id, Shift.user_id == user.id,
        Shift.starts_at <= at + EARLY, Shift.ends_at >= at - EARLY).order_by(Shift.starts_at))
    for shift in mine:
        before = session.scalar(select(Shift).where(Shift.post_id == shift.post_id, Shift.ends_at == shift.starts_at))
        after = session.scalar(select(Shift).where(Shift.post_id == shift.post_id, Shift.starts_at == shift.ends_at))
        if after is not None and abs(shift.ends_at - at) <= EARLY:
            return shift, after
        if before is not None and abs(shift.starts_at - at) <= EARLY:
            return before, shift
    return None


def confirm_handover(session: Session, *, user: User, items: str = "", open_issues: str = "",
                     at: datetime | None = None) -> Handover:
    """The outgoing person writes the handover (items, open issues) and confirms; the incoming one confirms."""
    at = at or now()
    pair = handover_between(session, user, at)
    if pair is None:
        raise PresenceError("handover", N_("there is no shift change of yours now"))
    outgoing, incoming = pair
    handover = session.scalar(locking(session, select(Handover).where(Handover.to_shift_id == incoming.id)))
    if handover is None:
        if outgoing.user_id != user.id:
            raise PresenceError("handover", N_("the outgoing person writes the handover first"))
        handover = Handover(school_id=incoming.school_id, post_id=incoming.post_id, from_shift_id=outgoing.id,
                            to_shift_id=incoming.id, items="", open_issues="")
        session.add(handover)
    if outgoing.user_id == user.id:
        if not items.strip():
            raise PresenceError("items", N_("list what you hand over"))
        handover.items, handover.open_issues, handover.handed_at = items.strip(), open_issues.strip(), at
    elif incoming.user_id == user.id:
        handover.taken_at = at
    session.flush()
    audit(session, action=DutyAction.HANDOVER_CONFIRMED, actor=user.username, school_id=incoming.school_id,
          details={"handover": handover.id, "from_shift": outgoing.id, "to_shift": incoming.id,
                   "side": "outgoing" if outgoing.user_id == user.id else "incoming"})
    return handover
