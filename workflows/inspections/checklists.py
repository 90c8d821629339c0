"""Checklists (巡查模板): a template per service type and its items, created and edited by the office.

An edit keeps the items results already point at: a line left out is deactivated, not deleted, so old rounds
still read what they checked. An item may name the standards library item it checks (``standard_ref``); one of
another school's library is refused and nothing is saved. Every change is in the audit log with its values before
and after.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.db import get_locked
from workflows.adminlog import changed, record_change
from workflows.errors import FieldError
from workflows.i18n import N_
from workflows.inspections.enums import InspectionAction, Scoring, ServiceType
from workflows.inspections.models import InspectionItem, InspectionTemplate
from workflows.standards import links
from workflows.standards.links import LinkError, StandardRef

MAX_POINTS = 100


class ChecklistError(FieldError):
    """The checklist cannot be saved; ``field`` names the input at fault (``items-2-points`` for an item's), or is
    ``checklist`` when the checklist edited is none of the school's."""


@dataclass(frozen=True)
class ItemEntry:
    text: str
    standard: str = ""
    scoring: str = Scoring.pass_fail
    points: int = 10
    photo_required: bool = False
    item_id: int | None = None  # an existing item edited in place
    standard_ref: StandardRef | None = None  # the standards library item it checks


@dataclass(frozen=True)
class ChecklistEntry:
    name: str
    service_type: str
    items: Sequence[ItemEntry]
    active: bool = True


def _check(session: Session, school_id: int, entry: ChecklistEntry) -> list[ItemEntry]:
    if not entry.name.strip():
        raise ChecklistError("name", N_("name the checklist"))
    if entry.service_type not in set(ServiceType):
        raise ChecklistError("service_type", N_("unknown service type"))
    items = [item for item in entry.items if item.text.strip()]
    if not items:
        raise ChecklistError("items", N_("a checklist needs at least one item"))
    for index, item in enumerate(entry.items):
        if not item.text.strip():
            continue
        if item.scoring not in set(Scoring):
            raise ChecklistError(f"items-{index}-scoring", N_("unknown scoring"))
        if not 1 <= item.points <= MAX_POINTS:
            raise ChecklistError(f"items-{index}-points", N_("points out of range"))
        try:
            links.check(session, school_id=school_id, ref=item.standard_ref, field=f"items-{index}-standard_ref")
        except LinkError as err:
            raise ChecklistError(err.field, err.message, **err.params) from err
    return items


def _snapshot(template: InspectionTemplate) -> dict:
    return {"name": template.name, "service_type": template.service_type, "active": template.active,
            "items": [f"{i.text}|{i.scoring}|{i.points}|{int(i.photo_required)}"
                      + (f"|{i.standard_ref.value}" if i.standard_ref else "") for i in template.items if i.active]}


def save_checklist(session: Session, *, school_id: int, entry: ChecklistEntry, actor: str,
                   template_id: int | None = None) -> InspectionTemplate:
    """Create a checklist, or edit ``template_id`` of the same school (locked while it changes); ChecklistError
    (nothing saved) for bad input or another school's checklist."""
    items = _check(session, school_id, entry)
    if template_id is None:
        template = InspectionTemplate(school_id=school_id, name="", service_type=entry.service_type)
        session.add(template)
        before: dict = {}
    else:
        found = get_locked(session, InspectionTemplate, template_id)
        if found is None or found.school_id != school_id:
            raise ChecklistError("checklist", N_("no such checklist"))
        template, before = found, _snapshot(found)
    template.name, template.service_type, template.active = entry.name.strip(), entry.service_type, entry.active
    existing = {item.id: item for item in template.items}
    kept: set[int] = set()
    for position, line in enumerate(items):
        item = existing.get(line.item_id or 0)
        if item is None:
            item = InspectionItem(scoring=line.scoring)
            template.items.append(item)
        item.position, item.text, item.standard = position, line.text.strip(), line.standard.strip()
        item.scoring, item.points, item.photo_required, item.active = line.scoring, line.points, line.photo_required, True
        item.standard_document_id = line.standard_ref.document_id if line.standard_ref else None
        item.standard_number = line.standard_ref.number if line.standard_ref else None
        if item.id is not None:
            kept.add(item.id)
    for item_id, item in existing.items():
        if item_id not in kept:
            item.active = False
    session.flush()
    old, new = changed(before, _snapshot(template))
    action = InspectionAction.template_created if template_id is None else InspectionAction.template_updated
    record_change(session, actor=actor, action=action, school_id=school_id, target=f"inspection_template:{template.id}",
                  before=old, after=new)
    return template


def checklists(session: Session, *, school_id: int, active_only: bool = False) -> list[InspectionTemplate]:
    stmt = select(InspectionTemplate).where(InspectionTemplate.school_id == school_id)
    if active_only:
        stmt = stmt.where(InspectionTemplate.active.is_(True))
    return list(session.scalars(stmt.order_by(InspectionTemplate.service_type, InspectionTemplate.name)))


def checklist(session: Session, *, school_id: int, template_id: int) -> InspectionTemplate | None:
    template = session.get(InspectionTemplate, template_id)
    return template if template is not None and template.school_id == school_id else None


def standards_of(session: Session, *, school_id: int, items: list[InspectionItem]) -> dict[int, links.LinkedItem]:
    """The standards library item each linked item checks, by item id (what the round sheet and findings show)."""
    shown = links.resolve(session, school_id=school_id, refs=[item.standard_ref for item in items])
    return {item.id: shown[item.standard_ref] for item in items if item.standard_ref in shown}


def active_items(template: InspectionTemplate) -> list[InspectionItem]:
    return [item for item in template.items if item.active]
