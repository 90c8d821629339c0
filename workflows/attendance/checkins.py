"""Check-ins: a face from a kiosk or a phone matched 1:N among the school's enrolled staff, a vendor terminal's own
match by staff number, or a supervisor's correction with a reason. Every refusal says why, and stores nothing —
except an unknown face, kept with its frame for review (the caller commits the returned outcome).

The frame's SHA-256 is looked up before the costly encoding: the same bytes within the rule's time are a replay.
It is stored once the frame reached matching, under a unique key, so two simultaneous copies cannot both pass.
A person checking in again within ``attendance.checkin.repeat_after`` (a kiosk sees them in several frames)
gets the check-in they already have."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from engine import audit
from engine.clock import now
from rules.store import RuleStore
from workflows.adminlog import record_change
from workflows.attendance.enums import AttendanceAction, Channel, PointKind
from workflows.attendance.gallery import gallery_of
from workflows.attendance.models import Checkin, CheckinPoint, FrameSeen, UnknownAttempt
from workflows.attendance.settings import AttendanceRules, attendance_rules
from workflows.errors import FieldError
from workflows.faces.encoding import encode_photo
from workflows.faces.images import load_photo
from workflows.faces.refusals import FaceProblem, FaceRefused
from workflows.i18n import N_
from workflows.people.timezone import local_date, school_zone
from workflows.staff.models import StaffMember


@dataclass(frozen=True)
class Outcome:
    """A check-in made (``checkin``, ``staff``), or refused for ``problem`` (an unknown face: ``attempt`` kept)."""

    checkin: Checkin | None = None
    staff: StaffMember | None = None
    problem: FaceProblem | None = None
    attempt: UnknownAttempt | None = None
    repeated: bool = False  # the person was already checked in moments ago: that check-in is the answer


def digest(frame: bytes) -> str:
    return hashlib.sha256(frame).hexdigest()


def by_face(session: Session, store: RuleStore, *, point: CheckinPoint, frame: bytes, user_id: int | None = None,
            own_staff: StaffMember | None = None) -> Outcome:
    """Check in whoever's face is in ``frame`` at ``point``. ``own_staff``: a phone check-in, which must be the
    account holder's own face. Raises :class:`FaceRefused` (nothing stored) or returns the outcome."""
    school_id, at = point.school_id, now()
    rules = attendance_rules(store, session, school_id)
    key = digest(frame)
    seen = _seen(session, school_id, key)
    if seen is not None and seen.seen_at > at - rules.replay_for:
        raise FaceRefused(FaceProblem.replayed)
    _face, vector = encode_photo(load_photo(frame))
    match = gallery_of(session, school_id).nearest(vector, rules.tolerance)
    _remember(session, seen, school_id, key, at)
    if match is None or not match.matched:
        attempt = UnknownAttempt(school_id=school_id, at=at, point_id=point.id, user_id=user_id, frame=frame,
                                 distance=match.distance if match else None)
        session.add(attempt)
        session.flush()
        audit.record(session, action=AttendanceAction.unknown_face, actor=f"point:{point.id}", school_id=school_id,
                     details={"attempt": attempt.id, "point": point.id, "distance": attempt.distance})
        return Outcome(problem=FaceProblem.unknown, attempt=attempt)
    staff = session.get(StaffMember, match.person_id)
    if staff is None or staff.school_id != school_id:
        raise FaceRefused(FaceProblem.not_staff)
    if own_staff is not None and staff.id != own_staff.id:
        raise FaceRefused(FaceProblem.not_you)
    channel = Channel.phone if point.kind == PointKind.post_qr else Channel.kiosk
    return _record(session, rules, staff=staff, point=point, at=at, channel=channel, distance=match.distance,
                   user_id=user_id, actor=f"point:{point.id}")


