"""Service staff as a process module: a certificate (its business key ZS…) beside its review task in the inbox and
on the task page, its timeline words, its API resource, the staff figures on the dashboard, and the diagram helper
and the staffing check."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rules.store import RuleStore
from workflows.i18n import N_, translate
from workflows.modules import timeline
from workflows.modules.contract import BusinessTimeline, Fact, Panel, ProcessModule, Summary
from workflows.modules.demo_hook import demo_hook
from workflows.people.models import User
from workflows.people.timezone import local_today
from workflows.staff.access import may_read
from workflows.staff.certificates import PROCESS_KEY
from workflows.staff.enums import StaffAction
from workflows.staff.figures import figures
from workflows.staff.indicators import INDICATORS
from workflows.staff.labels import CERTIFICATE_STATUS_WORDS, COLOUR_WORDS
from workflows.staff.models import Certificate, CertificateType, StaffMember
from workflows.staff.readmodel import certificate_by_key, certificate_dict, names, person_dict
from workflows.staff.registration import register


def _link(person_id: int) -> tuple[str, dict[str, Any]]:
    return "staff.person", {"staff_id": person_id}


def summaries(session: Session, *, school_id: int, keys: set[str], locale: str) -> dict[str, Summary]:
    """The person and the certificate type."""
    stmt = (select(Certificate.business_key, StaffMember.id, StaffMember.name, CertificateType.name_zh, CertificateType.name_en)
            .join(StaffMember, StaffMember.id == Certificate.staff_id).join(CertificateType, CertificateType.id == Certificate.type_id)
            .where(Certificate.school_id == school_id, Certificate.business_key.in_(keys)))
    return {key: Summary(text=f"{name} · {name_en if locale == 'en' else name_zh}", link=_link(staff_id))
            for key, staff_id, name, name_zh, name_en in session.execute(stmt)}


def _visible(session: Session, user: User, school_id: int, key: str) -> tuple[Certificate, StaffMember] | None:
    cert = certificate_by_key(session, school_id=school_id, key=key)
    person = session.get(StaffMember, cert.staff_id) if cert is not None else None
    if cert is None or person is None:
        return None
    if person.user_id != user.id and not may_read(session, user, school_id=school_id, unit_id=person.unit_id):
        return None
    return cert, person


def panel(session: Session, *, user: User, rules: RuleStore, school_id: int, key: str, locale: str) -> Panel | None:
    found = _visible(session, user, school_id, key)
    if found is None:
        return None
    _current, person = found
    today = local_today(session, school_id)
    named = names(session, school_id=school_id, locale=locale)
    rows = session.scalars(select(Certificate).where(Certificate.school_id == school_id, Certificate.business_key == key)
                           .order_by(Certificate.id.desc()))
    facts = [Fact(N_("Person"), f"{person.name} ({person.number})"), Fact(N_("Unit"), named["units"].get(person.unit_id, "")),
             Fact(N_("Post"), named["posts"].get(person.post_id or 0, ""))]
    for cert in rows:
        shown = certificate_dict(cert, today=today, named=named)
        facts.append(Fact(N_("Certificate"), f"{shown['type']} {cert.number} · {cert.issuer} · {shown['valid_from']} – "
                                             f"{shown['valid_until']} · {translate(CERTIFICATE_STATUS_WORDS[cert.status], locale)}"))
    return Panel(kind=N_("Certificate"), number=key, link=_link(person.id), facts=facts,
                 timeline=timeline.business_dicts(session, MODULE, school_id=school_id, key=key, locale=locale))


def resource(session: Session, *, user: User, rules: RuleStore, school_id: int, key: str,
             locale: str) -> dict[str, Any] | None:
    found = _visible(session, user, school_id, key)
    if found is None:
        return None
    cert, person = found
    today = local_today(session, school_id)
    named = names(session, school_id=school_id, locale=locale)
    return {**certificate_dict(cert, today=today, named=named), "colour_label": translate(COLOUR_WORDS[
        certificate_dict(cert, today=today, named=named)["colour"]], locale),
            "person": person_dict(session, person, today=today, named=named, certificates=False),
            "timeline": timeline.business_dicts(session, MODULE, school_id=school_id, key=key, locale=locale)}


MODULE = ProcessModule(
    demo=demo_hook("workflows.demo_staff:seed_demo"),
    register=register,
    name="staff", label=N_("Service staff"), process_keys=frozenset({PROCESS_KEY}),
    summaries=summaries, panel=panel, resource=resource, figures=figures,
    indicators=INDICATORS,
    timeline=BusinessTimeline(reminders={"certificate.reminded": N_("Reminded before the certificate expires")}),
    actions={
        "certificate.reviewed": N_("Certificate reviewed"), "certificate.reminded": N_("Reminded before expiry"),
        "certificate.expired": N_("Certificate expired"),
        StaffAction.shortfall_found: N_("Staffing shortfall found"), StaffAction.shortfall_ended: N_("Staffing shortfall ended"),
    },
)
