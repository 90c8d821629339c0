"""The attendance jobs of the scheduler passes: encoding waiting enrolments, forgetting leavers' faces, deleting
unknown-face attempts and frame digests past the school's rule times."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from engine.host import Host
from engine.registry import Registry
from rules.store import RuleStore
from workflows.attendance import enrolment
from workflows.attendance.enums import EnrolmentStatus
from workflows.attendance.models import Enrolment, FrameSeen, UnknownAttempt
from workflows.attendance.settings import attendance_rules
from workflows.i18n import N_
from workflows.people.models import School
from workflows.people.timezone import local_date, school_zone
from workflows.staff.models import StaffMember

UPKEEP_JOB = "attendance_upkeep"
UPKEEP_SECONDS = 3600.0
LEFT_REASON = N_("The person left the service.")  # why the job deleted a leaver's face data (shown translated)


def forget_leavers(session: Session, at: datetime) -> int:
    """Withdraw the enrolments of people whose leaving day has come (their encodings and photos deleted)."""
    stmt = (select(StaffMember).join(Enrolment, Enrolment.staff_id == StaffMember.id)
            .where(Enrolment.status != EnrolmentStatus.withdrawn, StaffMember.left_on.is_not(None)))
    forgotten = 0
    for staff in session.scalars(stmt):
        if not staff.is_active(local_date(at, school_zone(session, staff.school_id))):
            forgotten += enrolment.withdraw(session, staff=staff, reason=LEFT_REASON, actor="system")
    return forgotten


def expire(session: Session, store: RuleStore, at: datetime) -> int:
    """Delete unknown attempts and frame digests older than each school's rule allows."""
    removed = 0
    for school_id in session.scalars(select(School.id)):
        rules = attendance_rules(store, session, school_id)
        removed += session.execute(delete(UnknownAttempt).where(
            UnknownAttempt.school_id == school_id, UnknownAttempt.at < at - rules.unknown_kept_for)).rowcount  # type: ignore[attr-defined]
        removed += session.execute(delete(FrameSeen).where(
            FrameSeen.school_id == school_id, FrameSeen.seen_at < at - rules.replay_for)).rowcount  # type: ignore[attr-defined]
    return removed


def register(registry: Registry, store: RuleStore) -> None:
    @registry.periodic(enrolment.JOB_NAME, "Compute the face encodings of waiting enrolments")
    def encode(host: Host, _session: Session, _at: datetime) -> int:
        done, more = enrolment.encode_waiting(host.session_factory, store)
        if more:
            host.dispatcher.kick_job(enrolment.JOB_NAME)
        return done

    @registry.periodic(UPKEEP_JOB, "Forget leavers' faces; delete old unknown-face attempts", every=UPKEEP_SECONDS)
    def upkeep(_host: Host, session: Session, at: datetime) -> int:
        return forget_leavers(session, at) + expire(session, store, at)
