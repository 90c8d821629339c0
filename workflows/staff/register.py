"""Keeping the staff register: adding a person, changing their details, recording that they left.

Every change is one audit row with the values before and after, written in the same transaction. A person is never
deleted: leaving sets ``left_on`` (the first day no longer in service) and keeps them, their certificates and their
history. Units, posts and linked accounts must belong to the person's school, so nothing points across schools.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.adminlog import changed, record_change
from workflows.errors import FieldError
from workflows.i18n import N_
from workflows.people.models import OrgUnit, User
from workflows.staff.enums import EmploymentKind, StaffAction
from workflows.staff.models import Post, StaffMember


class StaffError(FieldError):
    """The change is refused; ``field`` names the input at fault. Nothing was stored."""


@dataclass(frozen=True)
class StaffInput:
    """What a form or a sheet row says about a person."""

    number: str
    name: str
    unit_id: int
    post_id: int | None
    kind: str = EmploymentKind.own
    contractor: str = ""
    phone: str = ""
    started_on: date | None = None
    user_id: int | None = None


def facts(person: StaffMember) -> dict[str, Any]:
    """The person's details as the audit row keeps them."""
    return {"number": person.number, "name": person.name, "unit_id": person.unit_id, "post_id": person.post_id,
            "kind": person.kind, "contractor": person.contractor, "phone": person.phone,
            "started_on": person.started_on.isoformat() if person.started_on else None, "user_id": person.user_id,
            "left_on": person.left_on.isoformat() if person.left_on else None}


def by_number(session: Session, *, school_id: int, number: str) -> StaffMember | None:
    return session.scalar(select(StaffMember).where(StaffMember.school_id == school_id, StaffMember.number == number))


def person_of(session: Session, *, school_id: int, staff_id: int) -> StaffMember | None:
    """The school's person ``staff_id``; None for another school's."""
    person = session.get(StaffMember, staff_id)
    return person if person is not None and person.school_id == school_id else None


def _check(session: Session, school_id: int, data: StaffInput, *, staff_id: int | None) -> None:
    if not data.number.strip():
        raise StaffError("number", N_("a staff number is required"))
    if not data.name.strip():
        raise StaffError("name", N_("a name is required"))
    unit = session.get(OrgUnit, data.unit_id)
    if unit is None or unit.school_id != school_id:
        raise StaffError("unit_id", N_("no such unit in this school"))
    if data.post_id is not None:
        post = session.get(Post, data.post_id)
        if post is None or post.school_id != school_id:
            raise StaffError("post_id", N_("no such post in this school"))
    if data.kind not in set(EmploymentKind):
        raise StaffError("kind", N_("unknown employment kind"))
    if data.kind == EmploymentKind.outsourced and not data.contractor.strip():
        raise StaffError("contractor", N_("name the contractor company"))
    if data.started_on is None:
        raise StaffError("started_on", N_("the start date is required"))
    if data.user_id is not None:
        account = session.get(User, data.user_id)
        if account is None or account.school_id != school_id:
            raise StaffError("user_id", N_("no such account in this school"))
        linked = session.scalar(select(StaffMember.id).where(StaffMember.user_id == data.user_id))
        if linked is not None and linked != staff_id:
            raise StaffError("user_id", N_("this account belongs to another person of the register"))
    same = by_number(session, school_id=school_id, number=data.number.strip())
    if same is not None and same.id != staff_id:
        raise StaffError("number", N_("another person has this staff number"))


def _apply(person: StaffMember, data: StaffInput) -> None:
    values = asdict(data)
    for name in ("number", "name", "contractor", "phone"):
        values[name] = values[name].strip()
    if data.kind == EmploymentKind.own:
        values["contractor"] = ""
    for name, value in values.items():
        setattr(person, name, value)


def create(session: Session, *, actor: str, school_id: int, data: StaffInput) -> StaffMember:
    """Add a person to the register; StaffError (nothing stored) for bad input."""
    _check(session, school_id, data, staff_id=None)
    person = StaffMember(school_id=school_id, leave_reason="")
    _apply(person, data)
    session.add(person)
    session.flush()
    record_change(session, actor=actor, action=StaffAction.member_created, school_id=school_id,
                  target=f"staff:{person.id}", after=facts(person))
    return person


def update(session: Session, *, actor: str, person: StaffMember, data: StaffInput) -> bool:
    """Change a person's details; False when nothing changed (and nothing is audited). A leaver's start date stays
    before their leaving day."""
    _check(session, person.school_id, data, staff_id=person.id)
    if person.left_on is not None and data.started_on is not None and data.started_on >= person.left_on:
        raise StaffError("started_on", N_("the start date must come before the leaving day"))
    before = facts(person)
    _apply(person, data)
    session.flush()
    old, new = changed(before, facts(person))
    if not new:
        return False
    record_change(session, actor=actor, action=StaffAction.member_updated, school_id=person.school_id,
                  target=f"staff:{person.id}", before=old, after=new)
    return True


def leave(session: Session, *, actor: str, person: StaffMember, left_on: date, reason: str) -> None:
    """Record that the person leaves on ``left_on`` (their first day no longer in service); kept in the register."""
    if person.left_on is not None:
        raise StaffError("left_on", N_("this person has already left"))
    if left_on <= person.started_on:
        raise StaffError("left_on", N_("the leaving day must come after the start date"))
    person.left_on, person.leave_reason = left_on, reason.strip()
    record_change(session, actor=actor, action=StaffAction.member_left, school_id=person.school_id,
                  target=f"staff:{person.id}", after={"left_on": left_on.isoformat(), "reason": person.leave_reason})
