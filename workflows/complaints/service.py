"""Taking in a complaint from any channel and starting its process.

The portal, the phone page, the clerk's hotline page and the API all call :func:`submit` with an
:class:`Intake`; every target (unit, person) must belong to the complaint's school, so a complaint never points at
another school's people. The process carries ids only: the complainant's name stays on the complaint row, where
:mod:`workflows.complaints.identity` decides who may read it.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.advance import start
from engine.clock import now
from engine.host import Host
from workflows.complaints.enums import Category, Channel, Kind, Status
from workflows.complaints.models import Complaint
from workflows.errors import FieldError
from workflows.i18n import N_
from workflows.numbering import day_number, store_numbered
from workflows.people.models import OrgUnit, User

PROCESS_KEY = "complaint"
MAX_ATTACHMENTS = 6


class ComplaintError(FieldError):
    """The complaint cannot be taken in; ``field`` names the input at fault."""


@dataclass(frozen=True)
class Intake:
    kind: str
    category: str
    channel: str
    description: str
    complainant_id: int | None = None  # None: anonymous, or phoned in by someone without an account
    anonymous: bool = False
    contact_name: str = ""
    contact_phone: str = ""
    target_unit_id: int | None = None
    target_person_id: int | None = None
    target_place: str = ""
    urgent: bool = False
    entered_by_id: int | None = None
    attachments: Sequence[dict] = field(default_factory=tuple)


def _unit_of_school(session: Session, unit_id: int, school_id: int) -> bool:
    unit = session.get(OrgUnit, unit_id)
    return unit is not None and unit.school_id == school_id


def _person_of_school(session: Session, user_id: int, school_id: int) -> bool:
    person = session.get(User, user_id)
    return person is not None and person.school_id == school_id


def _check(session: Session, school_id: int, intake: Intake) -> None:
    if intake.kind not in set(Kind):
        raise ComplaintError("kind", N_("unknown kind"))
    if intake.category not in set(Category):
        raise ComplaintError("category", N_("unknown category"))
    if intake.channel not in set(Channel):
        raise ComplaintError("channel", N_("unknown channel"))
    if not intake.description.strip():
        raise ComplaintError("description", N_("say what happened"))
    if len(intake.attachments) > MAX_ATTACHMENTS:
        raise ComplaintError("attachments", N_("too many attachments"))
    if intake.target_unit_id is not None and not _unit_of_school(session, intake.target_unit_id, school_id):
        raise ComplaintError("target_unit_id", N_("unknown unit"))
    if intake.target_person_id is not None and not _person_of_school(session, intake.target_person_id, school_id):
        raise ComplaintError("target_person_id", N_("no such person in this school"))
    if intake.complainant_id is not None and not _person_of_school(session, intake.complainant_id, school_id):
        raise ComplaintError("complainant_id", N_("no such person in this school"))


def _next_number(session: Session, school_id: int) -> str:
    """TS + the school's today + the day's running count; numbers are unique across schools."""
    return day_number(session, Complaint, letters="TS", school_id=school_id, per_school=False)


def _responsible_unit(session: Session, intake: Intake) -> int | None:
    """The target unit, else the unit of the target person's first role."""
    if intake.target_unit_id is not None:
        return intake.target_unit_id
    person = session.get(User, intake.target_person_id) if intake.target_person_id else None
    units = [a.org_unit_id for a in person.roles if a.org_unit_id] if person else []
    return units[0] if units else None


def submit(session: Session, host: Host, *, school_id: int, intake: Intake) -> Complaint:
    """Store the complaint and start its process; ComplaintError (and nothing stored) for bad input."""
    _check(session, school_id, intake)
    complaint = Complaint(
        school_id=school_id, kind=intake.kind, category=intake.category,
        channel=intake.channel, urgent=intake.urgent, anonymous=intake.anonymous,
        complainant_id=intake.complainant_id, contact_name="" if intake.anonymous else intake.contact_name.strip(),
        contact_phone="" if intake.anonymous else intake.contact_phone.strip(), entered_by_id=intake.entered_by_id,
        target_unit_id=intake.target_unit_id, target_person_id=intake.target_person_id,
        target_place=intake.target_place.strip(), description=intake.description.strip(),
        attachments=list(intake.attachments), unit_id=_responsible_unit(session, intake), status=Status.triage,
        created_at=now())
    store_numbered(session, complaint, lambda: _next_number(session, school_id))
    instance = start(host, session, process_key=PROCESS_KEY, business_key=complaint.number, school_id=school_id, data={
        "complaint_id": complaint.id, "number": complaint.number, "kind": complaint.kind, "urgent": complaint.urgent,
        "unit_id": complaint.unit_id, "complainant_id": complaint.complainant_id, "handling_round": 0,
        "description": complaint.description,
    })
    complaint.instance_id = instance.id
    return complaint


def mine(session: Session, *, user: User) -> list[Complaint]:
    """The complaints ``user`` made (anonymous ones included: they know them), newest first."""
    return list(session.scalars(select(Complaint).where(Complaint.school_id == user.school_id,
                                                        Complaint.complainant_id == user.id)
                                .order_by(Complaint.created_at.desc(), Complaint.id.desc())))


def by_number(session: Session, *, school_id: int, number: str) -> Complaint | None:
    return session.scalar(select(Complaint).where(Complaint.school_id == school_id, Complaint.number == number))
