"""Named choice lists for form fields (``choices_from``), resolved for the task being done."""
from __future__ import annotations

from typing import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from workflows.catalogue.service import items
from workflows.people.models import OrgUnit, RoleAssignment, User
from workflows.people.service import descendant_unit_ids

Source = Callable[..., list[tuple[str, str]]]


def workers(session: Session, *, school_id: int, org_unit_id: int | None, locale: str) -> list[tuple[str, str]]:
    """Workers in the task's unit and every unit below it."""
    stmt = select(User).join(RoleAssignment).where(RoleAssignment.role == "worker", User.active.is_(True),
                                                   User.school_id == school_id)
    if org_unit_id is not None:
        stmt = stmt.where(RoleAssignment.org_unit_id.in_(descendant_unit_ids(session, org_unit_id)))
    return [(str(u.id), u.display_name) for u in session.scalars(stmt.distinct().order_by(User.display_name))]


def teams(session: Session, *, school_id: int, org_unit_id: int | None, locale: str) -> list[tuple[str, str]]:
    stmt = select(OrgUnit).where(OrgUnit.school_id == school_id, OrgUnit.kind == "team")
    if org_unit_id is not None:
        stmt = stmt.where(OrgUnit.id.in_(descendant_unit_ids(session, org_unit_id)))
    return [(str(u.id), u.name) for u in session.scalars(stmt.order_by(OrgUnit.name))]


def catalogue_items(session: Session, *, school_id: int, org_unit_id: int | None, locale: str) -> list[tuple[str, str]]:
    return [(str(i.id), i.name(locale)) for i in items(session, school_id=school_id)]


SOURCES: dict[str, Source] = {"workers": workers, "teams": teams, "catalogue_items": catalogue_items}
