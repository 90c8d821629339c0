"""What a school's administrator and unit leaders set up around the register: posts, certificate types, which
types a post or a catalogue service item requires, and staffing plans. Every change is audited; every id given must
belong to the school."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from workflows.adminlog import record_change
from workflows.catalogue.models import CatalogueItem
from workflows.errors import FieldError
from workflows.i18n import N_
from workflows.people.models import OrgUnit
from workflows.staff.enums import StaffAction
from workflows.staff.models import CertificateType, ItemCertificateType, Post, PostCertificateType, StaffingPlan


class SetupError(FieldError):
    """Refused; ``field`` names the input at fault. Nothing was stored."""


Named = TypeVar("Named", Post, CertificateType)


def _named(session: Session, model: type[Named], actor: str, school_id: int, code: str, name_zh: str, name_en: str,
           action: str) -> Named:
    code, name_zh, name_en = code.strip(), name_zh.strip(), name_en.strip()
    if not code or not name_zh or not name_en:
        raise SetupError("code", N_("code and both names are required"))
    row = session.scalar(select(model).where(model.school_id == school_id, model.code == code))
    before = {"name_zh": row.name_zh, "name_en": row.name_en} if row is not None else None
    if row is None:
        row = model(school_id=school_id, code=code, name_zh=name_zh, name_en=name_en, active=True)
        session.add(row)
    row.name_zh, row.name_en = name_zh, name_en
    session.flush()
    record_change(session, actor=actor, action=action, school_id=school_id, target=f"{model.__tablename__}:{row.id}",
                  before=before, after={"code": code, "name_zh": name_zh, "name_en": name_en})
    return row


def save_post(session: Session, *, actor: str, school_id: int, code: str, name_zh: str, name_en: str) -> Post:
    """Add a post, or rename the one with this code."""
    return _named(session, Post, actor, school_id, code, name_zh, name_en, StaffAction.post_saved)


def save_type(session: Session, *, actor: str, school_id: int, code: str, name_zh: str, name_en: str) -> CertificateType:
    """Add a certificate type, or rename the one with this code."""
    return _named(session, CertificateType, actor, school_id, code, name_zh, name_en, StaffAction.type_saved)


def _types_of_school(session: Session, school_id: int, type_ids: set[int]) -> set[int]:
    known = set(session.scalars(select(CertificateType.id).where(CertificateType.school_id == school_id,
                                                                 CertificateType.id.in_(type_ids)))) if type_ids else set()
    if known != type_ids:
        raise SetupError("type_ids", N_("no such certificate type in this school"))
    return known


def set_requirements(session: Session, *, actor: str, school_id: int, post_id: int | None = None,
                     item_id: int | None = None, type_ids: set[int]) -> None:
    """The certificate types a post (or a catalogue service item) requires, replacing what it required before."""
    types = _types_of_school(session, school_id, type_ids)
    if post_id is not None:
        post = session.get(Post, post_id)
        if post is None or post.school_id != school_id:
            raise SetupError("post_id", N_("no such post in this school"))
        before = set(session.scalars(select(PostCertificateType.certificate_type_id).where(PostCertificateType.post_id == post_id)))
        session.execute(delete(PostCertificateType).where(PostCertificateType.post_id == post_id))
        session.add_all([PostCertificateType(post_id=post_id, certificate_type_id=t) for t in types])
        target = f"staff_post:{post_id}"
    else:
        item = session.get(CatalogueItem, item_id) if item_id is not None else None
        if item is None or item.school_id != school_id or item.parent_id is None:
            raise SetupError("item_id", N_("no such service item in this school"))
        before = set(session.scalars(select(ItemCertificateType.certificate_type_id)
                                     .where(ItemCertificateType.catalogue_item_id == item.id)))
        session.execute(delete(ItemCertificateType).where(ItemCertificateType.catalogue_item_id == item.id))
        session.add_all([ItemCertificateType(catalogue_item_id=item.id, certificate_type_id=t) for t in types])
        target = f"catalogue_item:{item.id}"
    if before != types:
        record_change(session, actor=actor, action=StaffAction.requirement_saved, school_id=school_id, target=target,
                      before={"type_ids": sorted(before)}, after={"type_ids": sorted(types)})


@dataclass(frozen=True)
class PlanInput:
    unit_id: int
    post_id: int
    shift: str
    headcount: int
    effective_from: date
    effective_until: date | None = None


def add_plan(session: Session, *, actor: str, school_id: int, data: PlanInput) -> StaffingPlan:
    """A staffing plan for a unit's post and shift."""
    unit, post = session.get(OrgUnit, data.unit_id), session.get(Post, data.post_id)
    if unit is None or unit.school_id != school_id:
        raise SetupError("unit_id", N_("no such unit in this school"))
    if post is None or post.school_id != school_id:
        raise SetupError("post_id", N_("no such post in this school"))
    if data.headcount < 1:
        raise SetupError("headcount", N_("plan at least one person"))
    if data.effective_until is not None and data.effective_until < data.effective_from:
        raise SetupError("effective_until", N_("the plan ends before it starts"))
    plan = StaffingPlan(school_id=school_id, unit_id=data.unit_id, post_id=data.post_id, shift=data.shift.strip(),
                        headcount=data.headcount, effective_from=data.effective_from, effective_until=data.effective_until)
    session.add(plan)
    session.flush()
    record_change(session, actor=actor, action=StaffAction.plan_saved, school_id=school_id, target=f"staffing_plan:{plan.id}",
                  after={"unit_id": plan.unit_id, "post_id": plan.post_id, "shift": plan.shift, "headcount": plan.headcount,
                         "effective_from": plan.effective_from.isoformat(),
                         "effective_until": plan.effective_until.isoformat() if plan.effective_until else None})
    return plan


def end_plan(session: Session, *, actor: str, plan: StaffingPlan, last_day: date) -> None:
    """End a plan on ``last_day`` (kept, so the staffing rate of earlier days still reads it)."""
    if last_day < plan.effective_from:
        raise SetupError("effective_until", N_("the plan ends before it starts"))
    before = plan.effective_until
    plan.effective_until = last_day
    record_change(session, actor=actor, action=StaffAction.plan_saved, school_id=plan.school_id,
                  target=f"staffing_plan:{plan.id}", before={"effective_until": before.isoformat() if before else None},
                  after={"effective_until": last_day.isoformat()})
