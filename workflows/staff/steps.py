"""What each step of the certificate diagram records, called from its scripts as ``certificate_step(name, id, …)``.

``reviewed`` approves or refuses the certificate waiting for review (the first one, or a renewal the process was
sent): an approved renewal replaces the certificate it renews and the diagram's reminder clock starts again from the
new validity. ``reminded`` answers whether a reminder is still worth sending: one whose moment passed together with
the next reminder's (a certificate approved late) is skipped, so people get the latest word only. ``expired`` marks
an approved certificate expired at the end of its last valid day.
"""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from engine.context import AdvanceContext
from rules.book import RuleBook
from workflows import stepping
from workflows.people.timezone import local_date, school_zone
from workflows.staff.certificates import expires_at
from workflows.staff.enums import CertificateStatus, CertificateStep, Reminder, ReviewDecision
from workflows.staff.models import Certificate, CertificateType, StaffMember
from workflows.stepping import StepRefused

REMINDER_KEYS = {Reminder.first: "staff.certificate.first_reminder.before",
                 Reminder.second: "staff.certificate.second_reminder.before",
                 Reminder.last: "staff.certificate.last_reminder.before"}
ORDER = (Reminder.first, Reminder.second, Reminder.last)


def _about(ctx: AdvanceContext, certificate: Certificate) -> dict[str, Any]:
    """Who a message about the certificate goes to (the person, when they have a login), what it names, and whether
    the person is still in service (nobody is reminded of a leaver's certificate)."""
    person = ctx.session.get(StaffMember, certificate.staff_id)
    kind = ctx.session.get(CertificateType, certificate.type_id)
    assert person is not None and kind is not None
    today = local_date(ctx.at, school_zone(ctx.session, certificate.school_id))
    return {"users": [person.user_id] if person.user_id else [], "unit_id": person.unit_id,
            "title": f"{person.name} · {kind.name_zh} {certificate.number}", "until": certificate.valid_until.isoformat(),
            "in_service": person.is_active(today)}


def _reviewed(current: Certificate, ctx: AdvanceContext, rules: RuleBook, review: dict, renewal: dict | None) -> dict:
    target = current
    if renewal:
        found = ctx.session.get(Certificate, int(renewal["renewal_id"]))
        if found is None or found.business_key != current.business_key or found.school_id != current.school_id:
            raise StepRefused(f"certificate renewal {renewal!r} is not of {current.business_key}")
        target = found
    if target.status != CertificateStatus.pending_review:
        raise StepRefused(f"certificate {target.id} is not waiting for review")
    decision = review.get("decision")
    if decision not in set(ReviewDecision):
        raise StepRefused(f"unknown review decision {decision!r}")
    target.reviewed_by_id, target.reviewed_at, target.review_note = ctx.actor.id, ctx.at, review.get("note") or ""
    if decision == ReviewDecision.reject:
        target.status = CertificateStatus.rejected
        counting = current if target is not current else None
    else:
        target.status = CertificateStatus.active
        if target is not current:
            current.status = CertificateStatus.superseded
        counting = target
    told = _about(ctx, target)
    if target.uploaded_by_id and target.uploaded_by_id not in told["users"]:
        told["users"].append(target.uploaded_by_id)
    return {"decision": decision, "note": target.review_note, "certificate": target.id, "renewal": target is not current,
            "next": "end" if counting is None else "watch", "certificate_id": (counting or current).id,
            "expires_at": expires_at(ctx.session, counting or current).isoformat(), **told}


def _reminded(certificate: Certificate, ctx: AdvanceContext, rules: RuleBook, which: str) -> dict:
    if which not in set(Reminder):
        raise StepRefused(f"unknown reminder {which!r}")
    ends = expires_at(ctx.session, certificate)
    later = ORDER[ORDER.index(Reminder(which)) + 1:]
    next_moment = ends - rules.duration(REMINDER_KEYS[later[0]]) if later else ends
    about = _about(ctx, certificate)
    send = certificate.status == CertificateStatus.active and ctx.at < next_moment and about["in_service"]
    days = max(0, math.ceil((ends - ctx.at).total_seconds() / 86400))
    return {"reminder": which, "send": send, "days": days, **about}


def _expired(certificate: Certificate, ctx: AdvanceContext, rules: RuleBook, _data: Any = None) -> dict:
    was = certificate.status
    if certificate.status == CertificateStatus.active:
        certificate.status = CertificateStatus.expired
    about = _about(ctx, certificate)
    return {"was": was, "send": was == CertificateStatus.active and about["in_service"], **about}


STEPS: dict[str, Callable[..., dict]] = {
    CertificateStep.reviewed: _reviewed, CertificateStep.reminded: _reminded, CertificateStep.expired: _expired,
}


def apply_step(rules: RuleBook, name: str, certificate_id: int, *args: Any) -> dict:
    """Run step ``name`` on the certificate inside the current advance and audit it."""
    return stepping.apply(STEPS, Certificate, "certificate", rules, name, certificate_id, *args, key="business_key")
