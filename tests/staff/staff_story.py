"""The staff register in the demo school, told as a story: an electrician's post and certificate type, the
electrical-fault item that requires it, and the demo worker (刘建军) in the register with a certificate."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from engine.db import unit_of_work
from workflows.catalogue.models import CatalogueItem
from workflows.people.models import OrgUnit, User
from workflows.staff import certificates, register
from workflows.staff.models import Certificate, CertificateType, ItemCertificateType, Post, PostCertificateType


@dataclass(frozen=True)
class Register:
    post_id: int
    type_id: int
    staff_id: int
    certificate_id: int
    key: str


def electrician(scenario, *, valid_until: date, review: bool = False) -> Register:
    """The worker on the electrician's post with a certificate valid until ``valid_until``."""
    with unit_of_work(scenario.host.session_factory) as session:
        school_id = scenario.school_id
        post = Post(school_id=school_id, code="electrician", name_zh="电工", name_en="Electrician")
        kind = CertificateType(school_id=school_id, code="op-electric", name_zh="特种作业操作证-电工",
                               name_en="Special operation certificate: electrician")
        session.add_all([post, kind])
        session.flush()
        item = session.scalar(select(CatalogueItem).where(CatalogueItem.school_id == school_id, CatalogueItem.code == "W03"))
        session.add_all([PostCertificateType(post_id=post.id, certificate_type_id=kind.id),
                         ItemCertificateType(catalogue_item_id=item.id, certificate_type_id=kind.id)])
        worker = session.scalar(select(User).where(User.username == "worker"))
        team = session.scalar(select(OrgUnit).where(OrgUnit.school_id == school_id, OrgUnit.name == "水电维修班"))
        person = register.create(session, actor="admin", school_id=school_id, data=register.StaffInput(
            number="D001", name="刘建军", unit_id=team.id, post_id=post.id, started_on=date(2025, 3, 1), user_id=worker.id))
        cert = certificates.add(session, scenario.host, actor="admin", user_id=None, person=person, review=review,
                                data=certificates.CertificateInput(type_id=kind.id, number="T2025-001",
                                                                   issuer="应急管理局", valid_from=date(2024, 3, 1),
                                                                   valid_until=valid_until))
        return Register(post.id, kind.id, person.id, cert.id, cert.business_key)


def certificate(scenario, certificate_id: int) -> Certificate:
    with unit_of_work(scenario.host.session_factory) as session:
        return session.get(Certificate, certificate_id)


def renew(scenario, current_id: int, *, valid_until: date, number: str = "T2027-002") -> int:
    with unit_of_work(scenario.host.session_factory) as session:
        current = session.get(Certificate, current_id)
        renewal = certificates.upload_renewal(session, scenario.host, actor="worker", user_id=None, current=current,
                                              data=certificates.CertificateInput(
                                                  type_id=current.type_id, number=number, issuer="应急管理局",
                                                  valid_from=date(2027, 3, 1), valid_until=valid_until))
        return renewal.id