def by_number(session: Session, store: RuleStore, *, point: CheckinPoint, number: str, at: datetime | None = None) -> Outcome:
    """A vendor terminal matched the face itself and names the staff number (its clock may lag: ``at`` in the past
    up to now, never the future)."""
    school_id = point.school_id
    staff = session.scalar(select(StaffMember).where(StaffMember.school_id == school_id,
                                                     StaffMember.number == number.strip()))
    if staff is None:
        raise FaceRefused(FaceProblem.not_staff)
    moment = min(at.astimezone(UTC), now()) if at is not None else now()
    return _record(session, attendance_rules(store, session, school_id), staff=staff, point=point, at=moment,
                   channel=Channel.terminal, distance=None, user_id=None, actor=f"point:{point.id}")


def correct(session: Session, store: RuleStore, *, staff: StaffMember, at: datetime, post_id: int | None, reason: str,
            actor: str, user_id: int | None) -> Checkin:
    """A supervisor adds a check-in the person could not make (the kiosk was down), with a reason; audited."""
    if not reason.strip():
        raise FieldError("reason", N_("Say why the attendance is corrected."))
    at = at.astimezone(UTC)  # stored in UTC (SQLite keeps no offset)
    if at > now():
        raise FieldError("at", N_("A check-in cannot be in the future."))
    checkin = Checkin(school_id=staff.school_id, staff_id=staff.id, at=at, post_id=post_id or staff.post_id,
                      channel=Channel.correction, user_id=user_id, reason=reason.strip())
    session.add(checkin)
    session.flush()
    record_change(session, actor=actor, action=AttendanceAction.corrected, school_id=staff.school_id,
                  target=f"staff:{staff.id}", after={"added": checkin.id, "at": at.isoformat(), "reason": checkin.reason})
    return checkin


def strike(session: Session, checkin: Checkin, *, reason: str, actor: str) -> None:
    """A supervisor strikes out a wrong check-in with a reason (it stays, marked, in the person's history)."""
    if not reason.strip():
        raise FieldError("reason", N_("Say why the attendance is corrected."))
    if checkin.cancelled_at is not None:
        return
    checkin.cancelled_at, checkin.reason = now(), reason.strip()
    record_change(session, actor=actor, action=AttendanceAction.corrected, school_id=checkin.school_id,
                  target=f"staff:{checkin.staff_id}", after={"struck": checkin.id, "reason": checkin.reason})


def _record(session: Session, rules: AttendanceRules, *, staff: StaffMember, point: CheckinPoint, at: datetime,
            channel: Channel, distance: float | None, user_id: int | None, actor: str) -> Outcome:
    if not staff.is_active(local_date(at, school_zone(session, staff.school_id))):
        raise FaceRefused(FaceProblem.left)
    recent = session.scalar(select(Checkin).where(
        Checkin.staff_id == staff.id, Checkin.cancelled_at.is_(None), Checkin.at > at - rules.repeat_after,
        Checkin.at <= at).order_by(Checkin.at.desc()).limit(1))
    if recent is not None:
        return Outcome(checkin=recent, staff=staff, repeated=True)
    checkin = Checkin(school_id=staff.school_id, staff_id=staff.id, at=at, post_id=point.post_id, point_id=point.id,
                      channel=channel, distance=distance, user_id=user_id)
    session.add(checkin)
    session.flush()
    audit.record(session, action=AttendanceAction.checked_in, actor=actor, school_id=staff.school_id,
                 details={"checkin": checkin.id, "staff": staff.id, "point": point.id, "channel": channel.value,
                          "distance": distance})
    return Outcome(checkin=checkin, staff=staff)


def _seen(session: Session, school_id: int, key: str) -> FrameSeen | None:
    """The frame's row, however long ago it was seen (read once: the replay check and the note after it use it)."""
    return session.scalar(select(FrameSeen).where(FrameSeen.school_id == school_id, FrameSeen.digest == key))


def _remember(session: Session, seen: FrameSeen | None, school_id: int, key: str, at: datetime) -> None:
    """Note the frame as seen now; a copy sent at the same moment collides here."""
    if seen is not None:
        seen.seen_at = at  # past the window (checked before): seen again from now
        return
    try:
        with session.begin_nested():
            session.add(FrameSeen(school_id=school_id, digest=key, seen_at=at))
    except IntegrityError:
        raise FaceRefused(FaceProblem.replayed) from None
