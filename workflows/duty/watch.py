"""The watch over duty: a periodic job (Celery beat, the embedded scheduler, ``houqin tick``) that finds what
nobody reported and asks the night's presence checks.

For every shift running or ended within the last day, against the rules of its school:

- **check-in**: none by ``start + duty.check_in.grace_after`` → off post (a face check-in at the attendance kiosk
  of the post's building counts: :func:`~workflows.duty.presence.face_check_in`);
- **patrols**: each point of the post's routes is due every ``duty.patrol.every`` from the shift's start; a due time
  with no scan of the point since the previous one and until ``due + duty.patrol.grace_after`` → off post, recorded
  at due + grace;
- **presence checks**: a night post's shift gets ``duty.presence.checks_per_night`` random times within the night
  hours; at each, the person is asked to answer from the post; unanswered by ``asked + duty.presence.unanswered_after``
  → suspected sleeping;
- **handover**: at a shift change, a handover not confirmed by both people by ``change + duty.handover.late_after``
  → late or missing handover.

Every anomaly's subject names its shift and moment, so running the job again records nothing twice.
"""
from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine import outbox
from engine.audit import record as audit
from engine.host import Host
from rules.book import RuleBook
from rules.store import RuleStore
from workflows.duty import anomalies
from workflows.duty.anomalies import Found
from workflows.duty.enums import AnomalyKind, DutyAction, ScanKind, ShiftStatus
from workflows.duty.models import Handover, Point, Post, PresenceCheck, Route, Scan, Shift
from workflows.duty.presence import face_check_in
from workflows.people.timezone import school_zone

LOOKBACK = timedelta(days=1)


def run(session: Session, host: Host, store: RuleStore, at: datetime) -> int:
    """One pass over every school's recent shifts; the number of anomalies recorded and checks asked."""
    shifts = session.scalars(select(Shift).where(Shift.status == ShiftStatus.planned, Shift.user_id.is_not(None),
                                                 Shift.starts_at <= at, Shift.ends_at >= at - LOOKBACK)
                             .order_by(Shift.school_id, Shift.starts_at))
    books: dict[int, RuleBook] = {}
    done = 0
    for shift in shifts:
        if shift.school_id not in books:
            books[shift.school_id] = store.book(session, shift.school_id)
        book = books[shift.school_id]
        if shift.checked_in_at is None and at < shift.ends_at:  # a face check-in counts only until the shift ends
            face_check_in(session, shift)
        found = [*_missed_check_in(shift, book, at), *_missed_patrols(session, shift, book, at),
                 *_unanswered_checks(session, shift, at), *_late_handover(session, shift, book, at)]
        for one in found:
            done += anomalies.record(session, host, book, school_id=shift.school_id, found=one) is not None
        done += _ask_presence(session, host, shift, book, at)
    return done


def _missed_check_in(shift: Shift, book: RuleBook, at: datetime) -> Iterator[Found]:
    due = shift.starts_at + book.duration("duty.check_in.grace_after")
    if at >= due and (shift.checked_in_at is None or shift.checked_in_at > due):
        yield Found(kind=AnomalyKind.off_post, subject=f"check_in:{shift.id}", occurred_at=due, post_id=shift.post_id,
                    user_id=shift.user_id, shift_id=shift.id,
                    evidence={"what": "check_in", "shift_starts": shift.starts_at.isoformat(),
                              "checked_in_at": shift.checked_in_at.isoformat() if shift.checked_in_at else None})


def due_times(shift: Shift, book: RuleBook) -> list[datetime]:
    """When each of the shift's patrols is due: every ``duty.patrol.every`` from its start, to its end."""
    every = book.duration("duty.patrol.every")
    times, due = [], shift.starts_at + every
    while due <= shift.ends_at:
        times.append(due)
        due += every
    return times


def _missed_patrols(session: Session, shift: Shift, book: RuleBook, at: datetime) -> Iterator[Found]:
    every, grace = book.duration("duty.patrol.every"), book.duration("duty.patrol.grace_after")
    passed = [due for due in due_times(shift, book) if due + grace <= at]
    if not passed:
        return
    points = session.scalars(select(Point).join(Route).where(Route.post_id == shift.post_id).order_by(Point.position))
    scans: dict[int, list[datetime]] = {}
    for point_id, scanned in session.execute(select(Scan.point_id, Scan.at).where(
            Scan.shift_id == shift.id, Scan.kind == ScanKind.patrol, Scan.point_id.is_not(None))):
        scans.setdefault(point_id or 0, []).append(scanned)
    for point in points:
        seen = scans.get(point.id, [])
        for due in passed:
            if any(due - every < s <= due + grace for s in seen):
                continue
            earlier = [s for s in seen if s <= due + grace]
            yield Found(kind=AnomalyKind.off_post, subject=f"patrol:{shift.id}:{point.id}:{due.isoformat()}",
                        occurred_at=due + grace, post_id=shift.post_id, user_id=shift.user_id, shift_id=shift.id,
                        description=point.name,
                        evidence={"what": "patrol", "point": point.id, "point_name": point.name, "due": due.isoformat(),
                                  "last_scan": max(earlier).isoformat() if earlier else None})


