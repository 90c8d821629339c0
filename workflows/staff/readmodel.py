"""The staff register as pages and the API read it: the filtered list, one person with their certificates, one
certificate (its process's business object), every row of the reader's school only."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from engine.paging import PER_PAGE, Page, paged
from workflows.people.models import OrgUnit
from workflows.staff.certificates import colour, latest
from workflows.staff.enums import CertificateStatus, StaffStatus
from workflows.staff.models import Certificate, CertificateType, Post, StaffMember, in_service_on, with_status


@dataclass(frozen=True)
class StaffFilter:
    unit_id: int | None = None
    post_id: int | None = None
    kind: str | None = None
    status: StaffStatus | None = None  # None: everyone
    campus_id: int | None = None
    words: str = ""  # name, staff number or phone


def _where(school_id: int, flt: StaffFilter, on: date, units: set[int] | None) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = [StaffMember.school_id == school_id]
    if units is not None:
        where.append(StaffMember.unit_id.in_(units or {-1}))
    if flt.unit_id:
        where.append(StaffMember.unit_id == flt.unit_id)
    if flt.post_id:
        where.append(StaffMember.post_id == flt.post_id)
    if flt.kind:
        where.append(StaffMember.kind == flt.kind)
    if flt.status is not None:
        where.append(with_status(flt.status, on))
    if flt.campus_id:
        where.append(StaffMember.unit_id.in_(select(OrgUnit.id).where(OrgUnit.campus_id == flt.campus_id)))
    words = flt.words.strip()
    if words:
        like = f"%{words}%"
        where.append(or_(StaffMember.name.like(like), StaffMember.number.like(like), StaffMember.phone.like(like)))
    return where


def staff_page(session: Session, *, school_id: int, flt: StaffFilter, on: date, units: set[int] | None,
               page: int = 1, per_page: int = PER_PAGE) -> Page:
    """One page of the register (``units``: the units the reader may see, None for all), by unit and number."""
    where = _where(school_id, flt, on, units)
    return paged(session, select(StaffMember).where(*where).order_by(StaffMember.unit_id, StaffMember.number),
                 select(func.count(StaffMember.id)).where(*where), page, per_page)


def in_service(session: Session, *, school_id: int, on: date) -> list[StaffMember]:
    """The school's people in service on the day ``on``, by unit and number: one who has left is not, nor one who
    has not started yet; one leaving later still is."""
    return list(session.scalars(select(StaffMember).where(StaffMember.school_id == school_id, in_service_on(on))
                                .order_by(StaffMember.unit_id, StaffMember.number)))


def names(session: Session, *, school_id: int, locale: str) -> dict[str, dict[int, str]]:
    """Units, posts and certificate types of the school by id, as the reader names them."""
    return {"units": {unit_id: name for unit_id, name in session.execute(select(OrgUnit.id, OrgUnit.name)
                                                                          .where(OrgUnit.school_id == school_id))},
            "posts": {p.id: p.name(locale) for p in session.scalars(select(Post).where(Post.school_id == school_id))},
            "types": {t.id: t.name(locale) for t in session.scalars(select(CertificateType)
                                                                     .where(CertificateType.school_id == school_id))}}


def certificate_dict(cert: Certificate, *, today: date, named: dict[str, dict[int, str]]) -> dict[str, Any]:
    return {"key": cert.business_key, "id": cert.id, "type": named["types"].get(cert.type_id, ""),
            "type_id": cert.type_id, "number": cert.number, "issuer": cert.issuer,
            "valid_from": cert.valid_from.isoformat(), "valid_until": cert.valid_until.isoformat(),
            "status": cert.status, "colour": colour(cert, today=today), "renews_id": cert.renews_id,
            "has_scan": cert.scan is not None}


def person_dict(session: Session, person: StaffMember, *, today: date, named: dict[str, dict[int, str]],
                certificates: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": person.id, "number": person.number, "name": person.name, "unit_id": person.unit_id,
        "unit": named["units"].get(person.unit_id, ""), "post_id": person.post_id,
        "post": named["posts"].get(person.post_id or 0, ""), "kind": person.kind, "contractor": person.contractor,
        "phone": person.phone, "user_id": person.user_id, "started_on": person.started_on.isoformat(),
        "left_on": person.left_on.isoformat() if person.left_on else None, "status": person.status(today)}
    if certificates:
        body["certificates"] = [certificate_dict(c, today=today, named=named)
                                for c in latest(session, staff_ids=[person.id]).get(person.id, [])]
    return body


def certificate_by_key(session: Session, *, school_id: int, key: str) -> Certificate | None:
    """The certificate a process is about now: the newest of its business key that is not refused or replaced (a
    renewal is a newer certificate of the same key: the one under review while it waits, the one in force once
    approved)."""
    return session.scalar(select(Certificate).where(
        Certificate.school_id == school_id, Certificate.business_key == key,
        Certificate.status.notin_([CertificateStatus.superseded, CertificateStatus.rejected]))
        .order_by(Certificate.id.desc()).limit(1))
