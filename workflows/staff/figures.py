"""The staff figures on the leaders' dashboard, each with the list behind it, read on the school's day.

满编率 (staffing rate): people in service ÷ planned headcount over every plan in force, as a percentage.
持证率 (certified rate): of the people in service on a post that requires certificates, the share holding a
counting certificate of every type their post requires. Expiring: approved certificates of the people in service whose
last valid day falls within :data:`~workflows.staff.certificates.EXPIRING_WITHIN` (30 days), expired ones not included.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from rules.store import RuleStore
from workflows.i18n import N_
from workflows.modules.contract import Figure
from workflows.people.timezone import local_date, school_zone
from workflows.staff import staffing
from workflows.staff.certificates import COUNTING, EXPIRING_WITHIN, required_by_post, valid_types
from workflows.staff.models import Certificate, StaffMember, in_service_on
from workflows.staff.readmodel import in_service

STAFFING_RATE, CERTIFIED_RATE, EXPIRING = "staff_staffing_rate", "staff_certified_rate", "staff_certificates_expiring"
LABELS = {STAFFING_RATE: N_("Staffing rate (per cent)"), CERTIFIED_RATE: N_("Certified rate (per cent)"),
          EXPIRING: N_("Certificates expiring within 30 days")}
DRILL = "staffing.figure"  # the page listing what a figure counts


@dataclass(frozen=True)
class Uncertified:
    person: StaffMember
    missing: set[int]  # certificate type ids


def certification(session: Session, *, school_id: int, on: date,
                  units: set[int] | None = None) -> tuple[int, list[Uncertified]]:
    """(people whose post requires certificates, those of them missing one) on ``on``; only the people of
    ``units`` when given."""
    people = [p for p in in_service(session, school_id=school_id, on=on)
              if p.post_id is not None and (units is None or p.unit_id in units)]
    required = required_by_post(session, post_ids={p.post_id for p in people if p.post_id is not None})
    concerned = [p for p in people if required.get(p.post_id or 0)]
    held = valid_types(session, staff_ids=[p.id for p in concerned], on=on)
    missing = [Uncertified(p, required[p.post_id or 0] - held.get(p.id, set())) for p in concerned]
    return len(concerned), [m for m in missing if m.missing]


def expiring(session: Session, *, school_id: int, on: date, within: timedelta) -> list[tuple[Certificate, StaffMember]]:
    """Counting certificates whose last valid day is from ``on`` to before ``on + within``, soonest first, each with
    its holder: only those of people in service on ``on`` (one who left keeps their certificates on file, but
    nobody needs to renew them)."""
    return [(c, p) for c, p in session.execute(select(Certificate, StaffMember).join(
        StaffMember, StaffMember.id == Certificate.staff_id).where(
        Certificate.school_id == school_id, Certificate.status.in_([str(s) for s in COUNTING]),
        Certificate.valid_until >= on, Certificate.valid_until < on + within, in_service_on(on))
        .order_by(Certificate.valid_until))]


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 100


def staffing_rate(rows: dict[tuple[int, int], staffing.Staffing]) -> int:
    """满编率 of the (unit, post) ``rows``: 0 where nothing is planned."""
    total = staffing.total(rows)
    return _percent(total.active, total.planned) if total.planned else 0


def certified_rate(concerned: int, missing: list[Uncertified]) -> int:
    """持证率 of what :func:`certification` found."""
    return _percent(concerned - len(missing), concerned)


def values(session: Session, *, school_id: int, on: date, within: timedelta) -> dict[str, int]:
    return {STAFFING_RATE: staffing_rate(staffing.by_unit_and_post(session, school_id=school_id, on=on)),
            CERTIFIED_RATE: certified_rate(*certification(session, school_id=school_id, on=on)),
            EXPIRING: len(expiring(session, school_id=school_id, on=on, within=within))}


def figures(session: Session, *, school_id: int, start: datetime, end: datetime, at: datetime,
            rules: RuleStore) -> list[Figure]:
    """The three cards as of the moment ``at`` (the period does not apply: staffing is read on a day)."""
    on = local_date(at, school_zone(session, school_id))
    found = values(session, school_id=school_id, on=on, within=EXPIRING_WITHIN)
    return [Figure(key, LABELS[key], found[key], (DRILL, {"key": key, "on": on.isoformat()})) for key in LABELS]
