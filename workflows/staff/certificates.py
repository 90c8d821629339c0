"""Certificates people hold (持证上岗): adding one, uploading a renewal, the colour a certificate shows, and who is
uncertified for what.

Each certificate runs the ``certificate`` process (``bpmn/certificate/``), keyed by its ``business_key``: a
certificate entered by a manager counts at once; one uploaded for review (and every renewal) waits for the unit's
leader or an administrator. The process reminds the person and the unit's leader before it expires, at the times
the rules say, and marks it expired at the end of its last valid day. A renewal is a new certificate sharing the
first one's business key: uploading it sends the process a ``certificate_renewal`` signal, the review approves it,
and the reminder clock starts again from the new validity.

A certificate counts on a day when it is approved and the day lies within its validity: reading the dates as well
as the status keeps the answer right in the moments between the expiry and its timer firing.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import ColumnElement, case, select
from sqlalchemy.orm import Session

from engine.advance import deliver, start
from engine.host import Host
from workflows.adminlog import record_change
from workflows.errors import FieldError
from workflows.i18n import N_
from workflows.people.timezone import school_zone
from workflows.repair.models import WorkOrder
from workflows.staff.enums import CertificateColour, CertificateStatus, StaffAction
from workflows.staff.models import Certificate, CertificateType, ItemCertificateType, PostCertificateType, StaffMember

PROCESS_KEY = "certificate"
RENEWAL_SIGNAL = "certificate_renewal"
COUNTING = (CertificateStatus.active,)
EXPIRING_WITHIN = timedelta(days=30)  # a counting certificate this close to its expiry shows as expiring


class CertificateError(FieldError):
    """The certificate is refused; ``field`` names the input at fault. Nothing was stored."""


@dataclass(frozen=True)
class CertificateInput:
    type_id: int
    number: str
    issuer: str
    valid_from: date
    valid_until: date
    scan: dict | None = None


def expires_at(session: Session, certificate: Certificate) -> datetime:
    """The instant the certificate stops counting: the start of the day after its last valid day, school time."""
    zone = school_zone(session, certificate.school_id)
    return datetime.combine(certificate.valid_until + timedelta(days=1), time(), tzinfo=zone)


def colour(certificate: Certificate, *, today: date) -> CertificateColour:
    """Valid, expiring (within :data:`EXPIRING_WITHIN` of its expiry), expired, or still waiting for review."""
    if certificate.status == CertificateStatus.pending_review:
        return CertificateColour.pending
    if certificate.status not in COUNTING or certificate.valid_until < today:
        return CertificateColour.expired
    if certificate.valid_until < today + EXPIRING_WITHIN:
        return CertificateColour.expiring
    return CertificateColour.valid


def colour_in_sql(today: date) -> ColumnElement[str]:
    """:func:`colour` as a column, for a list narrowed by colour where the certificates are stored."""
    return case((Certificate.status == CertificateStatus.pending_review, CertificateColour.pending.value),
                (Certificate.status.notin_([str(s) for s in COUNTING]) | (Certificate.valid_until < today),
                 CertificateColour.expired.value),
                (Certificate.valid_until < today + EXPIRING_WITHIN, CertificateColour.expiring.value),
                else_=CertificateColour.valid.value)


def _check(session: Session, person: StaffMember, data: CertificateInput) -> None:
    kind = session.get(CertificateType, data.type_id)
    if kind is None or kind.school_id != person.school_id:
        raise CertificateError("type_id", N_("no such certificate type in this school"))
    if not data.number.strip():
        raise CertificateError("number", N_("the certificate number is required"))
    if data.valid_until < data.valid_from:
        raise CertificateError("valid_until", N_("the validity ends before it starts"))


def _start(session: Session, host: Host, person: StaffMember, certificate: Certificate) -> None:
    instance = start(host, session, process_key=PROCESS_KEY, business_key=certificate.business_key,
                     school_id=certificate.school_id, data={
                         "certificate_id": certificate.id, "unit_id": person.unit_id,
                         "needs_review": certificate.status == CertificateStatus.pending_review,
                         "expires_at": expires_at(session, certificate).isoformat(), "renewal": None})
    certificate.instance_id = instance.id


def add(session: Session, host: Host, *, actor: str, user_id: int | None, person: StaffMember, data: CertificateInput,
        review: bool = False) -> Certificate:
    """Add a certificate to ``person`` and start its process; ``review``: it waits for review before it counts."""
    _check(session, person, data)
    certificate = Certificate(
        school_id=person.school_id, business_key="", staff_id=person.id, type_id=data.type_id,
        number=data.number.strip(), issuer=data.issuer.strip(), valid_from=data.valid_from, valid_until=data.valid_until,
        scan=data.scan, uploaded_by_id=user_id, review_note="",
        status=CertificateStatus.pending_review if review else CertificateStatus.active)
    session.add(certificate)
    session.flush()
    certificate.business_key = f"ZS{certificate.id:06d}"
    record_change(session, actor=actor, action=StaffAction.certificate_added, school_id=person.school_id,
                  target=f"staff:{person.id}", after=_facts(certificate))
    _start(session, host, person, certificate)
    return certificate


def upload_renewal(session: Session, host: Host, *, actor: str, user_id: int | None, current: Certificate,
                   data: CertificateInput) -> Certificate:
    """A renewal of ``current`` (same person and type), waiting for review in ``current``'s process."""
    person = session.get(StaffMember, current.staff_id)
    assert person is not None
    if data.type_id != current.type_id:
        raise CertificateError("type_id", N_("a renewal is of the same certificate type"))
    _check(session, person, data)
    if data.valid_until <= current.valid_until:
        raise CertificateError("valid_until", N_("a renewal is valid for longer than the certificate it renews"))
    waiting = session.scalar(select(Certificate.id).where(Certificate.business_key == current.business_key,
                                                          Certificate.status == CertificateStatus.pending_review))
    if waiting is not None:
        raise CertificateError("number", N_("a renewal of this certificate is already waiting for review"))
    renewal = Certificate(
        school_id=current.school_id, business_key=current.business_key, staff_id=current.staff_id, type_id=current.type_id,
        number=data.number.strip(), issuer=data.issuer.strip(), valid_from=data.valid_from, valid_until=data.valid_until,
        scan=data.scan, uploaded_by_id=user_id, review_note="", renews_id=current.id,
        status=CertificateStatus.pending_review, instance_id=current.instance_id)
    session.add(renewal)
    session.flush()
    record_change(session, actor=actor, action=StaffAction.renewal_uploaded, school_id=current.school_id,
                  target=f"staff:{person.id}", after=_facts(renewal))
    if current.instance_id is None or deliver(host, session, instance_id=current.instance_id, event={
            "name": RENEWAL_SIGNAL, "kind": "signal", "payload": {"renewal_id": renewal.id}}).status != "advanced":
        raise CertificateError("number", N_("this certificate's process does not take renewals now"))
    return renewal


