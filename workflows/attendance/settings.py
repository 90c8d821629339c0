"""The school's attendance rules, read once per request or job from its rule book."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy.orm import Session

from rules.book import RuleBook
from rules.store import RuleStore
from workflows.attendance.marks import Grace


@dataclass(frozen=True)
class AttendanceRules:
    tolerance: float  # the largest face distance that still matches
    replay_for: timedelta
    repeat_after: timedelta
    unknown_kept_for: timedelta
    keep_photos: bool
    grace: Grace


def attendance_rules(store: RuleStore, session: Session, school_id: int) -> AttendanceRules:
    book = store.book(session, school_id)
    percent = min(max(int(book.value("attendance.match.tolerance_percent")), 1), 100)
    return AttendanceRules(
        tolerance=percent / 100, replay_for=book.duration("attendance.checkin.replay_for"),
        repeat_after=book.duration("attendance.checkin.repeat_after"),
        unknown_kept_for=book.duration("attendance.unknown.kept_for"),
        keep_photos=bool(book.value("attendance.enrolment.keep_photos")), grace=shift_grace(book))


def shift_grace(book: RuleBook) -> Grace:
    """How late, how early and how far around a shift a check-in still counts for it."""
    return Grace(late_after=book.duration("attendance.shift.late_after"),
                 early_before=book.duration("attendance.shift.early_before"),
                 opens_before=book.duration("attendance.shift.opens_before"),
                 closes_after=book.duration("attendance.shift.closes_after"))