def presence_times(shift: Shift, book: RuleBook, zone) -> list[datetime]:  # type: ignore[no-untyped-def]
    """The shift's random presence-check times within the night hours (the same for the same shift)."""
    start_hour, end_hour = int(book.value("duty.presence.night_from_hour")), int(book.value("duty.presence.night_until_hour"))
    local_start = shift.starts_at.astimezone(zone)
    night_start = local_start.replace(hour=start_hour, minute=0, second=0, microsecond=0)
    if night_start < local_start - timedelta(hours=12):
        night_start += timedelta(days=1)
    night_end = night_start.replace(hour=end_hour) + (timedelta(days=1) if end_hour <= start_hour else timedelta())
    begin, end = max(night_start, local_start), min(night_end, shift.ends_at.astimezone(zone))
    if end <= begin:
        return []
    span = int((end - begin).total_seconds() // 60)
    picker = random.Random(shift.id)
    minutes = sorted(picker.sample(range(span), min(span, int(book.value("duty.presence.checks_per_night")))))
    return [(begin + timedelta(minutes=m)).astimezone(shift.starts_at.tzinfo) for m in minutes]


def _ask_presence(session: Session, host: Host, shift: Shift, book: RuleBook, at: datetime) -> int:
    post = session.get(Post, shift.post_id)
    if post is None or not post.night or at > shift.ends_at:
        return 0
    if not shift.presence_plan:
        shift.presence_plan = [t.isoformat() for t in presence_times(shift, book, school_zone(session, shift.school_id))]
    asked = {c for c in session.scalars(select(PresenceCheck.asked_at).where(PresenceCheck.shift_id == shift.id))}
    count = 0
    for text in shift.presence_plan:
        when = datetime.fromisoformat(text)
        if when > at or when in asked:
            continue
        check = PresenceCheck(school_id=shift.school_id, shift_id=shift.id, asked_at=when,
                              due_at=when + book.duration("duty.presence.unanswered_after"))
        session.add(check)
        session.flush()
        outbox.post(session, host.dispatcher, kind="duty.presence_check", school_id=shift.school_id,
                    users=[shift.user_id] if shift.user_id else [], dedup_key=f"duty.presence:{check.id}",
                    payload={"title": post.name, "due": check.due_at.isoformat()})
        audit(session, action=DutyAction.PRESENCE_ASKED, school_id=shift.school_id, actor="system",
              details={"shift": shift.id, "check": check.id, "due": check.due_at.isoformat()})
        count += 1
    return count


def _unanswered_checks(session: Session, shift: Shift, at: datetime) -> Iterator[Found]:
    for check in session.scalars(select(PresenceCheck).where(PresenceCheck.shift_id == shift.id,
                                                             PresenceCheck.answered_at.is_(None),
                                                             PresenceCheck.due_at <= at)):
        yield Found(kind=AnomalyKind.sleeping, subject=f"presence:{check.id}", occurred_at=check.due_at,
                    post_id=shift.post_id, user_id=shift.user_id, shift_id=shift.id,
                    evidence={"what": "presence", "asked_at": check.asked_at.isoformat(), "due": check.due_at.isoformat()})


def _late_handover(session: Session, shift: Shift, book: RuleBook, at: datetime) -> Iterator[Found]:
    """The handover into ``shift`` from the shift before it at the same post."""
    due = shift.starts_at + book.duration("duty.handover.late_after")
    if at < due:
        return
    before = session.scalar(select(Shift).where(Shift.post_id == shift.post_id, Shift.ends_at == shift.starts_at,
                                                Shift.user_id.is_not(None)))
    if before is None:
        return
    handover = session.scalar(select(Handover).where(Handover.to_shift_id == shift.id))
    confirmed = None if handover is None or handover.handed_at is None or handover.taken_at is None else \
        max(handover.handed_at, handover.taken_at)
    if confirmed is not None and confirmed <= due:
        return
    yield Found(kind=AnomalyKind.handover, subject=f"handover:{shift.id}", occurred_at=due, post_id=shift.post_id,
                user_id=before.user_id, shift_id=shift.id,
                evidence={"what": "late" if confirmed else "missing", "change_at": shift.starts_at.isoformat(),
                          "from_user": before.user_id, "to_user": shift.user_id,
                          "confirmed_at": confirmed.isoformat() if confirmed else None})