def _facts(certificate: Certificate) -> dict:
    return {"certificate": certificate.business_key, "type_id": certificate.type_id, "number": certificate.number,
            "issuer": certificate.issuer, "valid_from": certificate.valid_from.isoformat(),
            "valid_until": certificate.valid_until.isoformat(), "status": certificate.status}


def latest(session: Session, *, staff_ids: Iterable[int]) -> dict[int, list[Certificate]]:
    """Each person's certificates that matter now: per business key the newest approved one (or the one waiting
    for its first review), renewals waiting for review alongside it; refused and replaced ones left out."""
    ids = list(staff_ids)
    rows: Iterable[Certificate] = session.scalars(select(Certificate).where(
        Certificate.staff_id.in_(ids), Certificate.status.notin_([CertificateStatus.superseded, CertificateStatus.rejected]))
        .order_by(Certificate.staff_id, Certificate.valid_until)) if ids else []
    shown: dict[int, list[Certificate]] = defaultdict(list)
    for row in rows:
        shown[row.staff_id].append(row)
    return shown


def valid_types(session: Session, *, staff_ids: Iterable[int], on: date) -> dict[int, set[int]]:
    """The certificate types each person holds a counting certificate of on ``on``, by staff id."""
    ids = list(staff_ids)
    held: dict[int, set[int]] = defaultdict(set)
    if not ids:
        return held
    stmt = select(Certificate.staff_id, Certificate.type_id).where(
        Certificate.staff_id.in_(ids), Certificate.status.in_([str(s) for s in COUNTING]),
        Certificate.valid_from <= on, Certificate.valid_until >= on)
    for staff_id, type_id in session.execute(stmt):
        held[staff_id].add(type_id)
    return held


def required_by_post(session: Session, *, post_ids: Iterable[int]) -> dict[int, set[int]]:
    ids = list(post_ids)
    found: dict[int, set[int]] = defaultdict(set)
    if ids:
        for post_id, type_id in session.execute(select(PostCertificateType.post_id, PostCertificateType.certificate_type_id)
                                                .where(PostCertificateType.post_id.in_(ids))):
            found[post_id].add(type_id)
    return found


def required_for_order(session: Session, *, school_id: int, number: str) -> set[int]:
    """The certificate types the service item of order ``number`` requires (one statement: the dispatch form's)."""
    return set(session.scalars(select(ItemCertificateType.certificate_type_id).join(
        WorkOrder, WorkOrder.catalogue_item_id == ItemCertificateType.catalogue_item_id).where(
        WorkOrder.school_id == school_id, WorkOrder.number == number)))


@dataclass(frozen=True)
class Missing:
    """A certificate type a person lacks: ``expired_on`` is the last valid day of the one they had (None: never had one)."""

    type_id: int
    expired_on: date | None


def missing_for_item(session: Session, *, school_id: int, user_ids: Iterable[int], required: set[int],
                     on: date) -> dict[int, list[Missing]]:
    """Workers (by account id) who lack a counting certificate of the ``required`` types (a service item's) on
    ``on``. A worker with no register entry holds no certificate."""
    ids = list(user_ids)
    if not required or not ids:
        return {}
    staff: dict[int, int] = {user_id: staff_id for user_id, staff_id in session.execute(
        select(StaffMember.user_id, StaffMember.id).where(StaffMember.school_id == school_id, StaffMember.user_id.in_(ids)))
        if user_id is not None}
    held = valid_types(session, staff_ids=staff.values(), on=on)
    last_until: dict[tuple[int, int], date] = {}
    for staff_id, type_id, until in session.execute(select(Certificate.staff_id, Certificate.type_id, Certificate.valid_until)
                                                    .where(Certificate.staff_id.in_(list(staff.values())),
                                                           Certificate.type_id.in_(required),
                                                           Certificate.status != CertificateStatus.rejected)):
        last_until[(staff_id, type_id)] = max(until, last_until.get((staff_id, type_id), until))
    missing: dict[int, list[Missing]] = {}
    for user_id in ids:
        person = staff.get(user_id)
        lacks = sorted(required - (held.get(person, set()) if person is not None else set()))
        if lacks:
            missing[user_id] = [Missing(t, last_until.get((person, t)) if person is not None else None) for t in lacks]
    return missing


def type_names(session: Session, *, school_id: int, locale: str) -> dict[int, str]:
    return {t.id: t.name(locale) for t in session.scalars(select(CertificateType).where(CertificateType.school_id == school_id))}
